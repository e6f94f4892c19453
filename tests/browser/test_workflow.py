"""The portal's workflows as people use them, in a real browser.

Only reference data (a year plan) and users come from fixtures; everything
else is typed into the forms and clicked, one browser window per person:

- staff (Chuyên viên): registers the establishment, drafts, submits, revises,
  starts, records equipment, inspection, money, acceptance and settlement;
- reviewer (Thẩm định viên): receives, records the Sở's appraisal after the
  council, returns from the decision step with a comment, then records the
  provincial committee's decision;
- manager (Lãnh đạo): reads the project and downloads its progress report.

A few focused tests follow the other paths: the national route, returned
from the ministry's appraisal and again from its decision step; a draft that
does not add up, rejection and cancellation, and what each role's menus and
lists offer.

Each window is checked for the buttons its role must not see as well as the
ones it must.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from enterprises.models import Commune
from projects.models import Plan, Programme, Source
from tests.readers import pdf_text

from .shots import shot
from .walk import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ESTABLISHMENT = "Cơ sở mộc mỹ nghệ Đông Sơn"
TITLE = "Hỗ trợ máy chạm khắc gỗ CNC"
COMMENT = "Bổ sung báo giá thiết bị và mục tiêu cụ thể"
OBJECTIVES = "Nâng năng suất chạm khắc lên gấp ba"
EXECUTION = "Thiết bị, kiểm tra, nghiệm thu và giải ngân"
# Links of the execution page that write records (centre staff only).
RECORDING = [
    "Ghi giải ngân",
    "Thêm thiết bị",
    "Lên lịch kiểm tra",
    "Cập nhật tiến độ",
    "Thêm ảnh",
    "Ghi nghiệm thu",
    "Sửa",
]


@pytest.fixture
def plan(db) -> Plan:
    """This year's local plan: reference data the administrator keeps."""
    year = timezone.localdate().year
    programme = Programme.objects.create(
        source=Source.LOCAL,
        name="Chương trình khuyến công địa phương",
        start_year=year - 1,
        end_year=year + 4,
        decision_no="15/QĐ-UBND",
        decision_date=dt.date(year - 1, 12, 1),
    )
    return Plan.objects.create(
        programme=programme,
        year=year,
        allocated=2_000_000_000,
        decision_no="20/QĐ-UBND",
        decision_date=dt.date(year, 1, 10),
    )


@pytest.fixture
def in_process(monkeypatch):
    """Run report jobs in the web process, as `make run` does without a broker.

    CELERY_TASK_ALWAYS_EAGER is derived from CELERY_BROKER_URL when Celery
    reads the settings, once; CI sets a broker but runs no worker for the live
    server, so the app's own flag is set here. tests/reports/test_worker.py
    covers the real worker.
    """
    from khuyencong.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)


# Lower-case English words that no Vietnamese page text contains: one of them
# on screen is a string that escaped translation.
ENGLISH = re.compile(r"\b(the|and|of|your|with|this|was|has|been|is|are|not|for)\b")


def assert_vietnamese(page) -> None:
    text = page.locator("body").inner_text()
    assert ENGLISH.findall(text) == [], text


def field(scope, label: str):
    """The input labelled exactly `label`; a required one's label ends in "*"."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}(\s*\*)?$"))


def nav(page, label: str) -> None:
    """Follow an item of the navigation bar (its count badge aside), opening
    the menu that holds it first when it is in one."""
    link = page.locator("#main-nav").get_by_role(
        "link", name=label, include_hidden=True
    )
    if not link.is_visible():
        holder = page.locator("#main-nav li.dropdown").filter(has=link)
        holder.locator(".dropdown-toggle").click()
    link.click()
    expect(link).to_have_attribute("aria-current", "page")
    assert_vietnamese(page)


def expect_status(page, label: str) -> None:
    expect(page.get_by_test_id("status")).to_have_text(label)
    assert_vietnamese(page)


def expect_message(page, text: str) -> None:
    expect(page.get_by_role("alert").first).to_contain_text(text)
    assert_vietnamese(page)


def action(page, name: str):
    """The form of one lifecycle action on the project page; a secondary
    action's form is opened by its button first, as a user does."""
    form = page.locator(f'form[data-action="{name}"]')
    # The form is on the project page only: waiting for it means the page a
    # click led to has loaded, so the question below is asked of that page
    # and not of the one being left (CI once filled a closed form that way).
    expect(form).to_be_attached()
    behind = page.locator(f'details[data-secondary="{name}"]')
    if behind.count() and behind.get_attribute("open") is None:
        behind.locator("summary").click()
    expect(form).to_be_visible()
    return form


def buttons(page) -> list[str]:
    """What a user can press: buttons, and the buttons that open a form."""
    shown = page.locator("summary").all_inner_texts()
    shown += page.get_by_role("button").all_inner_texts()
    return [b.strip() for b in shown]


def home_commune() -> Commune:
    return (
        Commune.objects.in_province(settings.HOME_PROVINCE_CODE)
        .filter(name__startswith="Xã ")
        .order_by("name")
        .first()
    )


def register_establishment(s, name: str, registration_no: str) -> None:
    """Staff fill in the registration form, from the navigation bar."""
    nav(s, "Cơ sở CNNT")
    s.get_by_role("link", name="Đăng ký cơ sở").click()
    field(s, "Tên").fill(name)
    field(s, "Loại hình").select_option(label="Hộ kinh doanh")
    field(s, "Số đăng ký kinh doanh").fill(registration_no)
    field(s, "Người đại diện").fill("Trịnh Văn Bình")
    pick(s, "Xã/phường", home_commune().name)
    s.get_by_label("Chế biến lâm sản").check()
    field(s, "Lao động").fill("12")
    s.get_by_role("button", name="Lưu").click()
    expect_message(s, "Đã đăng ký cơ sở.")


def draft_project(
    s, title: str, beneficiary: str, *, total_cost: str = "300000000"
) -> str:
    """Staff draft a machinery project asking 120 million from this year's
    local plan; returns the project's code."""
    today = timezone.localdate()
    nav(s, "Đề án")
    s.get_by_role("link", name="Lập đề án mới").click()
    field(s, "Tên đề án").fill(title)
    field(s, "Nội dung khuyến công").select_option(
        label="4. Ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ"
    )
    pick(s, "Đơn vị thụ hưởng", beneficiary)
    field(s, "Ngày bắt đầu").fill(today.isoformat())
    field(s, "Ngày kết thúc").fill((today + dt.timedelta(days=180)).isoformat())
    field(s, "Tổng kinh phí (đồng)").fill(total_cost)
    field(s, "Vốn đối ứng (đồng)").fill("180000000")
    field(s, "Kế hoạch").first.select_option(index=1)
    field(s, "Kinh phí đề nghị hỗ trợ (đồng)").first.fill("120000000")
    s.get_by_role("button", name="Lưu dự thảo").click()
    expect_message(s, "Đã lưu đề án.")
    expect_status(s, "Dự thảo")
    return s.get_by_role("heading", level=1).inner_text().split(" · ")[0]


def review_to_the_decision(r, code: str, reviewer, signed_in=None) -> None:
    """The Sở receives the project from its to-do list, the appraisal council
    concludes — its members score in the browser and the secretary closes
    the session when `signed_in` is given, else through the service the
    closing calls — and the Sở records its appraisal opinion."""
    from projects.models import Project
    from tests.browser.council import hold_the_council
    from tests.builders import council

    nav(r, "Việc cần làm")
    r.get_by_test_id("todo-appraisal").get_by_role("link", name=code).click()
    expect_status(r, "Đã gửi thẩm định")
    assert {"Tiếp nhận (hồ sơ đầy đủ)", "Trả lại để chỉnh sửa", "Từ chối"} <= set(
        buttons(r)
    )
    assert "Ghi quyết định phê duyệt" not in buttons(r)
    action(r, "receive").get_by_role("button", name="Tiếp nhận (hồ sơ đầy đủ)").click()
    expect_status(r, "Đã tiếp nhận, hồ sơ đầy đủ")
    expect(r.get_by_test_id("step-page-link")).to_be_visible()
    if signed_in:
        hold_the_council(signed_in, r, Project.objects.get(code=code), reviewer)
    else:
        council(Project.objects.get(code=code), reviewer)
    nav(r, "Việc cần làm")
    r.get_by_test_id("todo-scored").get_by_role("link", name=code).click()
    expect_status(r, "Hội đồng đã xét chọn")
    opinion = action(r, "appraise")
    field(opinion, "Ý kiến thẩm định").fill("Đạt yêu cầu, đề nghị phê duyệt")
    opinion.get_by_role("button", name="Ghi ý kiến thẩm định của Sở").click()
    expect_status(r, "Đã thẩm định")


def expect_returned(page, level: str, step_status: str, comment: str) -> None:
    """The timeline's last entry is a return from `level`, taken at the step
    of `step_status` by the reviewer (Nguyễn Văn Minh), with `comment`."""
    expect_status(page, "Bị trả lại để chỉnh sửa")
    entry = page.get_by_test_id("timeline").locator("li").last
    expect(entry.get_by_test_id("level")).to_have_text(level)
    expect(entry).to_contain_text("Trả lại để chỉnh sửa")
    expect(entry).to_contain_text("Nguyễn Văn Minh")
    expect(entry).to_contain_text(f"({step_status} → Bị trả lại để chỉnh sửa)")
    expect(entry).to_contain_text(comment)


def open_project(page, code: str) -> None:
    nav(page, "Đề án")
    page.get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)


def test_a_project_goes_from_registration_to_settlement_and_into_a_report(
    signed_in, staff, reviewer, manager, plan, in_process
):
    today = timezone.localdate()
    iso = today.isoformat()

    # --- staff registers the establishment and drafts a project for it -------
    s = signed_in(staff)
    register_establishment(s, ESTABLISHMENT, "28A8-004217")
    expect(s.get_by_role("heading", level=1)).to_have_text(ESTABLISHMENT)
    expect(s.get_by_test_id("eligibility")).to_contain_text(
        "Thuộc đối tượng được hỗ trợ khuyến công"
    )
    code = draft_project(s, TITLE, ESTABLISHMENT)
    # Staff act on their draft; the reviewer's steps are not offered.
    assert "Gửi thẩm định" in buttons(s)
    assert "Phê duyệt" not in buttons(s)
    assert "Trả lại để chỉnh sửa" not in buttons(s)
    action(s, "submit").get_by_role("button", name="Gửi thẩm định").click()
    expect_status(s, "Đã gửi thẩm định")
    assert s.get_by_role("link", name="Sửa", exact=True).count() == 0

    # --- the reviewer receives it, the council scores it, the Sở appraises ----
    r = signed_in(reviewer)
    # The Sở's reviewers read the reports' history; they request none.
    reports = r.locator("#main-nav").get_by_role("link", name="Báo cáo")
    assert reports.get_attribute("href") == "/bao-cao/lich-su/"
    review_to_the_decision(r, code, reviewer, signed_in)
    # At the decision step: the provincial committee's decision, or a return.
    assert {"Trả lại để chỉnh sửa", "Ghi quyết định phê duyệt", "Từ chối"} <= set(
        buttons(r)
    )
    assert "Gửi thẩm định" not in buttons(r)
    assert "Gửi lại" not in buttons(r)
    assert r.get_by_role("link", name="Sửa", exact=True).count() == 0

    # --- the province sends it back from the decision step -------------------
    back = action(r, "return")
    field(back, "Nội dung cần chỉnh sửa").fill(COMMENT)
    back.get_by_role("button", name="Trả lại để chỉnh sửa").click()
    expect_status(r, "Bị trả lại để chỉnh sửa")
    assert buttons(r).count("Ghi quyết định phê duyệt") == 0
    # The timeline names the level it came from, who sent it and why.
    expect_returned(r, "Ủy ban nhân dân tỉnh", "Đã thẩm định", COMMENT)
    shot(r, "local-returned-from-decision", office_screen=True)

    # --- staff sees the comment, revises and resubmits -------------------------
    nav(s, "Việc cần làm")
    s.get_by_test_id("todo-returned").get_by_role("link", name=code).click()
    expect_status(s, "Bị trả lại để chỉnh sửa")
    assert COMMENT in s.get_by_test_id("timeline").inner_text()
    expect(s.get_by_test_id("return-comment")).to_contain_text(
        "(cấp Ủy ban nhân dân tỉnh)"
    )
    s.get_by_role("link", name="Sửa", exact=True).click()
    field(s, "Mục tiêu").fill(OBJECTIVES)
    s.get_by_role("button", name="Lưu dự thảo").click()
    expect_message(s, "Đã lưu đề án.")
    again = action(s, "resubmit")
    field(again, "Nội dung đã chỉnh sửa").fill("Đã bổ sung báo giá")
    again.get_by_role("button", name="Gửi lại").click()
    expect_status(s, "Đã gửi thẩm định")

    # --- through the route again; the decision, with a smaller amount ----------
    review_to_the_decision(r, code, reviewer)
    expect(r.get_by_text(OBJECTIVES)).to_be_visible()
    approve = action(r, "approve")
    # The authority comes from the route: the provincial committee.
    expect(field(approve, "Cơ quan ban hành").locator("option:checked")).to_have_text(
        "Ủy ban nhân dân tỉnh"
    )
    field(approve, "Số quyết định").fill("88/QĐ-UBND")
    field(approve, "Ngày quyết định").fill(iso)
    amount = approve.get_by_label(re.compile("Kinh phí hỗ trợ được duyệt"))
    assert amount.input_value() == "120.000.000"  # what was requested
    amount.fill("100000000")
    approve.get_by_role("button", name="Ghi quyết định phê duyệt").click()
    expect_status(r, "Đã phê duyệt")
    expect(r.get_by_test_id("decision")).to_contain_text("88/QĐ-UBND")
    expect(r.get_by_test_id("decision")).to_contain_text(
        "Ủy ban nhân dân tỉnh (CHỦ TỊCH)"
    )
    # Source, plan, requested, approved, settled.
    expect(
        r.get_by_test_id("budget").get_by_role("row").nth(1).locator("td")
    ).to_have_text(
        [
            "KCĐP",  # the full name in its title
            str(today.year),
            "120.000.000 đ",
            "100.000.000 đ",
            "—",
        ]
    )
    # Starting is the centre's step, not the reviewer's.
    assert "Triển khai (đã ký hợp đồng)" not in buttons(r)

    # --- staff starts it: the contract ------------------------------------------
    nav(s, "Việc cần làm")
    s.get_by_test_id("todo-contract").get_by_role("link", name=code).click()
    expect_status(s, "Đã phê duyệt")
    assert "Phê duyệt" not in buttons(s)
    assert "Hủy đề án" not in buttons(s)  # once sent, only the Sở may cancel
    start = action(s, "start")
    field(start, "Số hợp đồng").fill("12/HĐ-KC")
    field(start, "Ngày ký hợp đồng").fill(iso)
    start.get_by_role("button", name="Triển khai (đã ký hợp đồng)").click()
    expect_status(s, "Đang thực hiện")

    # --- execution: equipment, inspection, money, acceptance ------------------
    s.get_by_role("link", name=EXECUTION).click()
    s.get_by_role("link", name="Thêm thiết bị").click()
    field(s, "Hạng mục").fill("Máy chạm khắc gỗ CNC 4 trục")
    field(s, "Nhà cung cấp").fill("Công ty TNHH Cơ khí Lam Sơn")
    field(s, "Mã số thuế nhà cung cấp").fill("2801234567")
    field(s, "Số lượng").fill("1")
    field(s, "Đơn giá (đồng)").fill("250000000")
    field(s, "Kinh phí hỗ trợ (đồng)").fill("100000000")
    field(s, "Số hóa đơn").fill("0000456")
    field(s, "Ngày hóa đơn").fill(iso)
    field(s, "Số sê-ri").fill("CNC-2026-0042")
    # The picker last: nothing is typed after it, whatever it does with focus.
    pick(s, "Đơn vị thụ hưởng", ESTABLISHMENT)
    expect(field(s, "Nhà cung cấp")).to_have_value("Công ty TNHH Cơ khí Lam Sơn")
    s.get_by_role("button", name="Lưu").click()
    expect_message(s, "Đã lưu thiết bị.")
    # Kept as typed; compared without separators (duplicate checks).
    assert s.locator("code").all_inner_texts() == ["CNC-2026-0042"]

    s.get_by_role("link", name="Lên lịch kiểm tra").click()
    field(s, "Ngày dự kiến").fill(iso)
    field(s, "Ngày thực hiện").fill(iso)
    field(s, "Thành viên đoàn kiểm tra").fill("Nguyễn Văn Minh, Lê Thị Hoa")
    field(s, "Kết quả kiểm tra").fill("Máy đã lắp đặt, chạy thử đạt")
    field(s, "Tiến độ (%)").fill("60")
    s.get_by_role("button", name="Lưu").click()
    expect_message(s, "Đã lưu đợt kiểm tra.")
    expect(s.get_by_role("table").nth(3)).to_contain_text(
        "Máy đã lắp đặt, chạy thử đạt"
    )

    for kind, amount, voucher in [
        ("Tạm ứng", "30000000", "PC-01"),
        ("Thanh toán", "70000000", "PC-02"),
    ]:
        s.get_by_role("link", name="Ghi giải ngân").click()
        field(s, "Loại hình").select_option(label=kind)
        field(s, "Số tiền (đồng)").fill(amount)
        field(s, "Ngày").fill(iso)
        field(s, "Số chứng từ").fill(voucher)
        s.get_by_role("button", name="Lưu").click()
        expect_message(s, "Đã lưu khoản giải ngân.")
        expect(s.get_by_role("row").filter(has_text=voucher)).to_contain_text(kind)
    expect(s.get_by_test_id(f"paid-{Source.LOCAL}")).to_have_text("100.000.000 đ")

    # The reviewer and the manager read the same records, and may change none.
    m = signed_in(manager)
    for reader in (r, m):
        open_project(reader, code)
        expect_status(reader, "Đang thực hiện")
        expect(reader.get_by_test_id("actions")).to_have_count(0 if reader is m else 1)
        reader.get_by_role("link", name=EXECUTION).click()
        expect(reader.get_by_test_id(f"paid-{Source.LOCAL}")).to_have_text(
            "100.000.000 đ"
        )
        expect(reader.get_by_text("CNC-2026-0042")).to_be_visible()
        for label in RECORDING:
            expect(reader.get_by_role("link", name=label, exact=True)).to_have_count(0)
        expect(reader.get_by_role("button", name="Xóa")).to_have_count(0)
    # The reviewer's one step now is to cancel; the centre's are not offered.
    open_project(r, code)
    assert buttons(r).count("Hủy đề án") == 1
    assert "Đề nghị điều chỉnh" not in buttons(r)

    s.get_by_role("link", name="Ghi nghiệm thu").click()
    field(s, "Ngày nghiệm thu").fill(iso)
    field(s, "Số biên bản").fill("05/BB-NT")
    field(s, "Số máy đạt được").fill("1")
    field(s, "Số học viên đạt được").fill("0")
    field(s, "Số sản phẩm đạt được").fill("0")
    s.get_by_role("button", name="Lưu").click()
    expect_message(s, "Đã ghi nghiệm thu.")
    expect(s.get_by_text("Biên bản 05/BB-NT")).to_be_visible()

    # --- settlement, on the project page -----------------------------------------
    s.get_by_role("navigation", name="Đường dẫn").get_by_role("link", name=code).click()
    expect_status(s, "Đã nghiệm thu")
    settle = action(s, "settle")
    field(settle, "Ngày quyết toán").fill(iso)
    field(settle, "Số chứng từ chi quyết toán").fill("PC-QT-01")
    # The settlement decision, by default the approving authority's.
    expect(field(settle, "Cơ quan ban hành").locator("option:checked")).to_have_text(
        "Ủy ban nhân dân tỉnh"
    )
    field(settle, "Số quyết định phê duyệt quyết toán").fill("41/QĐ-UBND")
    assert (
        settle.get_by_label(re.compile("Kinh phí hỗ trợ quyết toán")).input_value()
        == "100.000.000"
    )
    settle.get_by_role("button", name="Ghi quyết toán").click()
    expect_status(s, "Đã quyết toán")
    expect(s.locator('[data-decision="settlement"]')).to_contain_text("41/QĐ-UBND")
    assert s.get_by_test_id("actions").count() == 0
    s.get_by_role("link", name=EXECUTION).click()
    expect(s.get_by_role("status")).to_contain_text("đã quyết toán")
    for label in RECORDING:
        expect(s.get_by_role("link", name=label, exact=True)).to_have_count(0)

    # --- the manager reads it and downloads a report ---------------------------
    open_project(m, code)
    expect_status(m, "Đã quyết toán")
    assert m.get_by_test_id("actions").count() == 0
    assert m.get_by_role("link", name="Sửa", exact=True).count() == 0
    nav(m, "Báo cáo")
    field(m, "Báo cáo").select_option(label="Báo cáo tiến độ thực hiện đề án")
    field(m, "Năm").select_option(str(today.year))
    m.get_by_role("button", name="Lập báo cáo").click()
    downloads = m.get_by_test_id("downloads")
    # Produced in the request (in-process): the PDF takes a few seconds.
    expect(downloads).to_be_visible(timeout=60_000)
    assert_vietnamese(m)
    with m.expect_download() as excel:
        downloads.get_by_role("link", name="Tải tệp Excel").click()
    book = openpyxl.load_workbook(io.BytesIO(excel.value.path().read_bytes()))
    [project_row] = [
        [c.value for c in row]
        for row in book.worksheets[0].iter_rows()
        if any(c.value == code for c in row)
    ]
    assert TITLE in project_row
    assert ESTABLISHMENT in " ".join(str(v) for v in project_row)
    with m.expect_download() as pdf:
        downloads.get_by_role("link", name="Tải tệp PDF").click()
    assert pdf.value.path().read_bytes().startswith(b"%PDF")
    # The PDF's narrow columns wrap words over lines, and pdftotext's reading
    # order interleaves the lines of cells side by side: read it as drawn.
    words = " ".join(pdf_text(pdf.value.path(), raw=True).split())
    assert TITLE in words and ESTABLISHMENT in words


# --- focused workflows -----------------------------------------------------------


def test_a_draft_whose_parts_do_not_add_up_waits_until_it_is_corrected(
    signed_in, staff, plan
):
    s = signed_in(staff)
    register_establishment(s, ESTABLISHMENT, "28A8-004217")
    draft_project(s, TITLE, ESTABLISHMENT, total_cost="290000000")
    problems = s.get_by_test_id("problems")
    expect(problems).to_contain_text("Các nguồn không khớp tổng kinh phí")
    action(s, "submit").get_by_role("button", name="Gửi thẩm định").click()
    expect_message(s, "Các nguồn không khớp tổng kinh phí")
    expect_status(s, "Dự thảo")

    s.get_by_role("link", name="Sửa", exact=True).click()
    field(s, "Tổng kinh phí (đồng)").fill("300000000")
    s.get_by_role("button", name="Lưu dự thảo").click()
    expect_message(s, "Đã lưu đề án.")
    expect(problems).to_have_count(0)
    action(s, "submit").get_by_role("button", name="Gửi thẩm định").click()
    expect_status(s, "Đã gửi thẩm định")


@pytest.fixture
def national_plan(db) -> Plan:
    """This year's national plan (the ministry's)."""
    year = timezone.localdate().year
    programme = Programme.objects.create(
        source=Source.NATIONAL,
        name="Chương trình khuyến công quốc gia",
        start_year=year - 1,
        end_year=year + 4,
        decision_no="1881/QĐ-TTg (demo)",
        decision_date=dt.date(year - 1, 12, 1),
    )
    return Plan.objects.create(
        programme=programme,
        year=year,
        allocated=5_000_000_000,
        decision_no="99/QĐ-BCT (demo)",
        decision_date=dt.date(year, 1, 10),
    )


def propose(r, code: str, iso: str) -> None:
    nav(r, "Việc cần làm")
    r.get_by_test_id("todo-appraisal").get_by_role("link", name=code).click()
    expect_status(r, "Đã gửi thẩm định")
    # The national route: no receiving, no council; the Sở proposes.
    assert "Tiếp nhận (hồ sơ đầy đủ)" not in buttons(r)
    form = action(r, "propose")
    field(form, "Số văn bản đề xuất").fill("15/SCT-QLCN")
    field(form, "Ngày văn bản đề xuất").fill(iso)
    form.get_by_role("button", name="Đề xuất lên Bộ").click()
    expect_status(r, "Đã đề xuất lên Bộ")


def resubmit(s, code: str, note: str, shown: str, name: str) -> None:
    """The author opens the returned project from the to-do list, reads the
    reviewer's comment `shown` beside "Gửi lại" and sends it back."""
    nav(s, "Việc cần làm")
    s.get_by_test_id("todo-returned").get_by_role("link", name=code).click()
    expect_status(s, "Bị trả lại để chỉnh sửa")
    expect(s.get_by_test_id("return-comment")).to_contain_text(shown)
    expect(s.get_by_test_id("return-comment")).to_contain_text(
        "Nguyễn Văn Minh trả lại ngày"
    )
    expect(s.get_by_test_id("return-comment")).to_contain_text("(cấp Bộ Công Thương)")
    shot(s, name, office_screen=True)
    again = action(s, "resubmit")
    field(again, "Nội dung đã chỉnh sửa").fill(note)
    again.get_by_role("button", name="Gửi lại").click()
    expect_status(s, "Đã gửi thẩm định")


def appraise_for_the_ministry(r) -> None:
    opinion = action(r, "appraise_ministry")
    field(opinion, "Ý kiến thẩm định").fill("Bộ Công Thương: đạt yêu cầu")
    opinion.get_by_role("button", name="Ghi kết quả thẩm định của Bộ").click()
    expect_status(r, "Đã thẩm định")


MINISTRY_APPRAISAL = "Bộ đề nghị bổ sung thuyết minh"
MINISTRY_DECISION = "Bộ đề nghị giảm kinh phí đề nghị hỗ trợ cho phù hợp kế hoạch"


def test_a_national_project_is_returned_from_both_ministry_steps_and_decided(
    signed_in, staff, reviewer, national_plan, establishment
):
    """The national route, with a return from each of the ministry's steps:
    its appraisal, then its decision. The establishment is a builder's (the
    local journey registers one through its form)."""
    iso = timezone.localdate().isoformat()
    s = signed_in(staff)
    code = draft_project(s, TITLE, establishment.name)
    assert code.startswith("KCQG-")
    action(s, "submit").get_by_role("button", name="Gửi thẩm định").click()
    expect_status(s, "Đã gửi thẩm định")

    r = signed_in(reviewer)
    propose(r, code, iso)
    expect(r.get_by_test_id("timeline")).to_contain_text("15/SCT-QLCN")
    # --- the ministry sends it back from its appraisal -------------------------
    assert "Ghi kết quả thẩm định của Bộ" in buttons(r)
    back = action(r, "return")
    field(back, "Nội dung cần chỉnh sửa").fill(MINISTRY_APPRAISAL)
    back.get_by_role("button", name="Trả lại để chỉnh sửa").click()
    expect_returned(r, "Bộ Công Thương", "Đã đề xuất lên Bộ", MINISTRY_APPRAISAL)
    resubmit(
        s,
        code,
        "Đã bổ sung thuyết minh",
        MINISTRY_APPRAISAL,
        "national-author-returned-from-appraisal",
    )

    # --- proposed again, appraised; the ministry sends it back from its
    # decision step --------------------------------------------------------------
    propose(r, code, iso)
    appraise_for_the_ministry(r)
    assert {"Ghi quyết định phê duyệt của Bộ", "Trả lại để chỉnh sửa"} <= set(
        buttons(r)
    )
    back = action(r, "return")
    field(back, "Nội dung cần chỉnh sửa").fill(MINISTRY_DECISION)
    back.get_by_role("button", name="Trả lại để chỉnh sửa").click()
    expect_returned(r, "Bộ Công Thương", "Đã thẩm định", MINISTRY_DECISION)
    assert "Ghi quyết định phê duyệt của Bộ" not in buttons(r)
    shot(r, "national-returned-from-decision", office_screen=True)
    resubmit(
        s,
        code,
        "Đã giảm kinh phí đề nghị hỗ trợ",
        MINISTRY_DECISION,
        "national-author-returned-from-decision",
    )

    # --- through the route again, and decided by the ministry ------------------
    propose(r, code, iso)
    appraise_for_the_ministry(r)
    decide = action(r, "record_decision")
    expect(field(decide, "Cơ quan ban hành").locator("option:checked")).to_have_text(
        "Bộ Công Thương"
    )
    field(decide, "Số quyết định").fill("7/QĐ-BCT (demo)")
    field(decide, "Ngày quyết định").fill(iso)
    decide.get_by_role("button", name="Ghi quyết định phê duyệt của Bộ").click()
    expect_status(r, "Đã phê duyệt")
    expect(r.get_by_test_id("decision")).to_contain_text("Bộ Công Thương (BỘ TRƯỞNG)")
    # Two returns, two appraisals and the decision at the ministry's level;
    # the three proposals at the Sở's.
    levels = r.get_by_test_id("level").all_inner_texts()
    assert levels.count("Bộ Công Thương") == 5
    assert levels.count("Sở Công Thương") == 3


REJECTION = "Thiết bị không thuộc danh mục hỗ trợ"
CANCELLATION = "Cơ sở rút đề nghị hỗ trợ"


def stated(page, term: str):
    """The value beside `term` in the project's general information."""
    return page.locator("dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def test_the_reviewer_rejects_one_project_and_cancels_another(
    signed_in, staff, reviewer, plan
):
    s = signed_in(staff)
    register_establishment(s, ESTABLISHMENT, "28A8-004217")
    codes = []
    for title in (TITLE, "Hỗ trợ máy sấy gỗ"):
        codes.append(draft_project(s, title, ESTABLISHMENT))
        action(s, "submit").get_by_role("button", name="Gửi thẩm định").click()
        expect_status(s, "Đã gửi thẩm định")
    rejected, cancelled = codes

    r = signed_in(reviewer)
    outcomes = [
        (rejected, "reject", REJECTION, "Bị từ chối", "Lý do từ chối"),
        (cancelled, "cancel", CANCELLATION, "Đã hủy", "Lý do hủy"),
    ]
    for code, name, reason, status, label in outcomes:
        nav(r, "Việc cần làm")
        r.get_by_test_id("todo-appraisal").get_by_role("link", name=code).click()
        form = action(r, name)
        field(form, "Lý do").fill(reason)
        form.get_by_role("button").click()
        expect_status(r, status)
        expect(stated(r, label)).to_have_text(reason)
        expect(r.get_by_test_id("actions")).to_have_count(0)

    # Staff see why, and nothing is left to do on either project.
    for code, _name, reason, _status, label in outcomes:
        open_project(s, code)
        expect(stated(s, label)).to_have_text(reason)
        expect(s.get_by_test_id("actions")).to_have_count(0)
        expect(s.get_by_role("link", name="Sửa", exact=True)).to_have_count(0)


# Items of the navigation bar that depend on the role (the others are for all).
ROLE_MENU = {
    "staff": {"Việc cần làm", "Báo cáo", "Cảnh báo"},
    # The Sở's reviewers read the figures and the reports (request none).
    "reviewer": {
        "Việc cần làm",
        "Báo cáo",
        "Cảnh báo",
        "Bảng điều khiển",
        "Độ bao phủ",
    },
    "manager": {"Báo cáo", "Cảnh báo", "Bảng điều khiển", "Độ bao phủ"},
}


def menu(page) -> set[str]:
    """The navigation bar's pages, in menus or not, without their badges."""
    links = page.locator(
        "#main-nav .navbar-nav.me-auto a.nav-link:not(.dropdown-toggle),"
        " #main-nav .navbar-nav.me-auto a.dropdown-item"
    )
    return {re.sub(r"\s*\d+$", "", t.strip()) for t in links.all_text_contents()}


def test_each_role_is_offered_only_its_own_pages_and_buttons(
    signed_in, staff, reviewer, manager
):
    s = signed_in(staff)
    r = signed_in(reviewer)
    m = signed_in(manager)
    everyone = {"Trang chủ", "Cơ sở CNNT", "Đề án", "Thực hiện và giải ngân"}
    role_items = set().union(*ROLE_MENU.values())
    for page, role in [(s, "staff"), (r, "reviewer"), (m, "manager")]:
        shown = menu(page)
        assert everyone <= shown
        assert shown & role_items == ROLE_MENU[role], role
        assert "Quản trị" not in shown and "Nhật ký thay đổi" not in shown

    for page, registers in [(s, True), (r, False), (m, False)]:
        nav(page, "Cơ sở CNNT")
        for label in ("Đăng ký cơ sở", "Nhập từ Excel"):
            expect(page.get_by_role("link", name=label)).to_have_count(int(registers))
        nav(page, "Đề án")
        expect(page.get_by_role("link", name="Lập đề án mới")).to_have_count(
            int(registers)
        )


def test_forms_with_mistakes_say_what_to_fix(signed_in, staff, manager):
    s = signed_in(staff)
    nav(s, "Cơ sở CNNT")
    s.get_by_role("link", name="Đăng ký cơ sở").click()
    s.get_by_role("button", name="Lưu").click()
    expect(s.get_by_text("Trường này là bắt buộc.").first).to_be_visible()
    expect(s.get_by_role("heading", level=1)).to_have_text("Đăng ký cơ sở")
    assert_vietnamese(s)

    m = signed_in(manager)
    nav(m, "Báo cáo")
    # The period is picked with selects; a typed one is the other way in.
    field(m, "Hoặc nhập kỳ báo cáo").fill("2026-Q5")
    m.get_by_role("button", name="Lập báo cáo").click()
    expect(m.get_by_test_id("report-form").locator(".invalid-feedback")).to_have_count(
        1
    )
    assert_vietnamese(m)
