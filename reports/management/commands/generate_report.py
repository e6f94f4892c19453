"""Produce one report from the command line, through the same job code path.

    python manage.py generate_report establishments --period 2025-Q3 \\
        --format xlsx --output /tmp/co-so.xlsx
    python manage.py generate_report dossier --project 12 \\
        --format zip --output /tmp/ho-so.zip

The job is recorded in the history like any other (requested by nobody).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projects.models import Project, Source
from reports.exporters import available_kinds
from reports.models import (
    MoneyUnit,
    ReportFormat,
    ReportJob,
    ReportKind,
    formats_of,
)
from reports.services import dossier_parameters, report_generate, report_parameters


def _source(text: str) -> str:
    if not text:
        return ""  # both sources
    try:
        return Source.parse(text).value
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


# The form's choice of unit (reports.models.MoneyUnit), also as printed on
# the unit line, with or without accents.
UNIT_WORDS = {
    "đồng": MoneyUnit.DONG,
    "dong": MoneyUnit.DONG,
    "triệu đồng": MoneyUnit.MILLION,
    "trieu dong": MoneyUnit.MILLION,
    "triệu": MoneyUnit.MILLION,
    "trieu": MoneyUnit.MILLION,
}


def _unit(text: str) -> str:
    key = " ".join(text.lower().replace("-", " ").split())
    unit = UNIT_WORDS.get(key) or (key if key in MoneyUnit.values else None)
    if unit is None:
        raise argparse.ArgumentTypeError(
            "đơn vị tính là 'đồng' hoặc 'triệu đồng' (dong, million)"
        )
    return unit


class Command(BaseCommand):
    help = "Produce a report (Excel, PDF, or a project dossier's ZIP) into a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind",
            choices=available_kinds(per_project=True),
            help="Report kind.",
        )
        parser.add_argument(
            "--period",
            help="2018, 2018-H1, 2018-Q3, 2018-07, or a range of two such as "
            "2017..2018-H1 (tabular reports); also in words, with or without "
            "accents: 'Năm 2018', '6 tháng đầu năm 2018', 'Quý 3/2018', "
            "'Tháng 7/2018'.",
        )
        parser.add_argument(
            "--source",
            type=_source,
            default="",
            help="Funding source: KCQG or KCDP (any case; KCĐP too).",
        )
        parser.add_argument(
            "--unit",
            type=_unit,
            default=MoneyUnit.DONG,
            help="Unit of money on the unit line, as the request form offers: "
            "'đồng' (default) or 'triệu đồng' (also dong, trieu-dong, million).",
        )
        parser.add_argument("--programme", type=int, help="Programme id.")
        parser.add_argument("--project", type=int, help="Project id (dossier).")
        parser.add_argument("--format", choices=ReportFormat.values)
        parser.add_argument("--output", required=True, help="File to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Thư mục không tồn tại: {output.parent}")
        kind = options["kind"]
        fmt = options["format"] or formats_of(kind)[0]
        if fmt not in formats_of(kind):
            raise CommandError(
                f"Định dạng {fmt} không dùng cho báo cáo này; chọn một trong: "
                + ", ".join(formats_of(kind))
            )
        if kind == ReportKind.DOSSIER:
            parameters = self._dossier(options["project"], fmt)
        else:
            parameters = self._tabular(options, fmt)

        job = ReportJob.objects.create(kind=kind, parameters=parameters)
        job = report_generate(job=job)
        if job.status != ReportJob.Status.DONE:
            raise CommandError(job.error)
        source = job.file_for(fmt)
        with source.open("rb") as src, output.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        self.stdout.write(f"{output} ({output.stat().st_size} bytes, job {job.pk})")

    def _dossier(self, project_id: int | None, fmt: str) -> dict[str, Any]:
        if not project_id:
            raise CommandError("Hồ sơ đề án cần --project (mã số của đề án).")
        project = Project.objects.filter(pk=project_id).first()
        if project is None:
            raise CommandError(f"Không có đề án số {project_id}.")
        return dossier_parameters(project=project, formats=[fmt])

    def _tabular(self, options: dict[str, Any], fmt: str) -> dict[str, Any]:
        if not options["period"]:
            raise CommandError(
                "Báo cáo này cần --period (ví dụ 2025-Q3 hoặc 'Quý 3/2025')."
            )
        try:
            return report_parameters(
                period=options["period"],
                source=options["source"],
                programme_id=options["programme"],
                formats=[fmt],
                unit=options["unit"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
