"""Project pages through the client: list, detail actions, draft form, to-do.

Who may see what: every role reads projects (reviewers once submitted); staff
write drafts; the action buttons are those the lifecycle table allows.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Commune
from projects import services
from projects.lifecycle import decision_authority
from projects.models import TODO_DEADLINE_DAYS, Plan, Project, Refused, Source, Status
from tests.builders import (
    SUBMIT_DAY,
    advance,
    council,
    make_establishment,
    make_plan,
    make_project,
    review,
)

pytestmark = pytest.mark.django_db

LIST = reverse("projects:list")


def detail(project: Project) -> str:
    return reverse("projects:detail", args=[project.pk])


def action_url(project: Project, action: str) -> str:
    return reverse("projects:action", args=[project.pk, action])


def codes(response) -> list[str]:
    return [p.code for p in response.context["page"]]


# --- list -------------------------------------------------------------------------


def make_many(staff, plan, establishment, count: int) -> None:
    for _ in range(count):
        make_project(staff, {plan: 100_000_000}, beneficiaries=[establishment])


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_query_count_does_not_grow_with_projects(
    as_user, staff, local_plan, national_plan, establishment, count,
    django_assert_num_queries,
):  # fmt: skip
    make_many(staff, local_plan, establishment, count)
    make_project(staff, {national_plan: 1, local_plan: 1})
    client = as_user(staff)
    # session, user, roles, to-do count, unread notifications, programmes,
    # contents, communes (filter form), the count with the totals of the
    # filtered projects (one aggregate), page, its funding sources
    with django_assert_num_queries(11):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(codes(response)) == count + 1


def test_the_commune_filter_offers_only_the_home_province(as_user, staff):
    response = as_user(staff).get(LIST)
    field = response.context["filter"].form.fields["commune"]
    communes = list(field.queryset)
    home = Commune.objects.in_province(settings.HOME_PROVINCE_CODE).count()
    assert len(communes) == home == 166
    assert Commune.objects.count() > 3000


def test_the_filter_form_shows_reference_data_edited_a_moment_ago(
    as_user, staff, local_plan
):
    """The choice lists are read on every request (no per-process copy), so
    an admin's edit shows on the next page."""
    client = as_user(staff)
    client.get(LIST)
    commune = Commune.objects.in_province(settings.HOME_PROVINCE_CODE).first()
    commune.name = "Xã Mới Đổi Tên"
    commune.save()
    programme = local_plan.programme
    programme.name = "Chương trình đổi tên"
    programme.save()
    html = client.get(LIST).content.decode()
    assert f'<option value="{commune.pk}">Xã Mới Đổi Tên</option>' in html
    assert f'<option value="{programme.pk}">{programme}</option>' in html


def test_the_list_filters_by_source_status_year_commune_and_overdue(
    as_user, staff, reviewer, local_plan, national_plan, establishment, commune
):
    local = make_project(
        staff, {local_plan: 100_000_000}, beneficiaries=[establishment]
    )
    national = make_project(
        staff, {national_plan: 100_000_000}, beneficiaries=[establishment]
    )
    plan_2027 = make_plan(Source.LOCAL, year=2027)
    later = make_project(
        staff,
        {plan_2027: 100_000_000},
        beneficiaries=[establishment],
        commune=commune,
    )
    late = make_project(
        staff,
        {local_plan: 100_000_000},
        beneficiaries=[establishment],
        end_date=timezone.localdate() - dt.timedelta(days=1),
        start_date=timezone.localdate() - dt.timedelta(days=100),
    )
    advance(late, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    client = as_user(staff)

    def found(**params) -> set[str]:
        return set(codes(client.get(LIST, params)))

    assert found(source=Source.NATIONAL) == {national.code}
    assert found(year=2027) == {later.code}
    assert found(commune=commune.pk) == {later.code}
    assert found(status=Status.IN_PROGRESS) == {late.code}
    assert found(overdue="on") == {late.code}
    assert found(programme=local_plan.programme_id) == {
        local.code,
        later.code,
        late.code,
    }
    assert found(q=national.code) == {national.code}


def test_reviewers_do_not_see_drafts(as_user, local_project, reviewer):
    client = as_user(reviewer)
    assert codes(client.get(LIST)) == []
    assert client.get(detail(local_project)).status_code == 404


def test_a_user_without_role_sees_no_project_pages(as_user, nobody, local_project):
    client = as_user(nobody)
    assert client.get(LIST).status_code == 403
    assert client.get(detail(local_project)).status_code == 404


# --- detail and actions -------------------------------------------------------


def offered(response) -> list[str]:
    return [step.action for step, _form in response.context["actions"]]


def test_the_detail_page_offers_what_the_table_allows(
    as_user, local_project, staff, reviewer, manager
):
    assert offered(as_user(staff).get(detail(local_project))) == ["submit", "cancel"]
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    response = as_user(reviewer).get(detail(local_project))
    # The local route's first review step: the Sở receives the dossier.
    assert offered(response) == ["return", "receive", "reject", "cancel"]
    body = response.content.decode()
    assert "Tiếp nhận (hồ sơ đầy đủ)" in body and "Trả lại để chỉnh sửa" in body
    assert offered(as_user(manager).get(detail(local_project))) == []


def test_each_action_form_label_points_at_its_own_field(
    as_user, local_project, staff, reviewer
):
    """Reject and cancel both ask a reason: with shared ids, the cancel form's
    label focused the reject form's field (found in the browser)."""
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    body = as_user(reviewer).get(detail(local_project)).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert sorted(ids) == sorted(set(ids))
    for action in ("reject", "cancel"):
        form = body.split(f'data-action="{action}"')[1].split("</form>")[0]
        assert f'for="id_{action}_reason"' in form
        assert f'id="id_{action}_reason"' in form


def test_the_detail_page_shows_budget_beneficiaries_and_timeline(
    as_user, local_project, staff, reviewer
):
    advance(local_project, Status.APPROVED, staff=staff, reviewer=reviewer)
    body = as_user(staff).get(detail(local_project)).content.decode()
    assert "120.000.000 đ" in body  # requested and approved
    assert "300.000.000 đ" in body  # total cost
    assert "Cơ sở mộc Hoằng Hóa" in body and "đủ điều kiện" in body
    assert "Quyết định số 123/QĐ" in body  # the approval in the timeline
    # The approval is in the money history with the reviewer's name.
    money = body.split('data-testid="money-history"')[1].split(
        'data-testid="timeline"'
    )[0]
    assert "Nguyễn Văn Minh" in money
    # Amounts asked for are labelled as money, not as the time of a request.
    budget = body.split('data-testid="budget"')[1].split("</table>")[0]
    assert "Kinh phí đề nghị" in budget and "Thời điểm" not in budget
    assert "Thời gian thực hiện" in body


def test_the_list_filters_say_all_in_vietnamese(as_user, staff):
    body = as_user(staff).get(reverse("projects:list")).content.decode()
    for label in ("Tất cả chương trình", "Cả hai nguồn", "Tất cả nội dung"):
        assert f'<option value="" selected>{label}</option>' in body
    assert "---------" not in body


def test_a_reviewer_approves_through_the_page(as_user, local_project, staff, reviewer):
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    review(local_project, reviewer)
    response = as_user(reviewer).post(
        action_url(local_project, "approve"),
        {
            "decision_no": "77/QĐ-UBND",
            "decision_date": "2026-03-20",
            "amount_KCDP": "110000000",
        },
        follow=True,
    )
    local_project.refresh_from_db()
    assert local_project.status == Status.APPROVED
    assert local_project.fundings.get().approved == 110_000_000
    assert "Đã phê duyệt" in response.content.decode()
    # The authority preset from the route: the provincial committee.
    decision = local_project.decisions.get()
    assert (decision.number, decision.authority_name) == (
        "77/QĐ-UBND",
        "Ủy ban nhân dân tỉnh",
    )


def test_a_refused_action_shows_why_and_changes_nothing(
    as_user, local_project, staff, reviewer
):
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    review(local_project, reviewer)
    response = as_user(staff).post(
        action_url(local_project, "approve"),
        {
            "decision_no": "77/QĐ-UBND",
            "decision_date": "2026-03-20",
            "amount_KCDP": "110000000",
        },
        follow=True,
    )
    local_project.refresh_from_db()
    assert local_project.status == Status.APPRAISED
    assert "Vai trò của bạn không được thực hiện" in response.content.decode()


def test_return_needs_a_comment_through_the_page(
    as_user, local_project, staff, reviewer
):
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    as_user(reviewer).post(action_url(local_project, "return"), {"comment": ""})
    local_project.refresh_from_db()
    assert local_project.status == Status.SUBMITTED


def test_actions_accept_only_post(as_user, local_project, staff):
    response = as_user(staff).get(action_url(local_project, "submit"))
    assert response.status_code == 405


# --- draft form ---------------------------------------------------------------


def form_data(content_pk: int, plan: Plan, establishment, **extra) -> dict:
    data = {
        "title": "Hỗ trợ lò sấy nông sản",
        "content": content_pk,
        "implementing_unit": "Trung tâm Khuyến công",
        "beneficiaries": [establishment.pk],
        "start_date": "2026-04-01",
        "end_date": "2026-10-31",
        "total_cost": "400000000",
        "counterpart": "250000000",
        "other_sources": "0",
        "target_machines": "2",
        "target_trainees": "0",
        "target_products": "0",
        "baseline_jobs": "12",
        "fundings-TOTAL_FORMS": "2",
        "fundings-INITIAL_FORMS": "0",
        "fundings-MIN_NUM_FORMS": "0",
        "fundings-MAX_NUM_FORMS": "2",
        "fundings-0-plan": plan.pk,
        "fundings-0-requested": "150000000",
        "fundings-1-plan": "",
        "fundings-1-requested": "",
    }
    data.update(extra)
    return data


def test_staff_create_a_draft_with_its_funding_rows(
    as_user, staff, local_plan, establishment
):
    from projects.models import ActivityContent

    content = ActivityContent.objects.get(code=4)
    response = as_user(staff).post(
        reverse("projects:create"), form_data(content.pk, local_plan, establishment)
    )
    project = Project.objects.get()
    assert response.status_code == 302, response.context["form"].errors
    assert project.code == "KCĐP-2026-001"
    assert project.support_requested == 150_000_000
    assert list(project.beneficiaries.all()) == [establishment]
    services.project_submit(project=project, by=staff, day=SUBMIT_DAY)


def test_two_plans_of_one_source_are_refused(as_user, staff, local_plan, establishment):
    from projects.models import ActivityContent

    other = make_plan(Source.LOCAL, year=2027)
    data = form_data(
        ActivityContent.objects.get(code=4).pk,
        local_plan,
        establishment,
        **{"fundings-1-plan": other.pk, "fundings-1-requested": "1"},
    )
    response = as_user(staff).post(reverse("projects:create"), data)
    assert response.status_code == 200
    assert not Project.objects.exists()


def test_only_staff_write_and_only_editable_projects(
    as_user, staff, reviewer, local_project
):
    assert as_user(reviewer).get(reverse("projects:create")).status_code == 403
    edit = reverse("projects:edit", args=[local_project.pk])
    assert as_user(staff).get(edit).status_code == 200
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    assert as_user(staff).get(edit).status_code == 403


def test_the_form_offers_home_province_communes_and_establishments(
    as_user, staff, establishment
):
    far = Commune.objects.exclude(province_id=settings.HOME_PROVINCE_CODE)[0]
    outsider = make_establishment(far, "Cơ sở tỉnh khác", business_registration_no="X")
    form = as_user(staff).get(reverse("projects:create")).context["form"]
    assert form.fields["commune"].queryset.count() == 166
    assert establishment in form.fields["beneficiaries"].queryset
    assert outsider not in form.fields["beneficiaries"].queryset


# --- to-do and plans ------------------------------------------------------------


def test_the_todo_page_shows_each_role_its_work_with_a_count_in_the_menu(
    as_user, staff, reviewer, local_plan, establishment
):
    waiting = make_project(
        staff, {local_plan: 100_000_000}, beneficiaries=[establishment]
    )
    services.project_submit(project=waiting, by=staff, day=SUBMIT_DAY)
    returned = make_project(
        staff, {local_plan: 100_000_000}, beneficiaries=[establishment]
    )
    advance(returned, Status.RETURNED, staff=staff, reviewer=reviewer)
    ending = make_project(
        staff,
        {local_plan: 100_000_000},
        beneficiaries=[establishment],
        start_date=timezone.localdate() - dt.timedelta(days=60),
        end_date=timezone.localdate() + dt.timedelta(days=20),
    )
    advance(ending, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    far = make_project(
        staff,
        {local_plan: 100_000_000},
        beneficiaries=[establishment],
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + dt.timedelta(days=90),
    )
    advance(far, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)

    todo = reverse("projects:todo")
    response = as_user(reviewer).get(todo)
    sections = {
        key: [p.code for p in ps] for _t, key, ps in response.context["sections"]
    }
    assert sections["appraisal"] == [waiting.code]
    count = {i["url"]: i.get("count") for i in response.context["nav_items"]}
    assert count[todo] == 1

    response = as_user(staff).get(todo)
    sections = {
        key: [p.code for p in ps] for _t, key, ps in response.context["sections"]
    }
    assert sections["returned"] == [returned.code]
    assert sections["deadline"] == [ending.code]
    count = {i["url"]: i.get("count") for i in response.context["nav_items"]}
    assert count[todo] == 2


def test_the_todo_titles_follow_the_language_and_the_deadline(as_user, staff):
    """The titles are built per request: in English once chosen, and the
    deadline section names TODO_DEADLINE_DAYS, not a number of its own."""
    client = as_user(staff)
    todo = reverse("projects:todo")

    titles = {key: t for t, key, _ps in client.get(todo).context["sections"]}
    assert titles["returned"] == "Bị trả lại để chỉnh sửa"
    assert titles["deadline"] == (
        f"Sắp hết hạn trong {TODO_DEADLINE_DAYS} ngày hoặc quá hạn"
    )

    client.post("/i18n/setlang/", {"language": "en", "next": todo})
    titles = {key: t for t, key, _ps in client.get(todo).context["sections"]}
    assert titles["returned"] == "Returned for changes"
    assert titles["deadline"] == (f"Ending within {TODO_DEADLINE_DAYS} days or overdue")


def test_the_plan_page_shows_budget_left(
    as_user, manager, staff, reviewer, establishment
):
    plan = make_plan(Source.LOCAL, allocated=500_000_000)
    project = make_project(staff, {plan: 120_000_000}, beneficiaries=[establishment])
    advance(project, Status.APPROVED, staff=staff, reviewer=reviewer)
    response = as_user(manager).get(reverse("projects:plans"))
    assert response.status_code == 200
    assert "380.000.000 đ" in response.content.decode()


def test_a_draft_edit_posted_after_submission_is_refused(as_user, staff, local_project):
    """The form was opened on a draft; the project was submitted meanwhile."""
    from projects.forms.projects import ProjectForm

    stale = Project.objects.get(pk=local_project.pk)
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    form = ProjectForm(instance=stale)
    assert stale.status == Status.DRAFT and form.instance.status == Status.DRAFT
    with pytest.raises(Refused):
        services.project_save_draft(
            project=stale, by=staff, fundings=[], beneficiaries=[]
        )
    local_project.refresh_from_db()
    assert local_project.status == Status.SUBMITTED
    assert local_project.fundings.count() == 1


# --- every action form, through the pages ----------------------------------------

# The page submits with today's date, and a decision is neither before the
# submission nor after today (projects/models/dates.py): the steps after it are
# dated today too.
TODAY = timezone.localdate().isoformat()
# An adjustment's or cancellation's decision as the form sends it; the
# authority is the one the form offers first (filled in by the test).
DECISION = {"decision_no": "15/QĐ", "decision_date": TODAY, "authority": "offered"}
PAGE_STEPS = {
    "local": [
        ("staff", "submit", {}),
        ("reviewer", "return", {"comment": "Bổ sung báo giá"}),
        ("staff", "resubmit", {"comment": "Đã bổ sung"}),
        ("reviewer", "receive", {"comment": "Hồ sơ đầy đủ"}),
        # Taken on the council's own pages (appraisal app): its service here.
        ("reviewer", "council", None),
        ("reviewer", "appraise", {"opinion": "Đạt yêu cầu"}),
        (
            "reviewer",
            "approve",
            {
                "decision_no": "5/QĐ-UBND",
                "decision_date": TODAY,
                "amount_KCDP": "120000000",
            },
        ),
        ("staff", "start", {"contract_no": "9/HĐ", "contract_date": TODAY}),
        (
            "staff",
            "request_adjustment",
            {"reason": "Chậm giao máy", "end_date": "2026-12-15"},
        ),
        (
            "reviewer",
            "decide_adjustment",
            {"approve": "1", "comment": "Đồng ý", **DECISION},
        ),
        (
            "staff",
            "accept",
            {"acceptance_date": TODAY, "minutes_no": "3/BB-NT"},
        ),
        (
            "staff",
            "settle",
            {
                "settled_on": TODAY,
                "amount_KCDP": "118000000",
                "voucher_no": "PC-QT-01",
                **DECISION,
            },
        ),
    ],
    "national": [
        ("staff", "submit", {}),
        (
            "reviewer",
            "propose",
            {"proposal_no": "15/SCT-QLCN", "proposal_date": TODAY},
        ),
        ("reviewer", "appraise_ministry", {"opinion": "Đạt yêu cầu"}),
        (
            "reviewer",
            "record_decision",
            {
                "decision_no": "88/QĐ-BCT",
                "decision_date": TODAY,
                "amount_KCQG": "120000000",
            },
        ),
        ("reviewer", "cancel", {"reason": "Đơn vị thụ hưởng rút", **DECISION}),
    ],
}


@pytest.mark.parametrize("route", ["local", "national"])
def test_every_action_form_works_through_the_pages(
    request, as_user, route, staff, reviewer
):
    project = request.getfixturevalue(f"{route}_project")
    users = {"staff": staff, "reviewer": reviewer}
    for who, action, data in PAGE_STEPS[route]:
        if data is None:
            council(project, reviewer)
            continue
        client = as_user(users[who])
        page = client.get(detail(project))
        assert action in offered(page), (action, offered(page))
        before = project.status
        if data.get("authority") == "offered":
            kind = "adjustment" if action.endswith("adjustment") else "cancellation"
            data = {**data, "authority": decision_authority(project, kind).pk}
        response = client.post(action_url(project, action), data, follow=True)
        project.refresh_from_db()
        errors = [str(m) for m in response.context["messages"]]
        assert project.transitions.last().action == action, errors
        assert project.status != before or action.endswith("adjustment"), errors
    if route == "local":
        assert project.status == Status.SETTLED
        assert project.end_date == dt.date(2026, 12, 15)
        assert project.fundings.get().settled == 118_000_000
    else:
        assert project.status == Status.CANCELLED


@pytest.mark.parametrize("beneficiaries", [1, 6])
def test_the_detail_query_count_does_not_grow_with_beneficiaries(
    as_user, staff, reviewer, local_plan, commune, beneficiaries,
    django_assert_num_queries,
):  # fmt: skip
    establishments = [
        make_establishment(commune, f"Cơ sở {i}", business_registration_no=f"B{i}")
        for i in range(beneficiaries)
    ]
    project = make_project(
        staff, {local_plan: 100_000_000}, beneficiaries=establishments
    )
    advance(project, Status.SUBMITTED, staff=staff, reviewer=reviewer)
    client = as_user(reviewer)
    # session, user, roles, to-do count, unread notifications, project,
    # fundings, the eligibility rule of the submission date, beneficiaries
    # (with commune, province, craft village), their earlier projects of the
    # content, rules applied, the approval route with its steps (issue 14),
    # decisions, the approved support's versions (none yet: one query),
    # adjustments, documents, money history, timeline
    with django_assert_num_queries(19):
        response = client.get(detail(project))
    assert response.status_code == 200
    assert "Bước tiếp theo" in response.content.decode()


def test_the_reviewer_sees_one_primary_action_and_the_others_behind_buttons(
    as_user, local_project, staff, reviewer
):
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    body = as_user(reviewer).get(detail(local_project)).content.decode()
    primary = body.split('data-testid="primary-action"')[1].split(
        'data-testid="secondary-actions"'
    )[0]
    assert 'data-action="receive"' in primary
    assert primary.count("<form") == 1
    secondary = body.split('data-testid="secondary-actions"')[1]
    for name in ("return", "reject", "cancel"):
        # Closed until its button (the summary) is pressed; no script needed.
        assert f'<details class="kc-action mb-2" data-secondary="{name}">' in secondary
    # The two "Lý do" boxes are no longer both in sight.
    assert body.count("<details") >= 3


def test_a_refused_secondary_action_opens_with_its_error(
    as_user, local_project, staff, reviewer
):
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    client = as_user(reviewer)
    body = client.post(
        reverse("projects:action", args=[local_project.pk, "reject"]), {"reason": ""}
    ).content.decode()
    assert '<details class="kc-action mb-2" data-secondary="reject" open>' in body


def test_a_staff_member_on_a_draft_has_submit_as_the_primary_action(
    as_user, local_project, staff
):
    body = as_user(staff).get(detail(local_project)).content.decode()
    primary = body.split('data-testid="primary-action"')[1].split(
        'data-testid="secondary-actions"'
    )[0]
    assert 'data-action="submit"' in primary
    assert 'data-secondary="cancel"' in body
