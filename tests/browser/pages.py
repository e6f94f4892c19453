"""Every page of the portal, with real rows to open it on (the page walk).

Each URL name maps to a function of the walked rows returning the path, or
to None when the URL is not a page (an action, a download, JSON). A new URL
name without an entry fails `test_every_url_is_walked_or_excused`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count
from django.urls import reverse


def _model(name: str, *labels: str) -> Any:
    for label in labels:
        try:
            return apps.get_model(label, name)
        except LookupError:
            continue
    raise LookupError(name)


@dataclass
class Rows:
    """The richest rows of the data set: pages show most on them."""

    project: Any
    draft: Any
    establishment: Any
    job: Any
    import_job: Any
    equipment: Any
    disbursement: Any
    inspection: Any

    @classmethod
    def pick(cls, requested_by: Any) -> Rows:
        project_model = _model("Project", "projects")
        project = (
            project_model.objects.annotate(
                n=Count("equipment", distinct=True)
                + Count("disbursements", distinct=True)
                + Count("inspections", distinct=True)
                + Count("photos", distinct=True)
            )
            .filter(status__in=("in_progress", "accepted"))
            .order_by("-n", "pk")
            .first()
        )
        establishment = (
            _model("Establishment", "enterprises")
            .objects.annotate(n=Count("projects"))
            .order_by("-n", "pk")
            .first()
        )
        job_model = _model("ReportJob", "reports")
        job = job_model.objects.order_by("pk").first() or job_model.objects.create(
            kind=job_model._meta.get_field("kind").choices[0][0],
            requested_by=requested_by,
        )
        import_model = _model("ImportJob", "enterprises")
        import_job = import_model.objects.order_by(
            "pk"
        ).first() or import_model.objects.create(
            file_name="co-so.xlsx", status="done", requested_by=requested_by
        )
        return cls(
            project=project,
            draft=project_model.objects.filter(status="draft").order_by("pk").first(),
            establishment=establishment,
            job=job,
            import_job=import_job,
            equipment=project.equipment.order_by("pk").first(),
            disbursement=project.disbursements.order_by("pk").first(),
            inspection=project.inspections.order_by("pk").first(),
        )


def _on(name: str, **kwargs: Callable[[Rows], Any]) -> Callable[[Rows], str]:
    def path(rows: Rows) -> str:
        return reverse(name, kwargs={k: f(rows) for k, f in kwargs.items()})

    return path


def _plain(name: str) -> Callable[[Rows], str]:
    return lambda rows: reverse(name)


def project_pk(r: Rows) -> int:
    return r.project.pk


def council_pk(rows: Rows) -> int:
    """The demo's first council (devdata.councils)."""
    return _model("Council", "appraisal").objects.order_by("pk").first().pk


def request_pk(status: str) -> Callable[[Rows], int]:
    """The demo account `coso`'s request in `status` (devdata.applicants)."""

    def pk(rows: Rows) -> int:
        model = _model("SupportRequest", "applicants")
        return model.objects.filter(status=status).order_by("pk").first().pk

    return pk


def followup_pk(done: bool) -> Callable[[Rows], int]:
    """A demo follow-up (devdata.followups): `coso`'s, not done; or one done."""

    def pk(rows: Rows) -> int:
        model = _model("FollowUp", "followups")
        return (
            model.objects.filter(done_at__isnull=not done)
            .order_by("-opened_on", "pk")
            .first()
            .pk
        )

    return pk


def requested_project_pk(rows: Rows) -> int:
    """The project made from `coso`'s accepted request."""
    model = _model("SupportRequest", "applicants")
    return model.objects.filter(status="accepted").order_by("pk").first().project_id


def requesting_establishment_pk(rows: Rows) -> int:
    model = _model("SupportRequest", "applicants")
    return model.objects.order_by("pk").first().establishment_id


PAGES: dict[str, Callable[[Rows], str] | None] = {
    "home": _plain("home"),
    "healthz": None,  # JSON for the load balancer
    "favicon": None,  # a redirect to the icon
    "audit": _plain("audit"),
    "login": None,  # walked before logging in
    "logout": None,  # an action
    "password_change": _plain("password_change"),
    "profile": _plain("profile"),
    "password_change_done": _plain("password_change_done"),
    "set_language": None,  # an action
    "enterprises:establishment_list": _plain("enterprises:establishment_list"),
    "enterprises:establishment_create": _plain("enterprises:establishment_create"),
    "enterprises:establishment_detail": _on(
        "enterprises:establishment_detail", pk=lambda r: r.establishment.pk
    ),
    "enterprises:establishment_update": _on(
        "enterprises:establishment_update", pk=lambda r: r.establishment.pk
    ),
    "enterprises:establishment_import": _plain("enterprises:establishment_import"),
    "enterprises:establishment_import_template": None,  # a spreadsheet
    "enterprises:import_job": _on(
        "enterprises:import_job", pk=lambda r: r.import_job.pk
    ),
    "enterprises:import_job_status": None,  # JSON
    "enterprises:establishment_export": None,  # a spreadsheet
    "projects:list": _plain("projects:list"),
    "projects:export": None,  # a spreadsheet
    "projects:create": _plain("projects:create"),
    "projects:detail": _on("projects:detail", pk=project_pk),
    "projects:edit": _on("projects:edit", pk=lambda r: r.draft.pk),
    "projects:action": None,  # an action
    "projects:delete": None,  # its author's alone, on a draft never submitted
    "projects:attach": None,  # an action
    "projects:attachment": None,  # a file
    "projects:todo": _plain("projects:todo"),
    "projects:plans": _plain("projects:plans"),
    "appraisal:list": _plain("appraisal:list"),
    "appraisal:create": _plain("appraisal:create"),
    "appraisal:detail": _on("appraisal:detail", pk=council_pk),
    "appraisal:add_project": None,  # an action
    "appraisal:add_member": None,  # an action
    "appraisal:sheet": None,  # its member's alone (tests/browser/test_council.py)
    "appraisal:close": None,  # an action
    "appraisal:project": None,  # a redirect to the project's council
    "reports:council_minutes": None,  # a PDF
    "reports:request": _plain("reports:request"),
    "reports:history": _plain("reports:history"),
    "reports:detail": _on("reports:detail", pk=lambda r: r.job.pk),
    "reports:status": None,  # JSON
    "reports:download": None,  # a file
    "reports:dossier": None,  # an action
    "reports:issue": None,  # an action ("Ban hành")
    "reports:paper": None,  # a Word file
    "dashboard:dashboard": _plain("dashboard:dashboard"),
    "dashboard:coverage": _plain("dashboard:coverage"),
    "dashboard:warnings": _plain("dashboard:warnings"),
    "dashboard:inbox": _plain("dashboard:inbox"),
    "dashboard:open": None,  # an action
    "dashboard:preferences": _plain("dashboard:preferences"),
    "money:list": _plain("money:list"),
    "money:project": _on("money:project", pk=project_pk),
    "money:history": _on("money:history", pk=project_pk),
    "money:equipment_add": _on("money:equipment_add", pk=project_pk),
    "money:equipment_edit": _on(
        "money:equipment_edit", pk=project_pk, equipment_pk=lambda r: r.equipment.pk
    ),
    "money:equipment_delete": None,  # an action
    "money:disbursement_add": _on("money:disbursement_add", pk=project_pk),
    "money:disbursement_edit": _on(
        "money:disbursement_edit",
        pk=project_pk,
        disbursement_pk=lambda r: r.disbursement.pk,
    ),
    "money:disbursement_delete": None,  # an action
    "money:disbursement_void": None,  # an action
    "money:inspection_void": None,  # an action
    "money:progress_void": None,  # an action
    "money:refund_confirm": None,  # only for a pending refund
    "money:inspection_add": _on("money:inspection_add", pk=project_pk),
    "money:inspection_edit": _on(
        "money:inspection_edit",
        pk=project_pk,
        inspection_pk=lambda r: r.inspection.pk,
    ),
    "money:progress_add": _on("money:progress_add", pk=project_pk),
    "money:acceptance": _on("money:acceptance", pk=project_pk),
    "money:photo_add": _on("money:photo_add", pk=project_pk),
    "money:photo": None,  # an image
    "money:photo_delete": None,  # an action
    "money:budget": _plain("money:budget"),
    "money:overdue": _plain("money:overdue"),
    "money:establishment_equipment": _on(
        "money:establishment_equipment", pk=lambda r: r.establishment.pk
    ),
    # The establishments' own pages (walked as `coso`) and the centre's queues.
    "applicants:signup": _plain("applicants:signup"),
    "applicants:signup_done": _plain("applicants:signup_done"),
    "applicants:confirm": None,  # a link from an e-mail
    "applicants:home": _plain("applicants:home"),
    "applicants:request_new": _plain("applicants:request_new"),
    "applicants:request": _on("applicants:request", pk=request_pk("returned")),
    "applicants:request_edit": _on("applicants:request_edit", pk=request_pk("draft")),
    "applicants:request_document_add": None,  # an action
    "applicants:request_submit": None,  # an action
    "applicants:request_answer": None,  # an action
    "applicants:projects": _plain("applicants:projects"),
    "applicants:project": _on("applicants:project", pk=requested_project_pk),
    "applicants:project_document": None,  # a file
    "applicants:request_check": None,  # JSON
    "applicants:establishment_accounts": _on(
        "applicants:establishment_accounts", pk=requesting_establishment_pk
    ),
    "applicants:account_add": None,  # an action
    "applicants:account_active": None,  # an action
    "applicants:staff_join": None,  # an action
    "applicants:document": None,  # a file
    "applicants:staff_accounts": _plain("applicants:staff_accounts"),
    "applicants:staff_verify": None,  # an action
    "applicants:staff_requests": _plain("applicants:staff_requests"),
    "applicants:staff_request": _on(
        "applicants:staff_request", pk=request_pk("submitted")
    ),
    "applicants:staff_ask": None,  # an action
    "applicants:staff_decline": None,  # an action
    "applicants:staff_convert": None,  # an action
    # Follow-ups after support: `coso` fills its own; the centre lists and
    # records visits.
    "followups:mine": _plain("followups:mine"),
    "followups:fill": _on("followups:fill", pk=followup_pk(done=False)),
    "followups:list": _plain("followups:list"),
    "followups:record": _on("followups:record", pk=followup_pk(done=True)),
    "followups:photo": None,  # an image
    "password_reset": _plain("password_reset"),
    "password_reset_done": _plain("password_reset_done"),
    "password_reset_confirm": None,  # a link from an e-mail
    "password_reset_complete": _plain("password_reset_complete"),
    "public:index": _plain("public:index"),
    "public:csv": None,  # a file
    "public:xlsx": None,  # a spreadsheet
    # The JSON API: data, not pages; its reference is Swagger UI, whose own
    # interface (Authorize, Schemas…) is English, for developers.
    "api:programme-list": None,
    "api:programme-detail": None,
    "api:plan-list": None,
    "api:plan-detail": None,
    "api:project-list": None,
    "api:project-detail": None,
    "api:establishment-list": None,
    "api:establishment-detail": None,
    "api:commune-list": None,
    "api:commune-detail": None,
    "api:report-job-list": None,
    "api:report-job-detail": None,
    "api:public-project-list": None,
    "api:exchange": None,
    "api:schema": None,
    "api:docs": None,
}
