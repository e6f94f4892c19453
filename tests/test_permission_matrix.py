"""One permission matrix: every URL pattern x every role -> allowed or refused.

The walk over the URLconf fails for any URL without an entry here, so a new
page cannot ship without someone deciding who may open it. Object pages are
opened on objects built by the entry's `setup`, so the check is made against
real rows (object-level scoping included where a role must not see a record).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from enterprises.models import Commune, Establishment
from enterprises.roles import Role
from tests.builders import rolled_back, shared_for_the_scope
from tests.factories import make_user

pytestmark = pytest.mark.django_db

OK = "ok"  # 200 (or a redirect for pages that only act, see `ok_status`)
LOGIN = "login"  # anonymous: sent to the login page
DENIED = "denied"  # 403 (or 404 for records outside the user's remit)

ROLES = (
    "anonymous",
    "nobody",
    Role.STAFF,
    Role.REVIEWER,
    Role.MANAGER,
    Role.ADMIN,
    Role.APPLICANT,
)
# The centre's roles. An applicant (an establishment's own account) opens only
# its own pages, the account pages and its inbox.
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
    return {"nobody": OK, **EVERY_ROLE, Role.APPLICANT: OK, **extra}


def public() -> dict[str, str]:
    return {"anonymous": OK, **everyone()}


STAFF_AND_ADMIN = {Role.STAFF: OK, Role.ADMIN: OK}
WRITERS = STAFF_AND_ADMIN
REPORT_ROLES = {Role.STAFF: OK, Role.MANAGER: OK, Role.ADMIN: OK}
REPORT_READERS = {**REPORT_ROLES, Role.REVIEWER: OK}
FIGURE_READERS = {Role.MANAGER: OK, Role.ADMIN: OK, Role.REVIEWER: OK}


def a_draft_project() -> dict[str, Any]:
    from projects.models import Source
    from tests.builders import make_establishment, make_plan, make_project

    creator = make_user("matrix-creator", Role.STAFF)
    commune = Commune.objects.filter(province_id=38).first()
    establishment = make_establishment(commune)
    plan = make_plan(Source.LOCAL)
    project = make_project(creator, {plan: 120_000_000}, beneficiaries=[establishment])
    return {"pk": project.pk}


def a_draft_of_the_matrix_staff() -> dict[str, Any]:
    """A draft written by the matrix's staff user: its author deletes it, and
    everyone else (other roles are not its author) gets a 404."""
    from projects.models import Source
    from tests.builders import make_establishment, make_plan, make_project

    author = User.objects.filter(username=f"matrix-{Role.STAFF}").first()
    author = author or make_user(f"matrix-{Role.STAFF}", Role.STAFF)
    commune = Commune.objects.filter(province_id=38).first()
    project = make_project(
        author,
        {make_plan(Source.LOCAL): 120_000_000},
        beneficiaries=[make_establishment(commune)],
    )
    return {"pk": project.pk}


def was_deleted(kwargs: dict[str, Any]) -> bool:
    from projects.models import Project

    return not Project.objects.filter(pk=kwargs["pk"]).exists()


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


# --- the appraisal council: the Sở's reviewers run it; a member who is not a
# reviewer sees only their own council; a sheet is its member's alone --------


def _seated(username: str, role: str) -> User:
    return User.objects.filter(username=username).first() or make_user(username, role)


def a_received_project() -> dict[str, Any]:
    from projects.models import Project
    from tests.builders import received_project

    project = Project.objects.get(pk=a_draft_project()["pk"])
    approver = _seated("matrix-approver", Role.REVIEWER)
    received_project(project, staff=project.created_by, reviewer=approver)
    return {"project_pk": project.pk}


def _council() -> Any:
    import datetime as dt

    from appraisal import services
    from appraisal.models import Function
    from projects.models import Project

    project = Project.objects.get(pk=a_received_project()["project_pk"])
    council = services.council_create(
        by=_seated("matrix-approver", Role.REVIEWER),
        name="Hội đồng ma trận",
        established_by="",
        meeting_date=dt.date(2026, 3, 10),
    )
    services.council_add_project(council=council, project=project)
    services.council_add_member(
        council=council,
        function=Function.SECRETARY,
        user=_seated("matrix-secretary", Role.REVIEWER),
    )
    seated = services.council_add_member(
        council=council,
        function=Function.MEMBER,
        user=_seated("matrix-seated", Role.STAFF),
    )
    return council, project, seated


def a_council() -> dict[str, Any]:
    return {"pk": _council()[0].pk}


def a_council_minutes() -> dict[str, Any]:
    return {"council_pk": _council()[0].pk}


def someone_elses_sheet() -> dict[str, Any]:
    council, project, seated = _council()
    return {"pk": council.pk, "member_pk": seated.pk, "project_pk": project.pk}


def an_empty_council() -> dict[str, Any]:
    import datetime as dt

    from appraisal import services

    council = services.council_create(
        by=_seated("matrix-approver", Role.REVIEWER),
        name="Hội đồng trống",
        established_by="",
        meeting_date=dt.date(2026, 3, 10),
    )
    return {"pk": council.pk}


def agenda_data() -> dict[str, Any]:
    return {"project": a_received_project()["project_pk"]}


def was_put_on_agenda(kwargs: dict[str, Any]) -> bool:
    from appraisal.models import CouncilProject

    return CouncilProject.objects.filter(council_id=kwargs["pk"]).exists()


def was_seated(kwargs: dict[str, Any]) -> bool:
    from appraisal.models import Member

    return Member.objects.filter(council_id=kwargs["pk"], name="Ông Ma Trận").exists()


def was_closed(kwargs: dict[str, Any]) -> bool:
    from appraisal.models import Council

    return Council.objects.get(pk=kwargs["pk"]).is_closed


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
    from tests.builders import decision, pay

    project, creator = _running()
    pay(project, creator, 30_000_000, kind="advance")
    approver = User.objects.get(username="matrix-approver")
    services.project_cancel(
        project=project, by=approver, reason="Rút", **decision(project)
    )
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


def to_void(setup: Callable[[], dict[str, Any]], key: str):
    """A record to void, named `record_pk` as the void URLs take it."""

    def make() -> dict[str, Any]:
        kwargs = setup()
        return {"pk": kwargs["pk"], "record_pk": kwargs[key]}

    return make


def with_progress() -> dict[str, Any]:
    import datetime as dt

    from projects.models import ProgressUpdate

    project, creator = _running()
    update = ProgressUpdate(
        project=project, date=dt.date(2026, 6, 1), progress_percent=20
    ).store(by=creator)
    return {"pk": project.pk, "progress_pk": update.pk}


def voided(model: str) -> Callable[[dict[str, Any]], bool]:
    def check(kwargs: dict[str, Any]) -> bool:
        from django.apps import apps

        row = apps.get_model("projects", model).objects.get(pk=kwargs["record_pk"])
        return row.voided_at is not None and row.void_reason == "Nhập nhầm"

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


# --- the establishments' own pages (applicants) ----------------------------------

MATRIX_CODE = "HKD-MATRIX-A"


def matrix_establishment(code: str = MATRIX_CODE) -> Establishment:
    """Establishment A, whose account the applicant role logs in with."""
    found = Establishment.objects.filter(business_registration_no=code).first()
    if found:
        return found
    from tests.builders import make_establishment

    commune = Commune.objects.filter(province_id=38).first()
    return make_establishment(commune, f"Cơ sở {code}", business_registration_no=code)


def a_request(status: str = "draft", code: str = MATRIX_CODE) -> dict[str, Any]:
    """A request of establishment `code` (A by default), filed by a colleague
    of the logged-in applicant."""
    from tests.builders import support_request
    from tests.factories import make_applicant

    staff = User.objects.filter(username="matrix-request-staff").first()
    staff = staff or make_user("matrix-request-staff", Role.STAFF)
    owner = make_applicant(f"matrix-owner-{code}", matrix_establishment(code))
    item = support_request(owner, status=status, staff=staff)
    return {"pk": item.pk}


def a_complete_draft() -> dict[str, Any]:
    """A draft of establishment A that may be sent: within the rules, with a
    document."""
    from applicants.models import SupportRequest
    from applicants.services import request_attach
    from tests.factories import pdf

    kwargs = a_request("draft")
    item = SupportRequest.objects.get(pk=kwargs["pk"])
    request_attach(request=item, by=item.created_by, kind="registration", upload=pdf())
    return kwargs


def a_submitted_request() -> dict[str, Any]:
    return a_request("submitted")


def a_returned_request() -> dict[str, Any]:
    return a_request("returned")


def a_request_document() -> dict[str, Any]:
    from applicants.models import SupportRequest

    kwargs = a_request("submitted")
    doc = SupportRequest.objects.get(pk=kwargs["pk"]).documents.get()
    return {**kwargs, "document_pk": doc.pk}


def request_in(status: str) -> Callable[[dict[str, Any]], bool]:
    def check(kwargs: dict[str, Any]) -> bool:
        from applicants.models import SupportRequest

        return SupportRequest.objects.get(pk=kwargs["pk"]).status == status

    return check


def has_more_documents(kwargs: dict[str, Any]) -> bool:
    from applicants.models import SupportRequest

    return SupportRequest.objects.get(pk=kwargs["pk"]).documents.count() > 0


def a_document_upload() -> dict[str, Any]:
    from tests.factories import pdf

    return {"kind": "quotation", "file": pdf()}


def an_answer() -> dict[str, Any]:
    from tests.factories import pdf

    return {"body": "Đã bổ sung báo giá.", "file": pdf("bao-gia.pdf")}


def a_followed_project(code: str = MATRIX_CODE) -> dict[str, Any]:
    """A project made from a request of establishment `code` (A by default),
    approved and paid, with its approval decision filed as a PDF."""
    from applicants.models import SupportRequest
    from tests.builders import approve_and_pay

    kwargs = a_request("accepted", code=code)
    project = SupportRequest.objects.get(pk=kwargs["pk"]).project
    approve_and_pay(
        project,
        staff=make_user(f"matrix-follow-staff-{code}", Role.STAFF),
        reviewer=make_user(f"matrix-follow-reviewer-{code}", Role.REVIEWER),
    )
    return {"pk": project.pk}


def a_project_decision(code: str = MATRIX_CODE) -> dict[str, Any]:
    from projects.models import Project

    kwargs = a_followed_project(code)
    paper = Project.objects.get(pk=kwargs["pk"]).attachments.get()
    return {**kwargs, "attachment_pk": paper.pk}


def an_establishment_with_accounts(code: str = MATRIX_CODE) -> dict[str, Any]:
    from tests.factories import make_applicant

    establishment = matrix_establishment(code)
    make_applicant(f"matrix-colleague-{code}", establishment)
    return {"pk": establishment.pk}


def an_account_of(code: str = MATRIX_CODE) -> dict[str, Any]:
    from tests.factories import make_applicant

    user = make_applicant(f"matrix-closed-{code}", matrix_establishment(code))
    return {"pk": user.applicant_link.pk}


def account_closed(kwargs: dict[str, Any]) -> bool:
    from applicants.models import ApplicantLink

    return not ApplicantLink.objects.get(pk=kwargs["pk"]).user.is_active


def account_added(kwargs: dict[str, Any]) -> bool:
    from applicants.models import ApplicantLink

    return ApplicantLink.objects.filter(user__username="them@example.vn").exists()


def a_request_to_join(code: str = MATRIX_CODE) -> dict[str, Any]:
    """A request of establishment `code`, sent, and a draft group project
    made from another establishment's request that it may join."""
    a_request("accepted", code=f"{code}-G")
    return a_request("submitted", code=code)


def join_data() -> dict[str, Any]:
    from projects.models import Project, Status

    project = Project.objects.filter(status=Status.DRAFT).order_by("-pk").first()
    return {"join-project": project.pk, "join-plan": project.fundings.get().plan_id}


def a_confirmation_link() -> dict[str, Any]:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from applicants.services import applicant_sign_up

    link = applicant_sign_up(
        email="moi@example.vn",
        password="mây-tre-2026!",
        claimed_code="HKD-NEW",
        claimed_name="Cơ sở mới",
        phone="0912345678",
    )
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(link.user.pk)),
        "token": default_token_generator.make_token(link.user),
    }


def an_account_to_verify() -> dict[str, Any]:
    from applicants.services import applicant_sign_up

    est = matrix_establishment("HKD-MATRIX-V")
    link = applicant_sign_up(
        email="cho-xac-minh@example.vn",
        password="mây-tre-2026!",
        claimed_code=est.business_registration_no,
        claimed_name=est.name,
        phone="0912345678",
    )
    return {"pk": link.pk}


def account_verified(kwargs: dict[str, Any]) -> bool:
    from applicants.models import ApplicantLink

    return ApplicantLink.objects.get(pk=kwargs["pk"]).verified_at is not None


def verify_data() -> dict[str, Any]:
    from applicants.models import ApplicantLink

    link = ApplicantLink.objects.get(claimed_code="HKD-MATRIX-V")
    return {f"{link.pk}-establishment": matrix_establishment("HKD-MATRIX-V").pk}


def made_project(kwargs: dict[str, Any]) -> bool:
    from applicants.models import SupportRequest

    return SupportRequest.objects.get(pk=kwargs["pk"]).project_id is not None


def convert_data() -> dict[str, Any]:
    from projects.models import Plan, Source
    from tests.builders import make_plan

    plan = Plan.objects.order_by("pk").first() or make_plan(Source.LOCAL)
    return {"plan": plan.pk}


STAFF_ONLY = {Role.STAFF: OK}
APPLICANT_ONLY = {Role.APPLICANT: OK}

APPLICANT_MATRIX: dict[str, Entry] = {
    # Signing up and resetting a password: open to all (signed-in users are
    # sent home from the sign-up page).
    "applicants:signup": Entry(public(), ok_status=(200, 302)),
    "applicants:signup_done": Entry(public()),
    "applicants:confirm": Entry(public(), setup=a_confirmation_link, ok_status=(302,)),
    "password_reset": Entry(public()),
    "password_reset_done": Entry(public()),
    "password_reset_confirm": Entry(
        public(), setup=lambda: {"uidb64": "MQ", "token": "x-y"}
    ),
    "password_reset_complete": Entry(public()),
    # The establishment's own pages: its verified accounts only, on its own
    # records (a request of establishment A here; B is refused below).
    "applicants:home": Entry(APPLICANT_ONLY),
    "applicants:request_new": Entry(APPLICANT_ONLY),
    # The rules checked as the request is typed (JSON, nothing saved).
    "applicants:request_check": Entry(
        APPLICANT_ONLY,
        method="post",
        data={"title": "Mua máy", "content": 4, "requested": "100.000.000"},
    ),
    "applicants:projects": Entry(APPLICANT_ONLY),
    # A project of the establishment and the centre's papers on it.
    "applicants:project": Entry(APPLICANT_ONLY, setup=a_followed_project),
    "applicants:project_document": Entry(APPLICANT_ONLY, setup=a_project_decision),
    "applicants:request": Entry(APPLICANT_ONLY, setup=a_request),
    "applicants:request_edit": Entry(APPLICANT_ONLY, setup=a_request),
    "applicants:request_document_add": Entry(
        APPLICANT_ONLY,
        method="post",
        setup=a_request,
        data=a_document_upload,
        ok_status=(302,),
        effect=has_more_documents,
    ),
    "applicants:request_submit": Entry(
        APPLICANT_ONLY,
        method="post",
        setup=a_complete_draft,
        ok_status=(302,),
        effect=request_in("submitted"),
    ),
    "applicants:request_answer": Entry(
        APPLICANT_ONLY,
        method="post",
        setup=a_returned_request,
        data=an_answer,
        ok_status=(302,),
        effect=request_in("submitted"),
    ),
    # A request's documents: the centre's staff and the establishment.
    "applicants:document": Entry(
        {Role.STAFF: OK, Role.APPLICANT: OK}, setup=a_request_document
    ),
    # The centre's queues and decisions: staff only, never an applicant.
    "applicants:staff_accounts": Entry(STAFF_ONLY),
    "applicants:staff_verify": Entry(
        STAFF_ONLY,
        method="post",
        setup=an_account_to_verify,
        data=verify_data,
        ok_status=(302,),
        effect=account_verified,
    ),
    "applicants:staff_requests": Entry(STAFF_ONLY),
    "applicants:staff_join": Entry(
        STAFF_ONLY,
        method="post",
        setup=a_request_to_join,
        data=join_data,
        ok_status=(302,),
        effect=made_project,
    ),
    # An establishment's accounts: the centre's staff manage them.
    "applicants:establishment_accounts": Entry(
        STAFF_ONLY, setup=an_establishment_with_accounts
    ),
    "applicants:account_add": Entry(
        STAFF_ONLY,
        method="post",
        setup=an_establishment_with_accounts,
        data={"email": "them@example.vn", "phone": "0912345678"},
        ok_status=(302,),
        effect=account_added,
    ),
    "applicants:account_active": Entry(
        STAFF_ONLY,
        method="post",
        setup=an_account_of,
        data={"active": "0"},
        ok_status=(302,),
        effect=account_closed,
    ),
    "applicants:staff_request": Entry(STAFF_ONLY, setup=a_submitted_request),
    "applicants:staff_ask": Entry(
        STAFF_ONLY,
        method="post",
        setup=a_submitted_request,
        data={"body": "Thiếu báo giá."},
        ok_status=(302,),
        effect=request_in("returned"),
    ),
    "applicants:staff_decline": Entry(
        STAFF_ONLY,
        method="post",
        setup=a_submitted_request,
        data={"reason": "Trùng lặp."},
        ok_status=(302,),
        effect=request_in("declined"),
    ),
    "applicants:staff_convert": Entry(
        STAFF_ONLY,
        method="post",
        setup=a_submitted_request,
        data=convert_data,
        ok_status=(302,),
        effect=made_project,
    ),
}


# --- follow-ups after support (followups) ------------------------------------------


def a_followup(code: str = MATRIX_CODE) -> dict[str, Any]:
    """The follow-up of a project settled for establishment `code` (A by
    default), opened by the daily run."""
    import datetime as dt

    from followups.models import FollowUp
    from followups.services import followup_open_due
    from projects.models import Source
    from tests.builders import make_plan, settled

    staff = make_user(f"matrix-followup-staff-{code}", Role.STAFF)
    approver = make_user(f"matrix-followup-approver-{code}", Role.REVIEWER)
    project = settled(
        staff, approver, make_plan(Source.LOCAL), matrix_establishment(code)
    )
    followup_open_due(today=dt.date(2030, 1, 1))
    return {"pk": FollowUp.objects.get(project=project).pk}


def a_followup_photo(code: str = MATRIX_CODE) -> dict[str, Any]:
    from followups.models import FollowUp
    from followups.services import Figures, followup_record
    from tests.factories import png

    kwargs = a_followup(code)
    followup = FollowUp.objects.get(pk=kwargs["pk"])
    followup_record(
        followup=followup,
        by=User.objects.get(username=f"matrix-followup-staff-{code}"),
        filled_by="visit",
        figures=Figures(jobs=5, revenue=100_000_000),
        equipment={},
        photos=[png()],
    )
    return {**kwargs, "photo_pk": followup.photos.get().pk}


# The establishment fills its own follow-ups; the centre's writers list them
# and record visits; the photos: both, on the establishment's own only.
FOLLOWUP_MATRIX: dict[str, Entry] = {
    "followups:mine": Entry(APPLICANT_ONLY),
    "followups:fill": Entry(APPLICANT_ONLY, setup=a_followup),
    "followups:list": Entry(WRITERS),
    "followups:record": Entry(WRITERS, setup=a_followup),
    "followups:photo": Entry({**WRITERS, Role.APPLICANT: OK}, setup=a_followup_photo),
}


def a_plan() -> dict[str, Any]:
    from projects.models import Source
    from tests.builders import make_plan

    return {"pk": make_plan(Source.LOCAL).pk}


def a_programme() -> dict[str, Any]:
    from projects.models import Plan

    return {"pk": Plan.objects.get(pk=a_plan()["pk"]).programme_id}


def a_commune() -> dict[str, Any]:
    return {"pk": Commune.objects.filter(province_id=38).first().pk}


# The API answers an anonymous caller 401 (no key), not a login page.
API_READERS = {"anonymous": DENIED, **EVERY_ROLE}
API_REPORTS = {"anonymous": DENIED, **REPORT_READERS}
OPEN_TO_ALL = {"anonymous": OK, **everyone()}

MATRIX: dict[str, Entry] = {
    # An applicant's home is its requests page (a redirect).
    "home": Entry(everyone(), ok_status=(200, 302)),
    "audit": Entry({Role.ADMIN: OK}),
    "healthz": Entry(public()),
    "favicon": Entry(public(), ok_status=(301,)),
    "login": Entry(public(), ok_status=(200, 302)),
    "logout": Entry(public(), method="post", ok_status=(302,)),
    "password_change": Entry(everyone()),
    "profile": Entry(everyone()),
    "password_change_done": Entry(everyone()),
    "set_language": Entry(
        public(),
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
    # A draft never submitted: deleted by its author only (404 for others).
    "projects:delete": Entry(
        {Role.STAFF: OK},
        method="post",
        setup=a_draft_of_the_matrix_staff,
        ok_status=(302,),
        effect=was_deleted,
    ),
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
    # Voiding a record entered by mistake: those who record it, with a reason.
    "money:disbursement_void": Entry(
        WRITERS,
        method="post",
        setup=to_void(with_disbursement, "disbursement_pk"),
        data={"reason": "Nhập nhầm"},
        ok_status=(302,),
        effect=voided("Disbursement"),
    ),
    "money:inspection_void": Entry(
        WRITERS,
        method="post",
        setup=to_void(with_inspection, "inspection_pk"),
        data={"reason": "Nhập nhầm"},
        ok_status=(302,),
        effect=voided("Inspection"),
    ),
    "money:progress_void": Entry(
        WRITERS,
        method="post",
        setup=to_void(with_progress, "progress_pk"),
        data={"reason": "Nhập nhầm"},
        ok_status=(302,),
        effect=voided("ProgressUpdate"),
    ),
    "money:refund_confirm": Entry(
        WRITERS,
        method="post",
        setup=with_refund_due,
        data={"date": "2026-06-01", "voucher_no": "PT-3"},
        ok_status=(302,),
        effect=refund_recorded,
    ),
    # Reports: staff, managers and admins request and download; the Sở's
    # reviewers read and download every report, and request none.
    "reports:request": Entry(REPORT_ROLES),
    "reports:history": Entry(REPORT_READERS),
    "reports:detail": Entry(REPORT_READERS, setup=a_done_report),
    "reports:status": Entry(REPORT_READERS, setup=a_done_report),
    "reports:download": Entry(REPORT_READERS, setup=a_report_download),
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
    # The appraisal council (appraisal app). Reviewers see every council;
    # the other roles see only councils they sit on (none here: 404).
    "appraisal:list": Entry(EVERY_ROLE),
    "appraisal:create": Entry({Role.REVIEWER: OK}),
    "appraisal:detail": Entry({Role.REVIEWER: OK}, setup=a_council),
    "appraisal:add_project": Entry(
        {Role.REVIEWER: OK},
        method="post",
        setup=an_empty_council,
        data=agenda_data,
        ok_status=(302,),
        effect=was_put_on_agenda,
    ),
    "appraisal:add_member": Entry(
        {Role.REVIEWER: OK},
        method="post",
        setup=an_empty_council,
        data={"function": "member", "name": "Ông Ma Trận"},
        ok_status=(302,),
        effect=was_seated,
    ),
    # A member's sheet is theirs alone, not even a reviewer's to open.
    "appraisal:sheet": Entry({}, setup=someone_elses_sheet),
    # Only the council's secretary closes (none of these roles is).
    "appraisal:close": Entry(
        {}, method="post", setup=a_council, ok_status=(302,), effect=was_closed
    ),
    # The council step's link on a project page: whoever sees the project.
    "appraisal:project": Entry(EVERY_ROLE, setup=a_received_project, ok_status=(302,)),
    "reports:council_minutes": Entry({Role.REVIEWER: OK}, setup=a_council_minutes),
    # Dashboard area: managers and the Sở's reviewers read the figures; staff
    # also see the warnings; everyone holding a role has an inbox, and opens
    # only their own items.
    "dashboard:dashboard": Entry(FIGURE_READERS),
    "dashboard:coverage": Entry(FIGURE_READERS),
    "dashboard:warnings": Entry({**FIGURE_READERS, Role.STAFF: OK}),
    "dashboard:inbox": Entry({**EVERY_ROLE, Role.APPLICANT: OK}),
    "dashboard:preferences": Entry({**EVERY_ROLE, Role.APPLICANT: OK}),
    "dashboard:open": Entry(
        {}, method="post", setup=someone_elses_notification, ok_status=(302,)
    ),
    **APPLICANT_MATRIX,
    **FOLLOWUP_MATRIX,
    # The public transparency page and its downloads: open to everyone.
    "public:index": Entry(OPEN_TO_ALL),
    "public:csv": Entry(OPEN_TO_ALL),
    "public:xlsx": Entry(OPEN_TO_ALL),
    # The JSON API (a key, or a signed-in session): the pages' model
    # permissions; reviewers never see drafts; report jobs for report roles.
    "api:programme-list": Entry(API_READERS),
    "api:programme-detail": Entry(API_READERS, setup=a_programme),
    "api:plan-list": Entry(API_READERS),
    "api:plan-detail": Entry(API_READERS, setup=a_plan),
    "api:project-list": Entry(API_READERS),
    "api:project-detail": Entry(
        {"anonymous": DENIED, Role.STAFF: OK, Role.MANAGER: OK, Role.ADMIN: OK},
        setup=a_draft_project,
    ),
    "api:establishment-list": Entry(API_READERS),
    "api:establishment-detail": Entry(API_READERS, setup=an_establishment),
    "api:commune-list": Entry(API_READERS),
    "api:commune-detail": Entry(API_READERS, setup=a_commune),
    "api:report-job-list": Entry(API_REPORTS),
    "api:report-job-detail": Entry(API_REPORTS, setup=a_done_report),
    "api:exchange": Entry(API_READERS, data={"period": "2026"}),
    # What the public page publishes, as JSON: open to everyone.
    "api:public-project-list": Entry(OPEN_TO_ALL),
    # The API's schema and its reference page are public documentation.
    "api:schema": Entry(OPEN_TO_ALL),
    "api:docs": Entry(OPEN_TO_ALL),
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


def _role_user(role: str) -> User:
    """The matrix's user of `role`, made on first use."""
    username = "matrix-applicant" if role == Role.APPLICANT else f"matrix-{role}"
    found = User.objects.filter(username=username).first()
    if found:
        return found
    if role == Role.APPLICANT:
        from tests.factories import make_applicant

        return make_applicant(username, matrix_establishment())
    return make_user(
        username, None if role == "nobody" else role, is_staff=role == Role.ADMIN
    )


# Each role's signed-in session, made once with its user (role_users): a
# sign-in costs a dozen queries (django-axes resets the attempts on each), and
# the matrix asks ~2,000 times. Every request runs in a savepoint rolled back
# after it, so a URL that ends or rotates the session leaves it as it was.
SESSIONS: dict[str, str] = {}


def login_as(client, role: str) -> User | None:
    if role == "anonymous":
        return None
    user = _role_user(role)
    if role in SESSIONS:
        client.cookies[settings.SESSION_COOKIE_NAME] = SESSIONS[role]
    else:
        client.force_login(user)
    return user


@pytest.fixture(scope="module")
def role_users(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The user of each role (and establishment A, the applicant's) and its
    session, built once for the module's tests rather than once per case."""
    with shared_for_the_scope(django_db_blocker):
        for role in ROLES:
            if role != "anonymous":
                client = Client()
                client.force_login(_role_user(role))
                SESSIONS[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield
    SESSIONS.clear()


def wrong_answer(entry: Entry, name: str, role: str, kwargs: dict) -> str | None:
    """What is wrong with the answer `role` gets from `name` opened with
    `kwargs` (None: what the matrix says), from a client of its own."""
    client = Client()
    login_as(client, role)
    data = entry.data() if callable(entry.data) else entry.data
    response = getattr(client, entry.method)(reverse(name, kwargs=kwargs), data)
    expected = entry.outcome(role)
    status, where = response.status_code, getattr(response, "url", "")
    if entry.effect is not None and entry.effect(kwargs) != (expected == OK):
        return f"{role}: {'no effect' if expected == OK else 'took effect'} {status}"
    if expected == OK:
        right = status in entry.ok_status
    elif expected == LOGIN:
        right = status == 302 and ("/dang-nhap/" in where or "/login/" in where)
    else:
        right = status in (401, 403, 404) or (
            status == 302 and ("login" in where or entry.effect is not None)
        )
    return None if right else f"{role}: expected {expected}, got {status} {where}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(role_users, name: str):
    """Every role on URL `name` gets what the matrix says, and establishment
    A's account reaches nothing of establishment B through it.

    The entry's records are built once for all the roles, and each role's
    request runs in a savepoint rolled back after it: every role finds the
    records as built, as if it ran alone, and an action one role may take is
    undone before the next role tries it."""
    entry = MATRIX[name]
    wrong = []
    if name in ABOUT_B and name in B_SETUPS:
        with rolled_back():  # B's own records, without A's
            wrong.append(b_reached(entry, name, B_SETUPS[name]()))
    kwargs = entry.setup() if entry.setup else {}
    for role in ROLES:
        with rolled_back():
            wrong.append(wrong_answer(entry, name, role, kwargs))
    if name in ABOUT_B and name not in B_SETUPS:
        with rolled_back():
            wrong.append(b_reached(entry, name, kwargs))
    wrong = [w for w in wrong if w]
    assert not wrong, f"{name}: " + "; ".join(wrong)


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
def test_the_whole_admin_is_for_administrators_only(role_users, client, role):
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


# --- an applicant of establishment A and everything of establishment B --------------

B = "HKD-MATRIX-B"
# Pages an applicant opens that concern no establishment but its own (or none).
APPLICANT_OWN_PAGES = {
    name
    for name, entry in MATRIX.items()
    if entry.outcome(Role.APPLICANT) == OK and entry.setup is None
} | {"applicants:confirm", "password_reset_confirm"}
# The applicant's object pages, opened on establishment B's records instead.
B_SETUPS: dict[str, Callable[[], dict[str, Any]]] = {
    "applicants:request": lambda: a_request("draft", code=B),
    "applicants:request_edit": lambda: a_request("draft", code=B),
    "applicants:request_document_add": lambda: a_request("draft", code=B),
    "applicants:request_submit": lambda: a_request("draft", code=B),
    "applicants:request_answer": lambda: a_request("returned", code=B),
    "applicants:staff_request": lambda: a_request("submitted", code=B),
    "applicants:staff_ask": lambda: a_request("submitted", code=B),
    "applicants:staff_decline": lambda: a_request("submitted", code=B),
    "applicants:staff_convert": lambda: a_request("submitted", code=B),
}


def b_document() -> dict[str, Any]:
    from applicants.models import SupportRequest

    kwargs = a_request("submitted", code=B)
    doc = SupportRequest.objects.get(pk=kwargs["pk"]).documents.get()
    return {**kwargs, "document_pk": doc.pk}


B_SETUPS["applicants:document"] = b_document
B_SETUPS["followups:fill"] = lambda: a_followup(B)
B_SETUPS["followups:photo"] = lambda: a_followup_photo(B)
B_SETUPS["applicants:establishment_accounts"] = lambda: an_establishment_with_accounts(
    B
)
B_SETUPS["applicants:account_add"] = lambda: an_establishment_with_accounts(B)
B_SETUPS["applicants:account_active"] = lambda: an_account_of(B)
B_SETUPS["applicants:staff_join"] = lambda: a_request_to_join(B)
B_SETUPS["applicants:project"] = lambda: a_followed_project(B)
B_SETUPS["applicants:project_document"] = lambda: a_project_decision(B)
ABOUT_B = sorted(
    n
    for n in url_names()
    if not n.startswith("admin:") and n not in APPLICANT_OWN_PAGES
)


def test_the_walk_covers_the_applicants_object_pages():
    applicant_objects = {n for n in ABOUT_B if n.startswith("applicants:")}
    assert applicant_objects - set(B_SETUPS) == {
        "applicants:staff_accounts",
        "applicants:staff_requests",
        "applicants:staff_verify",
    }


def b_reached(entry: Entry, name: str, kwargs: dict) -> str | None:
    """Every URL about records (or the centre's pages), opened by establishment
    A's account on establishment B's data (`kwargs`): refused, and nothing
    changes. None when so."""
    client = Client()
    login_as(client, Role.APPLICANT)
    data = entry.data() if callable(entry.data) else entry.data
    before = _b_state()
    response = getattr(client, entry.method)(reverse(name, kwargs=kwargs), data)
    if response.status_code not in (403, 404):
        return f"applicant of A on B: got {response.status_code}"
    if _b_state() != before:
        return "applicant of A on B: B's records changed"
    return None


def _b_state() -> list[tuple]:
    from applicants.models import RequestDocument, RequestMessage, SupportRequest
    from followups.models import FollowUp

    return [
        *SupportRequest.objects.values_list("pk", "status", "project_id"),
        (RequestDocument.objects.count(), RequestMessage.objects.count()),
        *FollowUp.objects.values_list("pk", "done_at", "jobs"),
    ]
