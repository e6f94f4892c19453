"""The appraisal council in a real browser: the reviewer opens the council
from the project's page, three members log in and score at their own desk,
the secretary closes the session and downloads the minutes, which name every
member and the total.

The council, its project and its members are set up through the services
(their own pages are covered by tests/appraisal); what is clicked here is
what members do on the day of the meeting.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from projects.models import Project, Status
from tests.browser.council import (
    TOTAL,
    TYPED,
    close_and_read_the_minutes,
    council_for,
    score,
)
from tests.browser.shots import folder, shot
from tests.builders import make_project, received_project
from tests.readers import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_three_members_score_the_secretary_closes_and_the_minutes_download(
    signed_in, staff, reviewer, local_plan, establishment
):
    project = received_project(
        make_project(staff, {local_plan: 120_000_000}, beneficiaries=[establishment]),
        staff=staff,
        reviewer=reviewer,
    )
    council, people = council_for(project, reviewer)

    # The secretary reaches the council from the project's page.
    secretary = signed_in(reviewer)
    secretary.goto(secretary.base_url + project.get_absolute_url())
    secretary.get_by_test_id("step-page-link").get_by_role("link").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text(council.name)

    # Above the maximum: refused next to the field, nothing stored.
    chair = signed_in(people["chutich"])
    chair.goto(chair.base_url + f"/hoi-dong/{council.pk}/")
    chair.get_by_test_id("score-link").click()
    chair.get_by_test_id("sheet-form").locator("input[inputmode=decimal]").nth(0).fill(
        "21"
    )
    chair.get_by_role("button", name="Lưu phiếu chấm").click()
    expect(
        chair.get_by_text("Tối đa 20,0 điểm cho tiêu chí này.", exact=True)
    ).to_be_visible()
    shot(chair, "sheet-error", office_screen=True)
    for key in TYPED:
        pages = {"secretary": secretary, "chutich": chair}
        member = pages[key] if key in pages else signed_in(people[key])
        if key == "uyvien":
            member.goto(member.base_url + f"/hoi-dong/{council.pk}/")
            shot(member, "council-open", office_screen=True)
        score(member, council, key)

    close_and_read_the_minutes(secretary, council, people)
    expect(secretary.get_by_test_id("session")).to_contain_text("1/BB-TTKC")
    shot(secretary, "council-closed", office_screen=True)
    assert Project.objects.get(pk=project.pk).status == Status.SCORED
    with secretary.expect_download() as download:
        secretary.get_by_test_id("minutes-link").click()
    text = " ".join(pdf_text(download.value.path(), raw=True).split())
    for person in people.values():
        assert person.get_full_name() in text
    assert f"{TOTAL} điểm — hội đồng đề nghị hỗ trợ." in text
    assert "1/BB-TTKC" in text
    if where := folder():
        (where / "minutes.pdf").write_bytes(download.value.path().read_bytes())
