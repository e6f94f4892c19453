"""Excel import: all rows or none, no duplicates, clear errors."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from enterprises.models import Establishment
from enterprises.services import establishment_import, establishment_import_template
from tests.builders import registry_header as header
from tests.builders import registry_row as row
from tests.builders import registry_xlsx as xlsx
from tests.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db


ROWS = 1000


def test_it_writes_nothing_when_one_row_of_many_is_wrong_then_all_then_none_new(
    commune, django_assert_max_num_queries
):
    """All or nothing, at a cost in queries that grows with the batches the
    database takes, not with the rows: at most one query per ten rows plus a
    few to import them, a fixed few to find nothing new. (How long it takes
    belongs to `make bench`, not to a test.)"""
    rows = [row(n, commune) for n in range(ROWS)]
    rows[321][2] = "12345"  # a tax code too short, on spreadsheet row 323
    result = establishment_import(file=xlsx(rows))
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(323, "Mã số thuế")]
    assert "Mã số thuế gồm 10 chữ số" in result.errors[0].message
    assert Establishment.objects.count() == 0

    rows[321][2] = "2899999999"
    fixed = xlsx(rows)
    with django_assert_max_num_queries(ROWS // 10):
        result = establishment_import(file=fixed)
    assert result.ok, result.errors[:3]
    assert (result.created, result.updated) == (ROWS, 0)
    assert Establishment.objects.count() == ROWS
    assert Establishment.history.count() == ROWS

    fixed.seek(0)
    with django_assert_max_num_queries(12):
        result = establishment_import(file=fixed)
    assert result.ok
    assert (result.created, result.updated, result.unchanged) == (0, 0, ROWS)
    assert Establishment.objects.count() == ROWS


def test_it_imports_every_field_as_typed(commune, sector):
    establishment_import(file=xlsx([row(1, commune, name="  Cơ sở  Đông Sơn ")]))
    est = Establishment.objects.get()
    assert est.name == "Cơ sở  Đông Sơn"
    assert est.kind == "cooperative"
    assert est.tax_code == "2800000001"
    assert est.commune == commune
    assert list(est.sectors.all()) == [sector]
    assert (est.workers_total, est.workers_women, est.yearly_revenue) == (
        20,
        12,
        1_350_000_000,
    )
    assert est.women_owned and not est.ethnic_minority_owned and est.is_active
    assert "dong son" in est.search_text
    assert Establishment.objects.search("dong son").get() == est


def test_it_stores_text_in_nfc(commune):
    decomposed = "Co\u0302\u0301ng ty"  # "Cống ty" typed with combining marks
    establishment_import(file=xlsx([row(1, commune, name=decomposed)]))
    assert Establishment.objects.get().name == "Cống ty"


def test_it_stores_formulas_as_plain_text(commune):
    establishment_import(
        file=xlsx([row(1, commune, notes='=HYPERLINK("http://x")', street="@SUM(1)")])
    )
    est = Establishment.objects.get()
    assert est.notes == '=HYPERLINK("http://x")'
    assert est.street == "@SUM(1)"


def test_it_restores_the_leading_zero_of_a_tax_code_typed_as_a_number(commune):
    establishment_import(file=xlsx([row(1, commune, tax_code=101234567)]))
    assert Establishment.objects.get().tax_code == "0101234567"


def test_it_lists_every_error_with_row_column_and_message(commune):
    rows = [
        row(1, commune, kind="Tập đoàn"),
        row(2, commune, commune="99999999 - Không có"),
        row(3, commune, workers_women=30),
        row(4, commune, yearly_revenue="nhiều", founded_year=1850),
        row(5, commune, tax_code="2800000001"),
    ]
    result = establishment_import(file=xlsx(rows))
    found = {(e.row, e.column) for e in result.errors}
    assert (2, "Loại hình") in found
    assert (3, "Xã/phường (mã - tên)") in found
    assert (4, "Lao động nữ") in found
    assert (5, "Doanh thu năm (đồng)") in found
    assert (5, "Năm thành lập") in found
    assert (6, "Mã số thuế") in found  # same tax code as row 2
    assert str(result.errors[0]).startswith("Dòng 2, cột “Loại hình”:")
    assert Establishment.objects.count() == 0


def test_it_matches_household_businesses_on_their_registration_number(commune):
    household = row(
        1,
        commune,
        kind="Hộ kinh doanh",
        tax_code="",
        business_registration_no="28A8012345",
    )
    assert establishment_import(file=xlsx([household])).created == 1
    household[0] = "Hộ kinh doanh Lê Văn Tám"
    result = establishment_import(file=xlsx([household]))
    assert (result.created, result.updated) == (0, 1)
    assert Establishment.objects.get().name == "Hộ kinh doanh Lê Văn Tám"


def test_it_refuses_a_row_without_any_identifier(commune):
    result = establishment_import(
        file=xlsx([row(1, commune, kind="Khác", tax_code="")])
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "Mã số thuế")]


def test_it_updates_a_registered_establishment_and_records_history(commune, staff):
    est = EstablishmentFactory(tax_code="2800000001", commune=commune)
    result = establishment_import(
        file=xlsx([row(1, commune, representative_name="Trần Văn Cường")]), user=staff
    )
    assert (result.created, result.updated) == (0, 1)
    est.refresh_from_db()
    assert est.representative_name == "Trần Văn Cường"
    assert "tran van cuong" in est.search_text
    latest = est.history.first()
    assert latest.history_user == staff
    assert latest.history_change_reason == "Nhập từ Excel"


def test_a_dry_run_checks_but_writes_nothing(commune):
    result = establishment_import(file=xlsx([row(1, commune)]), dry_run=True)
    assert result.ok and result.created == 1
    assert Establishment.objects.count() == 0


def test_it_refuses_a_file_that_is_not_an_xlsx():
    fake = io.BytesIO(b"name,tax code\nA,2800000001\n")
    result = establishment_import(file=fake)
    assert [str(e) for e in result.errors] == [
        "Tệp không phải là sổ tính Excel (.xlsx). Hãy lưu tệp dưới dạng "
        "“Excel Workbook (.xlsx)” rồi tải lên lại."
    ]


def test_it_refuses_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    result = establishment_import(file=io.BytesIO(out.getvalue()))
    assert len(result.errors) == 1
    assert "không phải là sổ tính Excel" in str(result.errors[0])


def test_it_refuses_a_file_larger_than_the_limit(commune, settings):
    settings.IMPORT_MAX_BYTES = 1000
    result = establishment_import(file=xlsx([row(n, commune) for n in range(50)]))
    assert len(result.errors) == 1
    assert "quá lớn" in str(result.errors[0])
    assert Establishment.objects.count() == 0


def test_it_names_a_missing_column():
    result = establishment_import(file=xlsx([], head=["Tên cơ sở", "Mã số thuế"]))
    assert {e.column for e in result.errors} == {
        "Loại hình",
        "Người đại diện",
        "Xã/phường (mã - tên)",
    }


def test_the_template_imports_to_nothing_and_offers_drop_down_lists(commune):
    content = establishment_import_template()
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["A1"].value == "Tên cơ sở"
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert any("$A$1:$A$6" in f for f in formulas)  # six kinds
    assert any("$B$1:$B$166" in f for f in formulas)  # Thanh Hóa's communes
    lists = load_workbook(io.BytesIO(content)).worksheets[1]
    assert lists["B1"].value.split(" - ")[0].isdigit()

    result = establishment_import(file=io.BytesIO(content))
    # Only the example row, which is skipped: the file has nothing to import.
    assert not result.ok
    assert Establishment.objects.count() == 0


def test_the_example_row_is_skipped_when_left_in_place(commune):
    template = load_workbook(io.BytesIO(establishment_import_template()))
    sheet = template.worksheets[0]
    sheet.append(row(7, commune))
    out = io.BytesIO()
    template.save(out)
    out.seek(0)
    result = establishment_import(file=out)
    assert result.ok, result.errors
    assert result.created == 1
    assert Establishment.objects.get().tax_code == "2800000007"


def test_the_command_imports_and_exits_non_zero_on_errors(commune, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([row(1, commune), row(2, commune)]).getvalue())
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([row(1, commune), row(2, commune, kind="")]).getvalue())

    with pytest.raises(CommandError) as excinfo:
        call_command("import_establishments", str(bad))
    assert "Dòng 3, cột “Loại hình”" in str(excinfo.value)
    assert Establishment.objects.count() == 0

    out = io.StringIO()
    call_command("import_establishments", str(good), "--dry-run", stdout=out)
    assert Establishment.objects.count() == 0
    call_command("import_establishments", str(good), stdout=out)
    assert Establishment.objects.count() == 2
    assert "2 mới" in out.getvalue()


def test_the_command_exit_code_is_non_zero_for_a_bad_file(tmp_path, settings):
    path = tmp_path / "not.xlsx"
    path.write_text("plain text")
    # The real process: what an operator's script sees.
    done = subprocess.run(
        [sys.executable, "manage.py", "import_establishments", str(path), "--dry-run"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "khuyencong.settings.test"},
        cwd=settings.BASE_DIR,
    )
    assert done.returncode == 1
    assert "không phải là sổ tính Excel" in done.stderr


def test_a_household_that_received_a_tax_code_is_found_by_its_registration_no(
    commune,
):
    household = row(
        1, commune, kind="Hộ kinh doanh", tax_code="", business_registration_no="28A1"
    )
    establishment_import(file=xlsx([household]))
    household[2] = "2801111111"
    result = establishment_import(file=xlsx([household]))
    assert (result.created, result.updated) == (0, 1)
    assert Establishment.objects.get().tax_code == "2801111111"


def test_two_rows_cannot_describe_the_same_establishment(commune):
    EstablishmentFactory(kind="household", tax_code="", business_registration_no="28A1")
    rows = [
        row(1, commune, kind="Hộ kinh doanh", business_registration_no="28A1"),
        row(
            2,
            commune,
            kind="Hộ kinh doanh",
            tax_code="",
            business_registration_no="28A1",
        ),
    ]
    result = establishment_import(file=xlsx(rows))
    assert [(e.row, str(e)) for e in result.errors] == [
        (3, "Dòng 3: Dòng này và dòng 2 cùng chỉ một cơ sở đã đăng ký.")
    ]


def test_sectors_are_replaced_by_those_in_the_file(commune, sector):
    other = Establishment.sectors.field.related_model.objects.get(code="co-khi")
    est = EstablishmentFactory(tax_code="2800000001", commune=commune)
    est.sectors.add(other)
    result = establishment_import(file=xlsx([row(1, commune)]))
    assert result.updated == 1
    assert list(est.sectors.all()) == [sector]


def test_it_finds_the_header_below_a_title_block_and_numbers_rows_as_excel(commune):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN XÃ HOẰNG LỘC"])
    sheet.append([])
    sheet.append(header())
    sheet.append(row(1, commune))
    sheet.append(row(2, commune, kind="Không rõ"))
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    result = establishment_import(file=out)
    assert [(e.row, e.column) for e in result.errors] == [(5, "Loại hình")]


def test_it_reads_english_headers_and_labels(commune):
    from django.utils import translation

    with translation.override("en"):
        english = header()
        rows = [row(1, commune, kind="Cooperative", women_owned="Yes")]
    result = establishment_import(file=xlsx(rows, head=english))
    assert result.ok, result.errors
    est = Establishment.objects.get()
    assert est.kind == "cooperative" and est.women_owned


def test_it_understands_a_home_commune_by_its_name(commune):
    bare = commune.name.split(" ", 1)[1].upper()  # "HÀM RỒNG" for "Phường Hàm Rồng"
    rows = [
        row(1, commune, commune=commune.name),
        row(2, commune, commune=bare),
        row(3, commune, commune=commune.code),
    ]
    result = establishment_import(file=xlsx(rows))
    assert result.ok, result.errors
    assert set(Establishment.objects.values_list("commune_id", flat=True)) == {
        commune.code
    }


@pytest.mark.parametrize(
    "cell, revenue",
    [
        (1_350_000_000, 1_350_000_000),
        (1_350_000_000.0, 1_350_000_000),
        ("1.350.000.000", 1_350_000_000),
        ("1 350 000 000 đ", 1_350_000_000),
        ("1350000000", 1_350_000_000),
        ("", None),
    ],
)
def test_it_reads_the_revenue_as_every_money_field_does(commune, cell, revenue):
    assert establishment_import(file=xlsx([row(1, commune, yearly_revenue=cell)])).ok
    assert Establishment.objects.get().yearly_revenue == revenue


@pytest.mark.parametrize(
    "cell, message",
    [
        ("1,5", "Không phải số đồng nguyên"),
        ("1,350,000,000", "Không phải số đồng nguyên"),
        (1.5, "Không phải số đồng nguyên"),
        ("1.35.000", "chưa được tách thành nhóm ba chữ số"),
        (-5, "Số tiền không được âm."),
        ("nhiều", "Nhập số tiền bằng chữ số"),
    ],
)
def test_it_refuses_a_revenue_that_is_not_whole_dong(commune, cell, message):
    result = establishment_import(file=xlsx([row(1, commune, yearly_revenue=cell)]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Doanh thu năm (đồng)")]
    assert message in result.errors[0].message
    assert Establishment.objects.count() == 0
