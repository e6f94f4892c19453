"""The Excel writer and the PDF renderer, on the establishment list and on a
small exporter that uses every column type."""

from __future__ import annotations

import datetime as dt
import gc
import re
import shutil
import unicodedata
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum
from django.utils import translation

from enterprises.models import Establishment
from reports.exporters import available_kinds, get_exporter
from reports.exporters.base import (
    DATE,
    INT,
    MONEY,
    PERCENT,
    TEXT,
    Column,
    Exporter,
    Subtotal,
)
from reports.exporters.establishments import EstablishmentListExporter
from reports.periods import Period
from reports.writers.head import official_head
from reports.writers.pdf import html_to_pdf, place_date_line, render_html, write_pdf
from reports.writers.xlsx import sheet_name, write_xlsx
from tests.readers import pdf_fonts, pdf_text, read_xlsx

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils missing (make syslibs)"
)


class EveryTypeExporter(Exporter):
    kind = "every_type"
    title = "Báo cáo thử: đủ các kiểu cột [Quý/Năm] rất dài quá ba mươi mốt ký tự"
    columns = (
        Column("Tên", TEXT, 30),
        Column("Ngày", DATE, 12),
        Column("Kinh phí", MONEY, 18, total=True),
        Column("Số lượng", INT, 10, total=True),
        Column("Tỷ lệ", PERCENT, 10),
    )

    def rows(self) -> Iterator[tuple]:
        yield ("Xưởng A", dt.date(2026, 3, 5), 1_350_000_000, 3, Decimal("0.455"))
        yield ('=HYPERLINK("http://x","y")', dt.date(2026, 12, 31), 150_000, 0, 1)
        yield Subtotal(("Cộng nhóm A", None, 1_350_150_000, 3, None))
        yield ("Xưởng C", None, None, 7, None)


def exporter(cls=EstablishmentListExporter, **kwargs) -> Exporter:
    return cls(period=Period.parse("2026-Q3"), **kwargs)


def test_the_registry_knows_the_establishment_list():
    from reports.exporters.disbursement import DisbursementExporter
    from reports.exporters.progress import ProgressExporter
    from reports.exporters.summary import YearlySummaryExporter

    assert "establishments" in available_kinds()
    assert get_exporter("establishments") is EstablishmentListExporter
    assert get_exporter("progress") is ProgressExporter
    assert get_exporter("disbursement") is DisbursementExporter
    assert get_exporter("yearly_summary") is YearlySummaryExporter
    assert get_exporter("retired") is None


def test_an_exporters_rows_can_be_read_only_once():
    e = exporter(EveryTypeExporter)
    list(e.iter_rows())
    with pytest.raises(RuntimeError):
        list(e.iter_rows())


# --- Excel ------------------------------------------------------------------


def test_xlsx_totals_match_the_database(establishments, tmp_path):
    Establishment.objects.filter(pk=establishments[0].pk).update(is_active=False)
    path = tmp_path / "list.xlsx"
    with translation.override("vi"):
        count = write_xlsx(exporter(), path)

    expected = Establishment.objects.filter(is_active=True).aggregate(
        n=Count("pk"),
        workers=Sum("workers_total"),
        women=Count("pk", Q(women_owned=True)),
    )
    _ws, header, rows, totals = read_xlsx(path)
    assert count == len(rows) == expected["n"] == 24
    assert header[:4] == ["STT", "Cơ sở", "Loại hình", "Mã số thuế"]
    assert header[7] == "Lao động"
    assert totals[1].value == "Tổng cộng"
    assert totals[7].value == expected["workers"]
    assert totals[8].value == expected["women"]
    assert totals[9].value == 0  # no projects yet: nothing received
    # Every money and count cell is a number with thousands grouping.
    for row in [*rows, totals]:
        for cell in (row[7], row[8], row[9]):
            assert isinstance(cell.value, int)
            assert cell.number_format == "#,##0"
    names = {r[1].value for r in rows}
    assert establishments[0].name not in names


def test_xlsx_layout_title_rows_frozen_header_filter_and_widths(
    establishments, tmp_path
):
    path = tmp_path / "list.xlsx"
    with translation.override("vi"):
        write_xlsx(exporter(source="KCDP"), path)
    ws, _header, rows, _totals = read_xlsx(path)
    assert ws.title == "Danh sách cơ sở công nghiệp"
    # The official head (reports.writers.head): issuer left, motto right.
    assert ws["A1"].value == "SỞ CÔNG THƯƠNG THANH HÓA"
    assert "TRUNG TÂM KHUYẾN CÔNG" in ws["A2"].value
    assert ws["A2"].font.bold
    assert ws["A3"].value == "Số: ..../BC-TTKC"
    motto = ws.cell(row=1, column=5)
    assert motto.value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert ws.cell(row=2, column=5).value == "Độc lập - Tự do - Hạnh phúc"
    assert ws.cell(row=3, column=5).font.italic
    assert ws["A4"].value == "DỰ THẢO"
    assert ws["A6"].value == "DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN"
    assert ws["A6"].font.bold
    assert ws["A7"].value == "Quý III năm 2026 · Khuyến công địa phương (KCĐP)"
    assert ws["A8"].value == "Đơn vị tính: đồng"
    assert ws.freeze_panes == "A10"
    assert ws.auto_filter.ref == f"A9:J{9 + len(rows)}"
    assert ws.column_dimensions["B"].width == 36
    assert ws.print_title_rows == "$9:$9"
    # The print area runs from the head to below the signatures.
    assert ws.print_area.split("!")[1].startswith("$A$1:$J$")
    assert int(ws.print_area.rsplit("$", 1)[1]) >= ws.max_row
    assert rows[0][1].alignment.wrap_text


def test_xlsx_writes_dates_percent_and_neutralises_formulas(tmp_path):
    path = tmp_path / "types.xlsx"
    write_xlsx(exporter(EveryTypeExporter), path)
    ws, _header, rows, totals = read_xlsx(path)
    assert len(ws.title) <= 31
    assert not set("[]:*?/\\") & set(ws.title)
    first, formula, subtotal, partial = rows
    assert first[1].value == dt.datetime(2026, 3, 5)
    assert first[1].number_format == "dd/mm/yyyy"
    assert first[2].value == 1_350_000_000
    assert first[4].number_format == "0.0%"
    assert float(first[4].value) == pytest.approx(0.455)
    # Shown as typed, stored as text: never evaluated as a formula.
    assert formula[0].data_type == "s"
    assert formula[0].value.startswith("=HYPERLINK")
    assert partial[1].value is None
    # A subtotal row is printed bold and left out of the totals.
    assert subtotal[0].value == "Cộng nhóm A"
    assert subtotal[2].font.bold and subtotal[2].number_format == "#,##0"
    assert not first[2].font.bold
    assert totals[2].value == 1_350_150_000
    assert totals[3].value == 10


@needs_poppler
def test_pdf_prints_every_column_type_and_subtotals(tmp_path):
    path = tmp_path / "types.pdf"
    with translation.override("vi"):
        write_pdf(exporter(EveryTypeExporter), path)
    text = pdf_text(path)
    assert "05/03/2026" in text
    assert "1.350.000.000" in text
    assert "45,5 %" in text
    assert "Cộng nhóm A" in text
    assert "1.350.150.000" in text


def test_the_pdf_leaves_no_garbage_behind(tmp_path):
    """html_to_pdf frees the document's reference cycles itself (a young
    collection after the layout): a full collection right after it finds
    next to nothing, where this page leaves about 9,000 objects."""
    html, _printed = render_html(exporter(EveryTypeExporter))
    html_to_pdf(html, str(tmp_path / "g.pdf"))
    assert gc.collect() < 100


def test_sheet_names_are_valid_and_vietnamese():
    assert sheet_name("Giải ngân: Quý III/2026") == "Giải ngân  Quý III 2026"
    assert len(sheet_name("x" * 50)) == 31
    assert sheet_name("Báo cáo tiến độ thực hiện đề án khuyến công") == (
        "Báo cáo tiến độ thực hiện đề án"
    )
    decomposed = unicodedata.normalize("NFD", "Tiến độ")
    assert sheet_name(decomposed) == "Tiến độ"


# --- PDF --------------------------------------------------------------------


def test_the_place_date_line_is_official_style():
    with translation.override("vi"):
        assert place_date_line(dt.date(2026, 11, 25)) == (
            "Thanh Hóa, ngày 25 tháng 11 năm 2026"
        )
        assert place_date_line(dt.date(2026, 2, 5)) == (
            "Thanh Hóa, ngày 05 tháng 02 năm 2026"
        )


@needs_poppler
def test_pdf_has_title_motto_and_embedded_fonts(establishments, tmp_path):
    # A name typed decomposed (NFD) must come out composed.
    Establishment.objects.filter(pk=establishments[1].pk).update(
        name=unicodedata.normalize("NFD", "Cơ sở Gốm Lò Chum Hàm Rồng")
    )
    path = tmp_path / "list.pdf"
    head = official_head(number="7/BC-TTKC", issued_on=dt.date(2026, 11, 25))
    with translation.override("vi"):
        write_pdf(exporter(), path, head=head)
    text = pdf_text(path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN" in text
    assert "SỞ CÔNG THƯƠNG THANH HÓA" in text
    assert "Thanh Hóa, ngày 25 tháng 11 năm 2026" in text
    assert "Số: 7/BC-TTKC" in text
    assert "DỰ THẢO" not in text
    assert "Quý III năm 2026" in text
    assert "Cơ sở Gốm Lò Chum Hàm Rồng" in text
    assert "GIÁM ĐỐC" in text
    assert re.search(r"Trang 1/\d", text)
    fonts = pdf_fonts(path)
    assert fonts, "no font in the PDF"
    for line in fonts:
        # columns: name type encoding emb sub uni object ID
        assert "LiberationSerif" in line[0]
        assert line[-5] == "yes", line  # emb


@needs_poppler
def test_pdf_repeats_the_header_on_every_page_and_numbers_pages(tmp_path):
    from enterprises.models import Commune, EstablishmentKind

    commune = Commune.objects.in_province(38).first()
    Establishment.objects.bulk_create(
        Establishment(
            name=f"Cơ sở sản xuất nước mắm số {i}",
            kind=EstablishmentKind.HOUSEHOLD,
            representative_name="Trần Văn Nam",
            business_registration_no=f"HKD-{i}",
            commune=commune,
            workers_total=2,
        )
        for i in range(120)
    )
    path = tmp_path / "long.pdf"
    with translation.override("vi"):
        write_pdf(exporter(), path)
    text = pdf_text(path)
    pages = text.count("\f")
    assert pages >= 3
    assert f"Trang 2/{pages}" in text
    assert text.count("Mã số thuế") == pages
    assert "Tổng cộng" in text
    assert "240" in text  # total workers


class WideExporter(Exporter):
    """Fifteen columns, nine of them money in billions: the disbursement report."""

    kind = "wide"
    title = "Báo cáo rộng"
    columns = (
        Column("STT", INT, 4),
        Column("Mã", TEXT, 8),
        Column("Đề án", TEXT, 30),
        *(Column(f"Kinh phí {i} (đồng)", MONEY, 8, total=True) for i in range(9)),
        Column("Ngày", DATE, 6),
        Column("Tỷ lệ giải ngân", PERCENT, 6),
        Column("Ghi chú", TEXT, 10),
    )

    def rows(self) -> Iterator[tuple]:
        for n in range(1, 4):
            yield (
                n,
                f"KCĐP-2018-00{n}",
                "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào sản xuất",
                *([1_720_000_000 * n] * 9),
                dt.date(2018, 3, n),
                Decimal("0.947"),
                "",
            )


def test_pdf_columns_fit_numbers_codes_and_header_words_on_a4_landscape():
    from reports.writers.pdf import (
        FONT_SIZES_PT,
        PT_MM,
        TABLE_WIDTH_MM,
        fit_columns,
        longest_word_em,
        text_em,
    )

    # The embedded font's own metrics: a bold billion is wider than a plain one.
    assert text_em("Tổng cộng") > text_em("Tổng cộng", bold=False) > 3
    assert text_em("1.720.000.000") > 5
    columns = WideExporter.columns
    billion = text_em("10.320.000.000")
    needed = [
        text_em("3"),
        longest_word_em("KCĐP-2018-001", bold=False),
        longest_word_em("Hỗ trợ ứng dụng", bold=False),
        *([billion] * 9),
        text_em("03/03/2018"),
        text_em("94,7 %"),
        0.0,
    ]
    size, widths = fit_columns(columns, needed)
    assert size < FONT_SIZES_PT[0]  # fifteen columns do not fit at 8 pt
    assert sum(widths) <= TABLE_WIDTH_MM + 0.01
    em = size * PT_MM
    for column, need, width in zip(columns, needed, widths, strict=True):
        assert width >= need * em  # a billion, a date, a code on one line
        assert width >= longest_word_em(str(column.header)) * em  # "(đồng)", "STT"
    # A narrow report keeps the larger type and gives text what is left.
    size, widths = fit_columns(EveryTypeExporter.columns, [3, 5, 7, 1, 3])
    assert size == FONT_SIZES_PT[0]
    assert sum(widths) == pytest.approx(TABLE_WIDTH_MM)


@needs_poppler
def test_pdf_prints_every_billion_and_code_unbroken(tmp_path):
    path = tmp_path / "wide.pdf"
    with translation.override("vi"):
        write_pdf(WideExporter(period=Period.parse("2018")), path)
    lines = pdf_text(path).splitlines()
    for n in range(1, 4):
        amount = f"{1_720_000_000 * n:,}".replace(",", ".")
        assert any(amount in line for line in lines), amount
        assert any(f"KCĐP-2018-00{n}" in line for line in lines)
    assert any("10.320.000.000" in line for line in lines)  # a column's total
