"""One permission matrix: every URL pattern x every role -> allowed or refused.

The walk over the URLconf fails for any URL without an entry here, so a new
page cannot ship without someone deciding who may open it. Object pages are
opened on objects built by the entry's `setup`, so the check is made against
real rows (object-level scoping included where a role must not see a record).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from enterprises.models import Commune, Establishment
from enterprises.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

OK = "ok"  # 200 (or a redirect for pages that only act, see `ok_status`)
LOGIN = "login"  # anonymous: sent to the login page
DENIED = "denied"  # 403 (or 404 for records outside the user's remit)

ROLES = ("anonymous", "nobody", Role.STAFF, Role.REVIEWER, Role.MANAGER, Role.ADMIN)
EVERY_ROLE = {Role.STAFF: OK, Role.REVIEWER: OK, Role.MANAGER: OK, Role.ADMIN: OK}


@dataclass
class Entry:
    expect: dict[str, str]
    method: str = "get"
    setup: Callable[[], dict[str, Any]] | None = None
    ok_status: tuple[int, ...] = (200,)
    # Request data, or a function making it afresh (uploaded files are consumed).
    data: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)
    # For pages that act: did the action take effect? (kwargs -> bool). A
    # refused action may answer with a redirect and a message, so the status
    # code alone cannot tell allowed from refused.
    effect: Callable[[dict[str, Any]], bool] | None = None

    def outcome(self, role: str) -> str:
        if role == "anonymous":
            return self.expect.get("anonymous", LOGIN)
        return self.expect.get(role, DENIED)


def everyone(**extra: str) -> dict[str, str]:
    return {"nobody": OK, **EVERY_ROLE, **extra}


STAFF_AND_ADMIN = {Role.STAFF: OK, Role.ADMIN: OK}
WRITERS = STAFF_AND_ADMIN
REPORT_ROLES = {Role.STAFF: OK, Role.MANAGER: OK, Role.ADMIN: OK}


def a_draft_project() -> dict[str, Any]:
    from projects.models import Source
    from tests.builders import make_establishment, make_plan, make_project

    creator = make_user("matrix-creator", Role.STAFF)
    commune = Commune.objects.filter(province_id=38).first()
    establishment = make_establishment(commune)
    plan = make_plan(Source.LOCAL)
    project = make_project(creator, {plan: 120_000_000}, beneficiaries=[establishment])
    return {"pk": project.pk}


def a_submit_action() -> dict[str, Any]:
    return {**a_draft_project(), "action": "submit"}


def was_submitted(kwargs: dict[str, Any]) -> bool:
    from projects.models import Project, Status

    return Project.objects.get(pk=kwargs["pk"]).status == Status.SUBMITTED


def a_done_report() -> dict[str, Any]:
    from reports.services import report_generate, report_parameters, report_request

    job = report_request(
        kind="establishments",
        parameters=report_parameters(period="2026", formats=["xlsx"]),
    )
    report_generate(job=job)
    return {"pk": job.pk}


def a_report_download() -> dict[str, Any]:
    return {**a_done_report(), "fmt": "xlsx"}


def was_issued(kwargs: dict[str, Any]) -> bool:
    from reports.models import RegisterEntry

    return RegisterEntry.objects.filter(job_id=kwargs["pk"]).exists()


def a_project_paper() -> dict[str, Any]:
    return {"project_pk": a_draft_project()["pk"], "key": "to-trinh"}


def a_dossier_project() -> dict[str, Any]:
    return {"project_pk": a_draft_project()["pk"]}


def dossier_asked(kwargs: dict[str, Any]) -> bool:
    from reports.models import ReportJob

    return ReportJob.objects.filter(kind="dossier").exists()


def someone_elses_notification() -> dict[str, Any]:
    from notifications.models import Notification, NotificationKind

    owner = make_user("matrix-owner", Role.STAFF)
    item = Notification.objects.create(
        user=owner, kind=NotificationKind.RETURNED, title="Đề án bị trả lại"
    )
    return {"pk": item.pk}


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def a_pdf_upload() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "kind": "proposal",
        "file": SimpleUploadedFile("de-an.pdf", PDF, "application/pdf"),
    }


def was_attached(kwargs: dict[str, Any]) -> bool:
    from projects.models import Project

    return Project.objects.get(pk=kwargs["pk"]).attachments.exists()


def an_attachment() -> dict[str, Any]:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile

    from projects.models import Project
    from projects.services import project_attach

    kwargs = a_draft_project()
    attachment = project_attach(
        project=Project.objects.get(pk=kwargs["pk"]),
        by=User.objects.get(username="matrix-creator"),
        kind="proposal",
        upload=SimpleUploadedFile("de-an.pdf", PDF, "application/pdf"),
    )
    return {**kwargs, "attachment_pk": attachment.pk}


# --- execution and money: a project in progress and its rows ---------------


def _running() -> tuple[Any, User]:
    from projects.models import Source
    from tests.builders import make_establishment, make_plan, running

    creator = make_user("matrix-creator", Role.STAFF)
    approver = make_user("matrix-approver", Role.REVIEWER)
    commune = Commune.objects.filter(province_id=38).first()
    project = running(
        creator, approver, make_plan(Source.LOCAL), make_establishment(commune)
    )
    return project, creator


def a_running_project() -> dict[str, Any]:
    return {"pk": _running()[0].pk}


def with_equipment() -> dict[str, Any]:
    from tests.builders import machine

    project, creator = _running()
    return {"pk": project.pk, "equipment_pk": machine(project, creator).pk}


def with_disbursement() -> dict[str, Any]:
    from tests.builders import pay

    project, creator = _running()
    return {"pk": project.pk, "disbursement_pk": pay(project, creator, 10_000_000).pk}


def with_refund_due() -> dict[str, Any]:
    from projects import services
    from projects.models import Disbursement
    from tests.builders import pay

    project, creator = _running()
    pay(project, creator, 30_000_000, kind="advance")
    approver = User.objects.get(username="matrix-approver")
    services.project_cancel(project=project, by=approver, reason="Rút")
    due = Disbursement.objects.get(state="due")
    return {"pk": project.pk, "disbursement_pk": due.pk}


def with_inspection() -> dict[str, Any]:
    import datetime as dt

    from projects.models import Inspection

    project, creator = _running()
    inspection = Inspection.objects.create(
        project=project, planned_date=dt.date(2026, 6, 1), recorded_by=creator
    )
    return {"pk": project.pk, "inspection_pk": inspection.pk}


def with_photo() -> dict[str, Any]:
    from projects.models import ExecutionPhoto
    from tests.factories import png

    project, creator = _running()
    photo = ExecutionPhoto(project=project, uploaded_by=creator, caption="Máy")
    photo.image.save("may.png", png(), save=False)
    photo.save()
    return {"pk": project.pk, "photo_pk": photo.pk}


def gone(model: str, key: str) -> Callable[[dict[str, Any]], bool]:
    def check(kwargs: dict[str, Any]) -> bool:
        from django.apps import apps

        return (
            not apps.get_model("projects", model)
            .objects.filter(pk=kwargs[key])
            .exists()
        )

    return check


def refund_recorded(kwargs: dict[str, Any]) -> bool:
    from projects.models import Disbursement

    return Disbursement.objects.get(pk=kwargs["disbursement_pk"]).state == "recorded"


def a_finished_import() -> dict[str, Any]:
    from enterprises.models import ImportJob

    job = ImportJob.objects.create(
        file_name="co-so.xlsx", status=ImportJob.Status.DONE, rows_total=3, rows=3
    )
    return {"pk": job.pk}


def an_establishment() -> dict[str, Any]:
    est = Establishment.objects.create(
        name="Hợp tác xã mây tre đan Nga Sơn",
        kind="cooperative",
        tax_code="2800000001",
        representative_name="Mai Văn Tùng",
        commune=Commune.objects.filter(province_id=38).first(),
    )
    return {"pk": est.pk}


MATRIX: dict[str, Entry] = {
    "home": Entry(everyone()),
    "audit": Entry({Role.ADMIN: OK}),
    "healthz": Entry({"anonymous": OK, **everyone()}),
    "login": Entry({"anonymous": OK, **everyone()}, ok_status=(200, 302)),
    "logout": Entry({"anonymous": OK, **everyone()}, method="post", ok_status=(302,)),
    "password_change": Entry(everyone()),
    "profile": Entry(everyone()),
    "password_change_done": Entry(everyone()),
    "set_language": Entry(
        {"anonymous": OK, **everyone()},
        method="post",
        ok_status=(302,),
        data={"language": "en"},
    ),
    # Establishment registry: every role reads; staff and admin write.
    "enterprises:establishment_list": Entry(EVERY_ROLE),
    "enterprises:establishment_export": Entry(EVERY_ROLE),
    "enterprises:establishment_detail": Entry(EVERY_ROLE, setup=an_establishment),
    "enterprises:establishment_create": Entry(STAFF_AND_ADMIN),
    "enterprises:establishment_update": Entry(STAFF_AND_ADMIN, setup=an_establishment),
    "enterprises:establishment_import": Entry(STAFF_AND_ADMIN),
    "enterprises:establishment_import_template": Entry(STAFF_AND_ADMIN),
    # An import's page and its polled status: those who may import.
    "enterprises:import_job": Entry(STAFF_AND_ADMIN, setup=a_finished_import),
    "enterprises:import_job_status": Entry(STAFF_AND_ADMIN, setup=a_finished_import),
    # Projects: every role reads, but reviewers never see the centre's drafts
    # (object-level: 404); only staff write drafts and submit them.
    "projects:list": Entry(EVERY_ROLE),
    "projects:export": Entry(EVERY_ROLE),
    "projects:plans": Entry(EVERY_ROLE),
    "projects:todo": Entry(EVERY_ROLE),
    "projects:create": Entry({Role.STAFF: OK}),
    "projects:detail": Entry(
        {Role.STAFF: OK, Role.MANAGER: OK, Role.ADMIN: OK}, setup=a_draft_project
    ),
    "projects:edit": Entry({Role.STAFF: OK}, setup=a_draft_project),
    "projects:action": Entry(
        {Role.STAFF: OK},
        method="post",
        setup=a_submit_action,
        ok_status=(302,),
        effect=was_submitted,
    ),
    # Documents: staff (and reviewers, once they can see the project) attach;
    # whoever sees the project downloads; nobody else, not even by URL.
    "projects:attach": Entry(
        {Role.STAFF: OK},
        method="post",
        setup=a_draft_project,
        data=a_pdf_upload,
        ok_status=(302,),
        effect=was_attached,
    ),
    "projects:attachment": Entry(
        {Role.STAFF: OK, Role.MANAGER: OK, Role.ADMIN: OK}, setup=an_attachment
    ),
    # Execution and money: every role reads a project it can see; staff and
    # administrators record. Deleting is judged by its effect.
    "money:list": Entry(EVERY_ROLE),
    "money:budget": Entry(EVERY_ROLE),
    "money:overdue": Entry(EVERY_ROLE),
    "money:establishment_equipment": Entry(EVERY_ROLE, setup=an_establishment),
    "money:project": Entry(EVERY_ROLE, setup=a_running_project),
    "money:history": Entry(EVERY_ROLE, setup=a_running_project),
    "money:photo": Entry(EVERY_ROLE, setup=with_photo),
    "money:equipment_add": Entry(WRITERS, setup=a_running_project),
    "money:equipment_edit": Entry(WRITERS, setup=with_equipment),
    "money:disbursement_add": Entry(WRITERS, setup=a_running_project),
    "money:disbursement_edit": Entry(WRITERS, setup=with_disbursement),
    "money:inspection_add": Entry(WRITERS, setup=a_running_project),
    "money:inspection_edit": Entry(WRITERS, setup=with_inspection),
    "money:progress_add": Entry(WRITERS, setup=a_running_project),
    "money:acceptance": Entry(WRITERS, setup=a_running_project),
    "money:photo_add": Entry(WRITERS, setup=a_running_project),
    "money:equipment_delete": Entry(
        WRITERS,
        method="post",
        setup=with_equipment,
        ok_status=(302,),
        effect=gone("EquipmentInvestment", "equipment_pk"),
    ),
    "money:disbursement_delete": Entry(
        WRITERS,
        method="post",
        setup=with_disbursement,
        ok_status=(302,),
        effect=gone("Disbursement", "disbursement_pk"),
    ),
    "money:photo_delete": Entry(
        WRITERS,
        method="post",
        setup=with_photo,
        ok_status=(302,),
        effect=gone("ExecutionPhoto", "photo_pk"),
    ),
    "money:refund_confirm": Entry(
        WRITERS,
        method="post",
        setup=with_refund_due,
        data={"date": "2026-06-01", "voucher_no": "PT-3"},
        ok_status=(302,),
        effect=refund_recorded,
    ),
    # Reports: staff, managers and admins request and download; reviewers don't.
    "reports:request": Entry(REPORT_ROLES),
    "reports:history": Entry(REPORT_ROLES),
    "reports:detail": Entry(REPORT_ROLES, setup=a_done_report),
    "reports:status": Entry(REPORT_ROLES, setup=a_done_report),
    "reports:download": Entry(REPORT_ROLES, setup=a_report_download),
    # "Ban hành": a number of the centre's register, given by managers (the
    # director's office) and administrators only.
    "reports:issue": Entry(
        {Role.MANAGER: OK, Role.ADMIN: OK},
        method="post",
        setup=a_done_report,
        ok_status=(302,),
        effect=was_issued,
    ),
    # The standard papers of a project (Word, filled from its record): report
    # roles, for a project they can see.
    "reports:paper": Entry(REPORT_ROLES, setup=a_project_paper),
    # A project's dossier, asked for from its page: report roles, and only for
    # a project they can see (reviewers never see drafts, nor ask for reports).
    "reports:dossier": Entry(
        REPORT_ROLES,
        method="post",
        setup=a_dossier_project,
        ok_status=(302,),
        effect=dossier_asked,
    ),
    # Dashboard area: managers read the figures; staff also see the warnings;
    # everyone holding a role has an inbox, and opens only their own items.
    "dashboard:dashboard": Entry({Role.MANAGER: OK, Role.ADMIN: OK}),
    "dashboard:coverage": Entry({Role.MANAGER: OK, Role.ADMIN: OK}),
    "dashboard:warnings": Entry(REPORT_ROLES),
    "dashboard:inbox": Entry(EVERY_ROLE),
    "dashboard:preferences": Entry(EVERY_ROLE),
    "dashboard:open": Entry(
        {}, method="post", setup=someone_elses_notification, ok_status=(302,)
    ),
    # The whole Django admin: administrators only; others are sent to its login.
    "admin:index": Entry({Role.ADMIN: OK}),
}


def url_names() -> list[str]:
    def walk(patterns: list, ns: str | None = None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{ns}:{p.name}" if ns else p.name

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_url_has_an_entry_in_the_matrix():
    missing = [
        name
        for name in url_names()
        if name not in MATRIX and not name.startswith("admin:")
    ]
    assert missing == [], f"URLs without a permission entry: {missing}"


def test_no_matrix_entry_is_stale():
    assert set(MATRIX) - set(url_names()) == set()


def login_as(client, role: str) -> User | None:
    if role == "anonymous":
        return None
    user = make_user(
        f"matrix-{role}",
        None if role == "nobody" else role,
        is_staff=role == Role.ADMIN,
    )
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, name: str, role: str):
    entry = MATRIX[name]
    login_as(client, role)
    kwargs = entry.setup() if entry.setup else {}
    url = reverse(name, kwargs=kwargs)
    data = entry.data() if callable(entry.data) else entry.data
    response = getattr(client, entry.method)(url, data)
    expected = entry.outcome(role)
    if entry.effect is not None:
        assert entry.effect(kwargs) == (expected == OK), (name, role, response)
    if expected == OK:
        assert response.status_code in entry.ok_status, (name, role, response)
    elif expected == LOGIN:
        assert response.status_code == 302, (name, role, response)
        assert "/dang-nhap/" in response.url or "/login/" in response.url
    else:
        refused = response.status_code in (403, 404) or (
            response.status_code == 302
            and ("login" in response.url or entry.effect is not None)
        )
        assert refused, (name, role, response.status_code)


def admin_patterns() -> list[tuple[str, list[str]]]:
    """Every URL pattern of the Django admin, with the names of its arguments."""

    def walk(patterns: list, ns: str | None = None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name and ns == "admin":
                named = list(p.pattern.regex.groupindex)
                # Unnamed groups (simple_history's admin) are passed by position.
                yield f"admin:{p.name}", named or [None] * p.pattern.regex.groups

    return sorted({(n, tuple(a)) for n, a in walk(get_resolver().url_patterns)})


ADMIN_URLS = admin_patterns()
ADMIN_SAMPLE_ARGS = {"app_label": "enterprises"}
# The admin's own sign-in and sign-out pages are open by nature.
ADMIN_PUBLIC = {"admin:login", "admin:logout"}


@pytest.mark.parametrize("role", ["anonymous", "nobody", *EVERY_ROLE])
def test_the_whole_admin_is_for_administrators_only(client, role):
    """The admin, one matrix row: every pattern refuses everyone but admins."""
    login_as(client, role)
    for name, args in ADMIN_URLS:
        if None in args:
            url = reverse(name, args=["1"] * len(args))
        else:
            url = reverse(name, kwargs={a: ADMIN_SAMPLE_ARGS.get(a, "1") for a in args})
        response = client.get(url)
        assert response.status_code < 500, (name, role)
        if role != Role.ADMIN and name not in ADMIN_PUBLIC:
            refused = response.status_code in (403, 404) or (
                response.status_code == 302 and "login" in response.url
            )
            assert refused, (name, role, response.status_code)
