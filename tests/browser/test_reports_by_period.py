"""Reports in a real browser (issue 16): a manager asks for "Quý 3/2018" as the
papers write it, or picks the period with the selects; a reviewer of the Sở,
who requests no report, finds it in the history and downloads it.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from projects import services
from projects.models import Source
from tests.builders import M, make_establishment, make_plan, make_project, review
from tests.factories import home_commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Hỗ trợ máy sấy nông sản"


@pytest.fixture
def project_of_2018(staff, reviewer):
    """A project of the 2018 local plan, running through the third quarter."""
    plan = make_plan(Source.LOCAL, 2018, allocated=800 * M)
    project = make_project(
        staff,
        {plan: 100 * M},
        beneficiaries=[make_establishment(home_commune(), "Cơ sở sấy Nông Cống")],
        start_date=dt.date(2018, 5, 2),
        end_date=dt.date(2018, 11, 30),
        title=TITLE,
    )
    services.project_submit(project=project, by=staff, day=dt.date(2018, 3, 1))
    review(project, reviewer)
    services.project_approve(
        project=project,
        by=reviewer,
        decision_no="30/QĐ-UBND",
        decision_date=dt.date(2018, 4, 2),
        approved={Source.LOCAL: 100 * M},
    )
    services.project_start(
        project=project, by=staff, contract_no="8/HĐ", contract_date=dt.date(2018, 5, 2)
    )
    return project


def field(scope, label: str):
    """The control labelled exactly `label`; a required one's ends in "*"."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}(\s*\*)?$"))


def request(page, period: str = "", **selects: str):
    page.goto(page.base_url + "/bao-cao/")
    field(page, "Báo cáo").select_option(label="Báo cáo tiến độ thực hiện đề án")
    for label, value in selects.items():
        field(page, label).select_option(value)
    if period:
        field(page, "Hoặc nhập kỳ báo cáo").fill(period)
    page.get_by_role("button", name="Lập báo cáo").click()


def test_a_manager_asks_for_quy_3_2018_and_a_reviewer_downloads_it(
    signed_in, manager, reviewer, project_of_2018, in_process
):
    m = signed_in(manager)
    request(m, "Quý 3/2018")
    expect(m.get_by_role("heading", level=1)).to_contain_text("Quý III năm 2018")
    expect(m.get_by_test_id("downloads")).to_be_visible(timeout=60_000)

    # The same quarter chosen with the selects.
    request(m, **{"Năm": "2018", "Kỳ trong năm": "Q3"})
    expect(m.get_by_role("heading", level=1)).to_contain_text("Quý III năm 2018")

    # A mistake is said next to the field, in Vietnamese.
    request(m, "Quý 5/2018")
    expect(m.locator(".invalid-feedback")).to_contain_text(
        "không phải là kỳ báo cáo hợp lệ"
    )

    r = signed_in(reviewer)
    r.locator("#main-nav").get_by_role("link", name="Báo cáo").click()
    expect(r.get_by_role("heading", level=1)).to_have_text("Lịch sử báo cáo")
    expect(r.get_by_role("link", name="Yêu cầu lập báo cáo")).to_have_count(0)
    jobs = r.get_by_test_id("job-table").locator("tr", has_text="Quý III năm 2018")
    jobs.first.get_by_role("link").first.click()
    downloads = r.get_by_test_id("downloads")
    expect(downloads).to_be_visible()
    with r.expect_download() as excel:
        downloads.get_by_role("link", name="Tải tệp Excel").click()
    book = openpyxl.load_workbook(io.BytesIO(excel.value.path().read_bytes()))
    cells = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert project_of_2018.code in cells
    assert TITLE in cells
    assert "Quý III năm 2018" in " ".join(str(v) for v in cells if v)
