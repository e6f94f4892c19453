"""The appraisal council's session as its members hold it in the browser: a
council set up through the services (its own pages are covered by
tests/appraisal) for one received local project, each member logging in and
scoring at their own desk, the secretary closing the session and downloading
the minutes, which must name every member and the total."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from appraisal import services
from appraisal.models import Council, Function
from enterprises.roles import Role
from projects.models import Project
from tests.factories import make_user
from tests.readers import pdf_text

# What each member types, criterion by criterion (maxima 20, 20, 25, 15, 20).
TYPED = {
    "chutich": ["18", "17,5", "20", "12", "16"],
    "secretary": ["16", "15", "21,5", "13", "17"],
    "uyvien": ["15,5", "16", "19", "11", "15"],
}
# (18+16+15,5 + 17,5+15+16 + 20+21,5+19 + 12+13+11 + 16+17+15) / 3 = 80,8333…
TOTAL = "80,8"


def council_for(project: Project, secretary: Any) -> tuple[Council, dict[str, Any]]:
    """A council of a chair, the secretary (`secretary`) and a member, with
    `project` on its agenda; returns it and its members by key of TYPED."""
    people = {
        "chutich": make_user(
            "chutich", Role.REVIEWER, first_name="Trần Quốc", last_name="Bảo"
        ),
        "secretary": secretary,
        "uyvien": make_user(
            "uyvien", Role.STAFF, first_name="Phạm Thị", last_name="Lan"
        ),
    }
    council = services.council_create(
        by=secretary,
        name="Hội đồng xét chọn đề án KCĐP đợt 1/2026",
        established_by="Quyết định số 15/QĐ-SCT ngày 01/3/2026",
        meeting_date=project.submitted_on,
    )
    services.council_add_project(council=council, project=project)
    for key, function in (
        ("chutich", Function.CHAIR),
        ("secretary", Function.SECRETARY),
        ("uyvien", Function.MEMBER),
    ):
        services.council_add_member(
            council=council, function=function, user=people[key]
        )
    return council, people


def score(member: Page, council: Council, key: str) -> None:
    """One member's sheet, typed and saved."""
    member.goto(member.base_url + f"/hoi-dong/{council.pk}/")
    member.get_by_test_id("score-link").click()
    boxes = member.get_by_test_id("sheet-form").locator("input[inputmode=decimal]")
    expect(boxes).to_have_count(5)
    for i, value in enumerate(TYPED[key]):
        boxes.nth(i).fill(value)
    member.get_by_label("Ý kiến").fill(f"Đề án khả thi ({key}).")
    member.get_by_role("button", name="Lưu phiếu chấm").click()
    expect(member.get_by_text("Đã lưu phiếu chấm điểm.")).to_be_visible()


def close_and_read_the_minutes(
    secretary: Page, council: Council, people: dict[str, Any]
) -> None:
    """The secretary closes the session; the minutes name each member and
    the total."""
    secretary.goto(secretary.base_url + f"/hoi-dong/{council.pk}/")
    expect(secretary.get_by_test_id("total")).to_have_text(TOTAL)
    secretary.get_by_role("button", name="Kết thúc phiên họp").click()
    expect(secretary.get_by_text("Đã kết thúc phiên họp")).to_be_visible()
    expect(secretary.get_by_test_id("session")).to_contain_text("/BB-TTKC")
    with secretary.expect_download() as download:
        secretary.get_by_test_id("minutes-link").click()
    text = " ".join(pdf_text(download.value.path(), raw=True).split())
    for person in people.values():
        assert person.get_full_name() in text
    assert f"{TOTAL} điểm — hội đồng đề nghị hỗ trợ." in text


def hold_the_council(
    signed_in: Callable[[Any], Page], secretary: Page, project: Project, by: Any
) -> None:
    """The whole session for `project`, `by` (on `secretary`) as secretary."""
    council, people = council_for(project, by)
    for key in TYPED:
        score(secretary if key == "secretary" else signed_in(people[key]), council, key)
    close_and_read_the_minutes(secretary, council, people)
