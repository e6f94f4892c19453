"""Approval routes as data (projects/models/routes.py): a project takes the
route in force on its submission day; the administrator's new version of a
route changes the next projects, not the older ones; returns at every level
name the body that returned; the author withdraws a submitted project and
deletes a draft never submitted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from projects import services
from projects.models import (
    Attachment,
    IssuingAuthority,
    Project,
    Refused,
    Route,
    Source,
    Status,
    Transition,
)
from tests.builders import SUBMIT_DAY, advance, approved_amounts
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NEW_ROUTE_DAY = dt.date(2026, 3, 10)


def approve(project, reviewer):
    return services.project_approve(
        project=project,
        by=reviewer,
        decision_no="7/QĐ-DEMO",
        decision_date=dt.date(2026, 3, 25),
        approved=approved_amounts(project),
    )


def inline(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def test_the_administrators_new_route_version_decides_the_next_projects_only(
    as_user, admin_user, staff, reviewer, local_plan, establishment, local_project
):
    from tests.builders import make_project

    # The older project is submitted on the shipped route (UBND tỉnh).
    advance(local_project, Status.APPRAISED, staff=staff, reviewer=reviewer)
    old_route = Route.objects.get(source="KCDP")
    assert local_project.route == old_route
    department = IssuingAuthority.objects.get(level="department")

    # Changing the version in use is refused: it must be saved as new.
    client = as_user(admin_user)
    url = reverse("admin:projects_route_change", args=[old_route.pk])
    steps = [
        {"id": str(s.pk), "route": str(old_route.pk), "order": str(s.order),
         "action": s.action, "role": s.role,
         "authority": str(s.authority_id or "")}
        for s in old_route.steps.all()
    ]  # fmt: skip
    form = {
        "source": "KCDP",
        "valid_from": NEW_ROUTE_DAY.isoformat(),
        "name": "Khuyến công địa phương (ủy quyền Sở)",
        "authority": str(department.pk),
        "legal_basis": "Quyết định ủy quyền của UBND tỉnh (chưa xác minh)",
        **inline("steps", steps, initial=len(steps)),
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    old_route.refresh_from_db()
    assert old_route.authority.level == "province"

    # "Save as new": a new version valid from NEW_ROUTE_DAY.
    saved = client.post(url, {**form, "_saveasnew": "1"})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    new_route = Route.objects.get(source="KCDP", valid_from=NEW_ROUTE_DAY)
    assert new_route.authority == department
    assert [s.action for s in new_route.steps.all()] == [
        "receive",
        "council",
        "appraise",
        "approve",
    ]

    # The next project, submitted after that day, takes the new version.
    newer = make_project(staff, {local_plan: 50_000_000}, beneficiaries=[establishment])
    services.project_submit(project=newer, by=staff, day=dt.date(2026, 3, 12))
    assert newer.route == new_route
    advance(newer, Status.APPRAISED, staff=staff, reviewer=reviewer)
    approve(newer, reviewer)
    decision = newer.decisions.get()
    assert (decision.authority_name, decision.signer_title) == (
        "Sở Công Thương",
        "GIÁM ĐỐC",
    )
    # The older one, approved later still, keeps the provincial committee.
    approve(local_project, reviewer)
    decision = local_project.decisions.get()
    assert (decision.authority_name, decision.signer_title) == (
        "Ủy ban nhân dân tỉnh",
        "CHỦ TỊCH",
    )
    assert local_project.route == old_route


def test_the_reviewer_may_name_another_authority_in_use_only(
    local_project, staff, reviewer
):
    advance(local_project, Status.APPRAISED, staff=staff, reviewer=reviewer)
    ministry = IssuingAuthority.objects.get(level="ministry")
    ministry.active = False
    ministry.save()
    with pytest.raises(Refused):
        services.project_approve(
            project=local_project,
            by=reviewer,
            decision_no="7/QĐ-DEMO",
            decision_date=dt.date(2026, 3, 25),
            approved=approved_amounts(local_project),
            authority=ministry,
        )
    assert local_project.status == Status.APPRAISED
    assert not local_project.decisions.exists()


@pytest.mark.parametrize(
    ("route", "status", "body"),
    [
        ("local", Status.SUBMITTED, "Sở Công Thương"),
        ("local", Status.RECEIVED, "Sở Công Thương"),
        ("local", Status.SCORED, "Sở Công Thương"),
        ("local", Status.APPRAISED, "Ủy ban nhân dân tỉnh"),
        ("national", Status.SUBMITTED, "Sở Công Thương"),
        ("national", Status.PROPOSED, "Bộ Công Thương"),
        ("national", Status.APPRAISED, "Bộ Công Thương"),
    ],
)
def test_a_return_at_any_level_names_that_level_and_the_route_runs_again(
    request, staff, reviewer, route, status, body
):
    project = request.getfixturevalue(f"{route}_project")
    advance(project, status, staff=staff, reviewer=reviewer)
    services.project_return(project=project, by=reviewer, comment="Bổ sung hồ sơ")
    assert project.status == Status.RETURNED
    returned = project.transitions.last()
    assert (returned.action, returned.from_status, returned.body) == (
        "return",
        status,
        body,
    )
    # Resubmitted, it goes through the route from its first step again.
    services.project_resubmit(project=project, by=staff, day=SUBMIT_DAY)
    advance(project, Status.APPROVED, staff=staff, reviewer=reviewer)
    actions = [t.action for t in project.transitions.all()]
    first = "receive" if route == "local" else "propose"
    assert actions.count(first) == (2 if status != Status.SUBMITTED else 1)


def test_the_timeline_shows_the_level_a_return_came_from(
    as_user, national_project, staff, reviewer
):
    advance(national_project, Status.PROPOSED, staff=staff, reviewer=reviewer)
    services.project_return(
        project=national_project, by=reviewer, comment="Bộ yêu cầu bổ sung"
    )
    page = as_user(staff).get(national_project.get_absolute_url()).content.decode()
    assert 'data-testid="level">Bộ Công Thương<' in page


def test_the_author_withdraws_a_submitted_project_before_it_is_received(
    local_project, staff, reviewer, db
):
    other = make_user("staff2", "staff")
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    with pytest.raises(Refused):
        services.project_withdraw(project=local_project, by=other)
    with pytest.raises(Refused):
        services.project_withdraw(project=local_project, by=reviewer)
    services.project_withdraw(project=local_project, by=staff, comment="Sửa dự toán")
    assert local_project.status == Status.DRAFT
    assert local_project.route is None and local_project.submitted_on is None
    assert [t.action for t in local_project.transitions.all()] == [
        "submit",
        "withdraw",
    ]
    # Once received, it is no longer the author's to take back.
    advance(local_project, Status.RECEIVED, staff=staff, reviewer=reviewer)
    with pytest.raises(Refused):
        services.project_withdraw(project=local_project, by=staff)


def test_a_draft_never_submitted_is_deleted_by_its_author_only(
    as_user,
    local_project,
    staff,
    reviewer,
    admin_user,
    tmp_path,
    settings,
    django_capture_on_commit_callbacks,
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    attachment = services.project_attach(
        project=local_project,
        by=staff,
        kind="proposal",
        upload=SimpleUploadedFile("de-an.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    stored = tmp_path / attachment.file.name
    assert stored.exists()
    url = reverse("projects:delete", args=[local_project.pk])
    other = make_user("staff2", "staff")
    for user in (other, reviewer, admin_user):
        assert as_user(user).get(url).status_code == 404
        assert as_user(user).post(url).status_code == 404
    client = as_user(staff)
    page = client.get(url)
    assert page.status_code == 200 and "Xóa bản nháp" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not Project.objects.filter(pk=local_project.pk).exists()
    assert not Project.history.filter(id=local_project.pk).exists()
    assert not Attachment.objects.exists() and not stored.exists()


def test_a_draft_once_submitted_is_not_deleted(as_user, local_project, staff):
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    services.project_withdraw(project=local_project, by=staff)
    url = reverse("projects:delete", args=[local_project.pk])
    assert as_user(staff).post(url).status_code == 404
    assert Transition.objects.filter(project=local_project).count() == 2


def test_the_people_who_act_next_are_told(
    national_project, staff, reviewer, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        advance(national_project, Status.PROPOSED, staff=staff, reviewer=reviewer)
        services.project_return(
            project=national_project, by=reviewer, comment="Bộ yêu cầu bổ sung"
        )
    code = national_project.code
    proposed = Notification.objects.get(user=reviewer, kind="review_step")
    assert proposed.title == f"Đề án {code} chuyển sang “Đã đề xuất lên Bộ”"
    returned = Notification.objects.get(user=staff, kind="returned")
    assert returned.title.endswith("(Bộ Công Thương)")
    with django_capture_on_commit_callbacks(execute=True):
        services.project_resubmit(project=national_project, by=staff, day=SUBMIT_DAY)
        advance(national_project, Status.APPROVED, staff=staff, reviewer=reviewer)
    decided = Notification.objects.get(user=staff, kind="decided")
    assert decided.title == f"Đề án {code} đã được phê duyệt: ký hợp đồng"


def test_settlement_and_carry_forward_decisions_are_in_the_project_file(
    staff, reviewer, establishment, as_user, admin_user, tmp_path
):
    from reports.dossier import DossierReport
    from tests.builders import make_plan, running
    from tests.readers import pdf_text

    plan = make_plan(Source.LOCAL, year=2025, allocated=500_000_000)
    project = running(staff, reviewer, plan, establishment, amount=120_000_000)
    # The administrator records the carry-forward, issued by the Sở here.
    department = IssuingAuthority.objects.get(level="department")
    saved = as_user(admin_user).post(
        reverse("admin:projects_carryforward_add"),
        {
            "plan": plan.pk,
            "project": project.pk,
            "decision_no": "15/QĐ-SCT (demo)",
            "decision_date": "2026-01-20",
            "amount": "50000000",
            "note": "Chuyển nguồn kinh phí năm 2025",
            "authority": department.pk,
            "signer_title": "PHÓ GIÁM ĐỐC",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    advance(project, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    services.project_settle(
        project=project,
        by=staff,
        settled_on=dt.date(2026, 12, 1),
        voucher_no="PC-QT-01",
        settled={"KCDP": 0},
        decision_no="40/QĐ-QT (demo)",
    )
    rows = [
        (d.kind, d.number, d.issued_on, d.authority_name, d.signer_title)
        for d in project.decisions.order_by("pk")
    ]
    assert rows[1:] == [
        (
            "carry_forward",
            "15/QĐ-SCT (demo)",
            dt.date(2026, 1, 20),
            "Sở Công Thương",
            "PHÓ GIÁM ĐỐC",
        ),
        # By default, the authority that approved the project.
        ("settlement", "40/QĐ-QT (demo)", dt.date(2026, 12, 1), AUTHORITY, "CHỦ TỊCH"),
    ]
    assert rows[0][0] == "approval"
    page = as_user(staff).get(project.get_absolute_url()).content.decode()
    assert page.count('data-testid="decision"') == 3
    assert "<td>40/QĐ-QT (demo)</td><td>01/12/2026</td>" in page
    assert "Ủy ban nhân dân tỉnh (CHỦ TỊCH)" in page
    assert "Sở Công Thương (PHÓ GIÁM ĐỐC)" in page
    # The timeline: the settlement's step names its decision; the
    # carry-forward, taken outside the steps, has a line of its own.
    timeline = page[page.index('data-testid="timeline"') :]
    assert "<strong>Quyết định chuyển nguồn</strong>" in timeline
    assert "Quyết định số 15/QĐ-SCT (demo) ngày 20/01/2026 (Sở Công Thương)" in timeline
    assert "Quyết định số 40/QĐ-QT (demo) ngày 01/12/2026" in timeline
    # And so does the dossier's.
    out = tmp_path / "ho-so.pdf"
    DossierReport(project).write_pdf(out)
    text = " ".join(pdf_text(out, raw=True).split())
    written = text[text.index("V. Quá trình xử lý") :]
    for expected in ("Quyết định chuyển nguồn", "15/QĐ-SCT (demo)", "40/QĐ-QT (demo)"):
        assert expected in written, expected


def test_a_settlement_is_recorded_only_with_its_decision(
    staff, reviewer, local_plan, establishment, as_user
):
    from tests.builders import accepted

    project = accepted(staff, reviewer, local_plan, establishment)
    with translation.override("vi"), pytest.raises(Refused) as refused:
        services.project_settle(
            project=project,
            by=staff,
            settled_on=dt.date(2026, 12, 1),
            voucher_no="PC-QT-01",
            settled={"KCDP": 100_000_000},
        )
    assert refused.value.fields == {"Cần nhập số quyết định.": ("decision_no",)}
    # The page asks for it next to its field, and changes nothing.
    response = as_user(staff).post(
        reverse("projects:action", args=[project.pk, "settle"]),
        {
            "settled_on": "2026-12-01",
            "amount_KCDP": "100000000",
            "voucher_no": "PC-QT-01",
        },
    )
    assert response.status_code == 400
    assert response.context["refused_form"].errors["decision_no"]
    project.refresh_from_db()
    assert project.status == Status.ACCEPTED
    assert not project.decisions.filter(kind="settlement").exists()
    assert not project.fundings.get().settled


AUTHORITY = "Ủy ban nhân dân tỉnh"


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (SUBMIT_DAY - dt.timedelta(days=1), "trước ngày gửi"),
        (dt.date(2099, 1, 1), "không được sau ngày hôm nay"),
    ],
)
def test_a_proposal_dated_before_the_submission_or_after_today_is_refused(
    national_project, staff, reviewer, day, message
):
    advance(national_project, Status.SUBMITTED, staff=staff, reviewer=reviewer)
    with translation.override("vi"), pytest.raises(Refused) as refused:
        services.project_propose(
            project=national_project,
            by=reviewer,
            proposal_no="15/SCT",
            proposal_date=day,
        )
    assert any(message in m for m in refused.value.messages), refused.value.messages
    assert set(refused.value.fields.values()) == {("proposal_date",)}
    national_project.refresh_from_db()
    assert national_project.status == Status.SUBMITTED
