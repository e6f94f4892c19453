"""`manage.py generate_report` runs the job code path and fails loudly."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from enterprises.models import Establishment
from reports.exporters import available_kinds
from reports.models import ReportJob
from tests.readers import pdf_text, read_xlsx, xlsx_text

pytestmark = pytest.mark.django_db


def test_it_writes_an_xlsx_and_records_the_job(establishments, tmp_path, capsys):
    out = tmp_path / "co-so.xlsx"
    call_command(
        "generate_report",
        "establishments",
        "--period",
        "2025-H1",
        "--source",
        "kcdp",
        "--format",
        "xlsx",
        "--output",
        str(out),
    )
    _ws, _header, rows, totals = read_xlsx(out)
    assert len(rows) == len(establishments)
    assert (
        totals[7].value == Establishment.objects.aggregate(s=Sum("workers_total"))["s"]
    )
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE
    assert job.requested_by is None
    assert job.parameters == {
        "period": "2025-H1",
        "source": "KCDP",
        "formats": ["xlsx"],
    }
    assert not job.pdf_file
    assert str(out) in capsys.readouterr().out


def test_it_writes_a_pdf(establishments, tmp_path):
    out = tmp_path / "co-so.pdf"
    call_command(
        "generate_report", "establishments", "--period", "2025", "--format", "pdf",
        "--output", str(out),
    )  # fmt: skip
    assert "Năm 2025" in pdf_text(out)


def test_a_bad_period_is_an_error_in_vietnamese(tmp_path):
    with pytest.raises(CommandError, match="không phải là kỳ báo cáo hợp lệ"):
        call_command(
            "generate_report", "establishments", "--period", "2025-Q9",
            "--output", str(tmp_path / "x.xlsx"),
        )  # fmt: skip
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Quý 3/2025", "2025-Q3"), ("6 tháng cuối năm 2025", "2025-H2")],
)
def test_the_period_may_be_written_in_vietnamese(establishments, tmp_path, typed, code):
    call_command(
        "generate_report", "establishments", "--period", typed,
        "--format", "xlsx", "--output", str(tmp_path / "x.xlsx"),
    )  # fmt: skip
    assert ReportJob.objects.get().parameters["period"] == code


@pytest.mark.parametrize(
    ("typed", "unit", "line"),
    [
        ("triệu đồng", "million", "Đơn vị tính: triệu đồng"),
        ("trieu-dong", "million", "Đơn vị tính: triệu đồng"),
        ("đồng", None, "Đơn vị tính: đồng"),
    ],
)
def test_the_unit_of_money_is_the_forms_choice(
    establishments, tmp_path, typed, unit, line
):
    out = tmp_path / "x.xlsx"
    call_command(
        "generate_report", "establishments", "--period", "2025", "--unit", typed,
        "--format", "xlsx", "--output", str(out),
    )  # fmt: skip
    # Stored as the form stores it: "đồng" is the default, not recorded.
    assert ReportJob.objects.get().parameters.get("unit") == unit
    assert line in xlsx_text(out)
    _ws, header, _rows, _totals = read_xlsx(out)
    assert header[-1].endswith("(triệu đồng)" if unit else "(đồng)")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "generate_report", *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "khuyencong.settings.test",
            "LANG": "C.UTF-8",
        },
        check=False,
    )


def test_exit_codes_and_kinds_listed_as_choices(tmp_path):
    help_ = run("--help")
    assert help_.returncode == 0
    # Every kind with an exporter, and the project dossier.
    for kind in [*available_kinds(), "dossier"]:
        assert kind in help_.stdout

    unknown = run("nonsense", "--period", "2025", "--output", str(tmp_path / "x"))
    assert unknown.returncode == 2  # argparse: invalid choice
    assert "invalid choice" in unknown.stderr

    bad = run("establishments", "--period", "2025-13", "--output", str(tmp_path / "x"))
    assert bad.returncode == 1
    assert "Tháng được ghi từ 01 đến 12" in bad.stderr

    unit = run("establishments", "--period", "2025", "--unit", "nghìn đồng",
               "--output", str(tmp_path / "x"))  # fmt: skip
    assert unit.returncode == 2
    assert "đồng" in unit.stderr and "triệu đồng" in unit.stderr

    nowhere = run(
        "establishments", "--period", "2025", "--output", "/no/such/dir/x.xlsx"
    )
    assert nowhere.returncode == 1
    assert "Thư mục không tồn tại" in nowhere.stderr
