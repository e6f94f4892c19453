"""The appraisal council: criteria as dated data, score sheets validated and
scoped to their member, results computed, the session closed through the
lifecycle, and nothing changed once it is closed."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from appraisal import services
from appraisal.models import (
    UNVERIFIED,
    Council,
    CouncilProject,
    CriteriaSet,
    Function,
    Score,
    ScoreSheet,
)
from enterprises.roles import Role
from notifications.models import Notification
from projects.models import Project, Refused, Status
from reports.models import RegisterEntry
from tests.builders import advance, make_project, received_project

from .sessions import MEETING_DAY, SCORES, criteria, score_all

pytestmark = pytest.mark.django_db


def expected_total(table: list[list[str]]) -> Decimal:
    """Sum over criteria of the members' average, to one decimal, half up:
    computed with fractions, apart from the portal's Decimal code."""
    members = len(table)
    exact = sum(
        (
            sum(Fraction(row[j]) for row in table) / members
            for j in range(len(table[0]))
        ),
        Fraction(0),
    )
    tenths = math.floor(exact * 10 + Fraction(1, 2))
    return Decimal(tenths) / 10


def test_the_default_criteria_set_is_data_marked_unverified():
    criteria_set = CriteriaSet.objects.current(MEETING_DAY)
    rows = list(criteria_set.criteria.all())
    assert [r.order for r in rows] == [1, 2, 3, 4, 5]
    assert criteria_set.maximum == Decimal(100)
    assert criteria_set.threshold == Decimal(60)
    assert {r.basis for r in rows} == {UNVERIFIED}
    assert "chưa xác minh" in UNVERIFIED


def test_a_council_pins_the_set_in_force_on_its_meeting_day(session):
    later = CriteriaSet.objects.create(
        name="Bộ tiêu chí mới", valid_from=MEETING_DAY.replace(month=6), threshold=70
    )
    assert session.council.criteria_set != later
    assert CriteriaSet.objects.current(MEETING_DAY.replace(month=7)) == later


def test_totals_and_recommendation_match_an_independent_computation(session):
    score_all(session, SCORES[:3], members=3)
    [partial] = services.council_results(session.council)
    # Until every member has scored there is no total nor recommendation.
    assert (partial.total, partial.recommended) == (None, None)
    score_all(session, SCORES)
    [result] = services.council_results(session.council)
    assert result.total == expected_total(SCORES)
    # 326.6 / 4 = 81.65: half up gives 81.7 (half even would give 81.6).
    assert result.total == Decimal("81.7")
    assert result.recommended is True
    averages = [a for _c, _g, a in result.rows]
    assert averages[0] == Decimal("16.625")


@pytest.mark.parametrize(("value", "recommended"), [("12", True), ("11.9", False)])
def test_the_threshold_is_reached_at_equality(session, value, recommended):
    # 5 criteria x 12 points = 60.0, the threshold; 11.9 gives 59.5.
    score_all(session, [[value] * 5] * 4)
    [result] = services.council_results(session.council)
    assert result.total == expected_total([[value] * 5] * 4)
    assert result.recommended is recommended


def sheet_url(session, member, project=None) -> str:
    project = project or session.project
    return reverse("appraisal:sheet", args=[session.council.pk, member.pk, project.pk])


def sheet_data(session, values: list[str], opinion: str = "Đạt yêu cầu") -> dict:
    data = {
        f"c{c.pk}": v for c, v in zip(criteria(session.council), values, strict=True)
    }
    return {**data, "opinion": opinion}


def test_a_score_above_the_maximum_is_refused_next_to_its_field(session, as_user):
    client = as_user(session.users["member"])
    response = client.post(
        sheet_url(session, session.member),
        sheet_data(session, ["21", "15", "-1", "abc", "10"], opinion=""),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    first, _second, third, fourth, _fifth = criteria(session.council)
    assert errors[f"c{first.pk}"] == ["Tối đa 20,0 điểm cho tiêu chí này."]
    assert errors[f"c{third.pk}"] == ["Điểm không được nhỏ hơn 0."]
    assert errors[f"c{fourth.pk}"] == ["Nhập một số, ví dụ 12,5."]
    assert errors["opinion"] == ["Nêu ý kiến của thành viên."]
    assert "Tối đa 20,0 điểm cho tiêu chí này." in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_a_member_enters_their_own_sheet_with_a_decimal_comma(session, as_user):
    client = as_user(session.users["member"])
    response = client.post(
        sheet_url(session, session.member),
        sheet_data(session, ["15,5", "16", "19", "11", "15"]),
    )
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(member=session.member)
    assert sheet.total == Decimal("76.5")
    assert sheet.entered_by == session.users["member"]


def test_the_model_refuses_a_score_above_the_maximum(session):
    score_all(session, SCORES)
    score = Score.objects.filter(sheet__member=session.chair).first()
    score.value = score.criterion.max_score + 1
    with pytest.raises(Refused):
        score.save()


def test_a_member_sees_only_the_councils_they_sit_on(session, as_user, reviewer):
    other = services.council_create(
        by=reviewer, name="Hội đồng khác", established_by="", meeting_date=MEETING_DAY
    )
    client = as_user(session.users["member"])
    listed = client.get(reverse("appraisal:list"))
    assert list(listed.context["councils"]) == [session.council]
    assert client.get(reverse("appraisal:detail", args=[other.pk])).status_code == 404
    assert (
        client.get(reverse("appraisal:detail", args=[session.council.pk])).status_code
        == 200
    )
    minutes = reverse("reports:council_minutes", args=[other.pk])
    assert client.get(minutes).status_code == 404


def test_only_the_member_or_for_an_outsider_the_secretary_opens_a_sheet(
    session, as_user
):
    chair = as_user(session.users["chair"])
    assert chair.get(sheet_url(session, session.member)).status_code == 404
    assert chair.get(sheet_url(session, session.outsider)).status_code == 404
    assert chair.get(sheet_url(session, session.chair)).status_code == 200
    secretary = as_user(session.users["secretary"])
    assert secretary.get(sheet_url(session, session.outsider)).status_code == 200
    with pytest.raises(Refused):
        services.sheet_save(
            member=session.member,
            project=session.project,
            by=session.users["chair"],
            scores={c.pk: Decimal(1) for c in criteria(session.council)},
            opinion="x",
        )


def test_seated_users_are_told_in_their_inbox(session):
    for key in ("chair", "secretary", "member"):
        [item] = Notification.objects.filter(user=session.users[key])
        assert session.council.name in item.title
        assert item.link == reverse("appraisal:detail", args=[session.council.pk])
    assert Notification.objects.count() == 3  # the outsider has no inbox


def test_only_received_local_projects_go_on_the_agenda(
    session, staff, reviewer, local_plan, national_plan, establishment
):
    draft = make_project(staff, {local_plan: 50_000_000}, beneficiaries=[establishment])
    national = make_project(
        staff, {national_plan: 50_000_000}, beneficiaries=[establishment]
    )
    # A national project is under review at the Sở too, but on its own
    # route: proposed to the ministry, never before a council.
    national = advance(national, Status.PROPOSED, staff=staff, reviewer=reviewer)
    for project in (draft, national, session.project):
        with pytest.raises(Refused):
            services.council_add_project(council=session.council, project=project)


def test_closing_moves_each_project_to_scored_with_the_minutes_in_the_timeline(
    session, as_user
):
    score_all(session, SCORES)
    client = as_user(session.users["secretary"])
    response = client.post(reverse("appraisal:close", args=[session.council.pk]))
    assert response.status_code == 302
    council = Council.objects.get(pk=session.council.pk)
    assert council.is_closed
    assert council.minutes_no == "1/BB-TTKC"
    entry = RegisterEntry.objects.get()
    assert (entry.series, entry.number, entry.symbol) == ("minutes", 1, "BB-TTKC")
    project = Project.objects.get(pk=session.project.pk)
    assert project.status == Status.SCORED
    last = project.transitions.order_by("-pk").first()
    assert (last.action, last.actor) == ("council", session.users["secretary"])
    assert last.comment == (
        "Biên bản hội đồng số 1/BB-TTKC: 81,7 điểm (ngưỡng 60,0), đề nghị hỗ trợ."
    )
    item = CouncilProject.objects.get()
    assert (item.total, item.recommended) == (Decimal("81.7"), True)


def test_only_the_secretary_closes_and_only_when_everyone_scored(session, as_user):
    score_all(session, SCORES)
    ScoreSheet.objects.filter(member=session.outsider).delete()
    with pytest.raises(Refused, match=session.project.code):
        services.council_close(council=session.council, by=session.users["secretary"])
    score_all(session, SCORES)
    with pytest.raises(Refused):
        services.council_close(council=session.council, by=session.users["chair"])
    client = as_user(session.users["chair"])
    client.post(reverse("appraisal:close", args=[session.council.pk]))
    assert not Council.objects.get(pk=session.council.pk).is_closed


def test_a_refused_project_rolls_the_whole_close_back(
    session, staff, reviewer, local_plan, establishment, as_user
):
    second = received_project(
        make_project(staff, {local_plan: 60_000_000}, beneficiaries=[establishment]),
        staff=staff,
        reviewer=reviewer,
    )
    services.council_add_project(council=session.council, project=second)
    score_all(session, SCORES)
    score_all(session, SCORES, project=second)
    # Meanwhile the second project left the state the council step acts on.
    Project.objects.filter(pk=second.pk).update(status=Status.SUBMITTED)
    client = as_user(session.users["secretary"])
    response = client.post(
        reverse("appraisal:close", args=[session.council.pk]), follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert shown and all("BB-TTKC" not in m for m in shown)
    assert not Council.objects.get(pk=session.council.pk).is_closed
    assert Project.objects.get(pk=session.project.pk).status == Status.RECEIVED
    assert not RegisterEntry.objects.exists()
    assert CouncilProject.objects.filter(total__isnull=False).count() == 0


def test_scores_are_locked_once_the_session_is_closed(session, as_user):
    score_all(session, SCORES)
    services.council_close(council=session.council, by=session.users["secretary"])
    score = Score.objects.filter(sheet__member=session.chair).first()
    score.value = Decimal(1)
    with pytest.raises(Refused):
        score.save()
    with pytest.raises(Refused):
        score.delete()
    sheet = ScoreSheet.objects.filter(member=session.chair).first()
    sheet.opinion = "Đổi ý"
    with pytest.raises(Refused):
        sheet.save()
    with pytest.raises(Refused):
        services.council_add_member(
            council=session.council, function=Function.MEMBER, name="Người mới"
        )
    client = as_user(session.users["chair"])
    client.post(
        sheet_url(session, session.chair),
        sheet_data(session, ["1", "1", "1", "1", "1"]),
    )
    assert ScoreSheet.objects.get(pk=sheet.pk).total == Decimal("83.5")
    assert ScoreSheet.objects.get(pk=sheet.pk).opinion != "Đổi ý"


# --- the council step of the lifecycle, for every role -------------------------

ROLE_FIXTURES = {
    Role.STAFF: "staff",
    Role.REVIEWER: "reviewer",
    Role.MANAGER: "manager",
    Role.ADMIN: "admin_user",
    None: "nobody",
}
COUNCIL_KWARGS = {
    "total": Decimal("70"),
    "threshold": Decimal("60"),
    "recommended": True,
    "minutes_no": "1/BB-TTKC",
}


@pytest.mark.parametrize("role", [r for r in ROLE_FIXTURES if r != Role.REVIEWER])
def test_the_council_step_is_refused_to_every_role_but_the_reviewer(
    request, received, role
):
    from projects.services import project_record_council

    user = request.getfixturevalue(ROLE_FIXTURES[role])
    with pytest.raises(Refused):
        project_record_council(project=received, by=user, **COUNCIL_KWARGS)
    assert Project.objects.get(pk=received.pk).status == Status.RECEIVED


def test_the_council_step_is_refused_on_a_national_project(
    national_project, staff, reviewer
):
    from projects.services import project_record_council

    project = advance(national_project, Status.PROPOSED, staff=staff, reviewer=reviewer)
    with pytest.raises(Refused):
        project_record_council(project=project, by=reviewer, **COUNCIL_KWARGS)


def test_the_project_page_links_the_council_step_to_its_page(
    received, reviewer, as_user
):
    page = as_user(reviewer).get(received.get_absolute_url()).content.decode()
    link = reverse("appraisal:project", args=[received.pk])
    assert f'href="{link}"' in page
    assert 'data-action="council"' in page


def test_a_member_reads_the_others_scores_only_once_the_session_is_closed(
    session, as_user
):
    score_all(session, SCORES)
    client = as_user(session.users["member"])
    detail = reverse("appraisal:detail", args=[session.council.pk])
    minutes = reverse("reports:council_minutes", args=[session.council.pk])
    page = client.get(detail).content.decode()
    assert "17,5" not in page  # the chair's second score
    assert "15,5" in page  # their own first score
    assert "Ý kiến của Trần Quốc Bảo" not in page
    assert client.get(minutes).status_code == 404
    # The secretary sees every sheet while the session is open.
    secretary = as_user(session.users["secretary"]).get(detail).content.decode()
    assert "17,5" in secretary
    services.council_close(council=session.council, by=session.users["secretary"])
    client = as_user(session.users["member"])
    assert "17,5" in client.get(detail).content.decode()
    assert client.get(minutes).status_code == 200
