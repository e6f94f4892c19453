"""Build the shipped Word templates (docxtpl) of reports.documents.

Run once after changing this file: `.venv/bin/python reports/docx_templates/build.py`.
An administrator replaces any of them in the admin ("Word templates"); the
variables are listed in README.md next to this file.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"


def new_document(*, landscape: bool) -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.font.size = Pt(13)
    style.paragraph_format.space_after = Pt(0)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = Mm(15)
        section.left_margin, section.right_margin = Mm(20), Mm(15)
    else:
        # Decree 30/2020: top and bottom 20-25 mm, left 30-35, right 15-20.
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    return doc


def para(container, text="", *, bold=False, italic=False, size=None, align=None):
    p = container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    return p


CENTER = WD_ALIGN_PARAGRAPH.CENTER


def head_block(doc) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run("{{ head.organisation_parent|upper }}").font.size = Pt(
        12
    )
    left.paragraphs[0].alignment = CENTER
    para(left, "{{ head.organisation_name|upper }}", bold=True, size=12, align=CENTER)
    para(left, "{{ head.number_line }}", size=13, align=CENTER)
    run = right.paragraphs[0].add_run("{{ national_title }}")
    run.bold, run.font.size = True, Pt(12)
    right.paragraphs[0].alignment = CENTER
    para(right, "{{ motto }}", bold=True, size=13, align=CENTER)
    para(right, "{{ head.place_date }}", italic=True, size=13, align=CENTER)
    para(doc, "{{ draft_line }}", bold=True, align=CENTER)


def closing_block(doc, *, recipients=True, parties=False) -> None:
    """ "Nơi nhận" and the two signatures of the centre (head.signatures), or,
    for a contract and its minutes, the representatives of both parties."""
    table = doc.add_table(rows=1, cols=3)
    left, middle, right = table.rows[0].cells
    if recipients:
        left.paragraphs[0].add_run("Nơi nhận:").bold = True
        left.paragraphs[0].runs[0].italic = True
        para(left, "{%p for line in head.recipients %}", size=11)
        para(left, "- {{ line }}", size=11)
        para(left, "{%p endfor %}", size=11)
    for cell, index in ((middle, 0), (right, 1)):
        cell.paragraphs[0].alignment = CENTER
        if parties:
            title = ("ĐẠI DIỆN BÊN B", "ĐẠI DIỆN BÊN A")[index]
            cell.paragraphs[0].add_run(title).bold = True
            para(cell, "(Ký, ghi rõ họ tên)", italic=True, size=11, align=CENTER)
            for _ in range(4):
                para(cell)
            continue
        run = cell.paragraphs[0].add_run(f"{{{{ head.signatures[{index}][0]|upper }}}}")
        run.bold = True
        para(
            cell,
            f"{{{{ head.signatures[{index}][1] }}}}",
            italic=True,
            size=11,
            align=CENTER,
        )
        for _ in range(4):
            para(cell)
        para(cell, f"{{{{ head.signatures[{index}][2] }}}}", bold=True, align=CENTER)


def report_template() -> None:
    doc = new_document(landscape=True)
    head_block(doc)
    para(doc, "{{ title|upper }}", bold=True, size=14, align=CENTER)
    para(doc, "{{ subtitle }}", bold=True, align=CENTER)
    para(
        doc,
        "{{ head.unit_line }}",
        italic=True,
        size=11,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    para(doc, "{{ table }}")
    para(doc)
    closing_block(doc)
    doc.save(HERE / "bao-cao.docx")


def facts_table(doc, rows) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value


def funding_table(doc, *, amount: str, label: str) -> None:
    table = doc.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Nguồn kinh phí", "Kế hoạch", label), strict=True
    ):
        cell.paragraphs[0].add_run(text).bold = True
    row = table.rows[1].cells
    row[0].text = "{%tr for f in fundings %}"
    row = table.rows[2].cells
    # docxtpl: the rows between {%tr for %} and {%tr endfor %} repeat.
    row[0].text = "{{ f.source }}"
    row[1].text = "{{ f.plan }}"
    row[2].text = f"{{{{ f.{amount} }}}}"
    end = table.add_row().cells
    end[0].text = "{%tr endfor %}"


IDENTIFICATION = [
    ("Mã đề án", "{{ code }}"),
    ("Tên đề án", "{{ title }}"),
    ("Nội dung hoạt động", "{{ content }}"),
    ("Đơn vị thực hiện", "{{ implementing_unit }}"),
    ("Đơn vị phối hợp", "{{ partner_unit }}"),
    ("Địa điểm", "{{ place }}"),
    ("Thời gian thực hiện", "{{ start_date }} – {{ end_date }}"),
]


def beneficiaries(doc) -> None:
    para(doc, "Cơ sở thụ hưởng:", bold=True)
    para(doc, "{%p for e in beneficiaries %}")
    para(doc, "- {{ e.name }}{% if e.address %}, {{ e.address }}{% endif %}")
    para(doc, "{%p endfor %}")


def paper(key: str, title: str, body, *, parties: bool = False) -> None:
    doc = new_document(landscape=False)
    head_block(doc)
    para(doc)
    para(doc, title, bold=True, size=14, align=CENTER)
    para(doc, "{{ title }}", bold=True, align=CENTER)
    para(doc)
    body(doc)
    para(doc)
    closing_block(doc, recipients=not parties, parties=parties)
    doc.save(HERE / f"{key}.docx")


def legal_basis(doc) -> None:
    """The legal basis in force on the record's date (documents.legal_bases)."""
    para(doc, "{%p for basis in legal_bases %}")
    para(doc, "Căn cứ {{ basis }};", italic=True)
    para(doc, "{%p endfor %}")


def to_trinh(doc) -> None:
    para(doc, "Kính gửi: {{ blank }}")
    legal_basis(doc)
    para(doc, "Trung tâm đề nghị xem xét, phê duyệt đề án khuyến công sau:")
    facts_table(doc, [*IDENTIFICATION, ("Mục tiêu", "{{ objectives }}")])
    beneficiaries(doc)
    para(doc, "Kinh phí khuyến công đề nghị hỗ trợ (đồng):", bold=True)
    funding_table(doc, amount="requested", label="Đề nghị hỗ trợ (đồng)")
    para(doc, "Tổng kinh phí đề nghị hỗ trợ: {{ requested_total }} đồng.")


def quyet_dinh(doc) -> None:
    para(doc, "Số quyết định: {{ decision_no }}; ngày {{ decision_date }}", italic=True)
    legal_basis(doc)
    para(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER)
    para(doc, "Điều 1. Phê duyệt đề án khuyến công:")
    facts_table(doc, IDENTIFICATION)
    beneficiaries(doc)
    funding_table(doc, amount="approved", label="Kinh phí phê duyệt (đồng)")
    para(doc, "Tổng kinh phí khuyến công được phê duyệt: {{ approved_total }} đồng.")
    para(doc, "Điều 2. {{ blank }}")
    para(doc, "Điều 3. {{ blank }}")


def hop_dong(doc) -> None:
    para(doc, "Số hợp đồng: {{ contract_no }}; ngày {{ contract_date }}", italic=True)
    legal_basis(doc)
    para(
        doc,
        "Căn cứ Quyết định phê duyệt số {{ decision_no }} ngày {{ decision_date }}.",
        italic=True,
    )
    para(doc, "BÊN A (bên giao): {{ head.organisation_name }}", bold=True)
    para(doc, "BÊN B (bên nhận): {{ implementing_unit }}", bold=True)
    facts_table(doc, IDENTIFICATION)
    funding_table(doc, amount="approved", label="Kinh phí hỗ trợ (đồng)")
    para(doc, "Tổng giá trị kinh phí khuyến công hỗ trợ: {{ approved_total }} đồng.")


def nghiem_thu(doc) -> None:
    para(
        doc,
        "Số biên bản: {{ acceptance_no }}; ngày nghiệm thu {{ acceptance_date }}",
        italic=True,
    )
    para(
        doc,
        "Căn cứ Hợp đồng số {{ contract_no }} ngày {{ contract_date }}.",
        italic=True,
    )
    facts_table(doc, IDENTIFICATION)
    para(doc, "Kết quả thực hiện so với mục tiêu:", bold=True)
    table = doc.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Chỉ tiêu", "Mục tiêu", "Đạt được"), strict=True
    ):
        cell.paragraphs[0].add_run(text).bold = True
    table.rows[1].cells[0].text = "{%tr for label, target, done in achieved %}"
    cells = table.rows[2].cells
    cells[0].text, cells[1].text, cells[2].text = (
        "{{ label }}",
        "{{ target }}",
        "{{ done }}",
    )
    table.add_row().cells[0].text = "{%tr endfor %}"
    para(doc, "Kinh phí đã giải ngân: {{ disbursed_total }} đồng.")


def thanh_ly(doc) -> None:
    para(
        doc,
        "Thanh lý Hợp đồng số {{ contract_no }} ngày {{ contract_date }}.",
        italic=True,
    )
    para(
        doc,
        "Căn cứ Biên bản nghiệm thu số {{ acceptance_no }} ngày {{ acceptance_date }}.",
        italic=True,
    )
    facts_table(doc, IDENTIFICATION)
    funding_table(doc, amount="settled", label="Kinh phí quyết toán (đồng)")
    para(
        doc,
        "Kinh phí được duyệt: {{ approved_total }} đồng; đã giải ngân: "
        "{{ disbursed_total }} đồng; quyết toán: {{ settled_total }} đồng "
        "(ngày {{ settled_on }}).",
    )


def main() -> None:
    report_template()
    paper("to-trinh", "TỜ TRÌNH", to_trinh)
    paper("quyet-dinh", "QUYẾT ĐỊNH (DỰ THẢO)", quyet_dinh)
    paper("hop-dong", "HỢP ĐỒNG THỰC HIỆN ĐỀ ÁN KHUYẾN CÔNG", hop_dong, parties=True)
    paper("nghiem-thu", "BIÊN BẢN NGHIỆM THU", nghiem_thu, parties=True)
    paper("thanh-ly", "BIÊN BẢN THANH LÝ HỢP ĐỒNG", thanh_ly, parties=True)


if __name__ == "__main__":
    main()
