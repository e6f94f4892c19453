"""The project lifecycle as one table.

This table is the single source of truth for who may do what from which state,
and with which form and service: the services check it, the detail page builds
its buttons and forms from it, the action view runs the step's service, and
the permission tests are parametrised over it. See ARCHITECTURE.md, "The
lifecycle".

A step names its form (in projects.forms.projects) and its service (in
projects.services) and imports them when asked: both modules read this table,
so it cannot import them when it loads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enterprises.roles import Role, roles_of

from .models import (
    REVIEW_STATUSES,
    DecisionKind,
    IssuingAuthority,
    Project,
    Refused,
    Route,
    RouteStep,
    Source,
    Status,
)
from .models.routes import steps_with_bodies

FORMS = "projects.forms.projects"
SERVICES = "projects.services"

# The review steps between submission and approval: a project takes those
# its approval route lists (projects/models/routes.py), each by the role the
# route names. Every other step is the same for both sources.
ROUTED_ACTIONS: tuple[str, ...] = (
    "receive",
    "council",
    "appraise",
    "approve",
    "propose",
    "appraise_ministry",
    "record_decision",
)


def route_of(project: Project) -> Route | None:
    """The project's approval route: the one it was pinned to on submission,
    or (a draft) the one its source would take today. Read once per project
    object."""
    cached = getattr(project, "_route_cache", False)
    if cached is not False:
        return cached
    if project.route_id:
        route = (
            Route.objects.select_related("authority")
            .prefetch_related(steps_with_bodies())
            .get(pk=project.route_id)
        )
    else:
        source = Source.NATIONAL if project.is_national else Source.LOCAL
        route = Route.in_force(source, timezone.localdate())
    project._route_cache = route
    return route


def deciding_authority(project: Project) -> IssuingAuthority | None:
    """The authority the project's route names for its approval decision."""
    route = route_of(project)
    return route.authority if route else None


def decision_authority(project: Project, kind: str) -> IssuingAuthority | None:
    """The authority that issues `kind` decisions on `project` by default
    (the forms offer it first): the one that approved the project, if still
    in use, else the one its route names."""
    if kind != DecisionKind.APPROVAL:
        approval = (
            project.decisions.filter(kind=DecisionKind.APPROVAL)
            .select_related("authority")
            .order_by("-issued_on", "-pk")
            .first()
        )
        if approval is not None and approval.authority.active:
            return approval.authority
    return deciding_authority(project)


@dataclass(frozen=True)
class Step:
    action: str
    label: Promise
    sources: tuple[str, ...]
    # None: the step keeps the project's state (a correction).
    target: str | None
    # Who takes the step; for a review step the route's row says instead.
    roles: frozenset[str]
    # Inputs the action needs besides the actor (documented here, enforced by
    # the service's keyword-only signature and the action form).
    needs: tuple[str, ...] = ()
    # Extra precondition on the project beyond its state (e.g. an open
    # adjustment request; "author": only the user who wrote the project);
    # None: none.
    guard: str | None = None
    style: str = "primary"
    # A correction ("Sửa thông tin"): the recorded fields it may change.
    corrects: tuple[str, ...] = ()
    # The action's form class and service function, by name.
    form: str = ""
    service: str = ""
    # A step taken on a page of its own (the appraisal council's session),
    # named by its URL name: the project page links there instead of showing
    # a form, and that page calls the step's service.
    page: str = ""

    @property
    def form_class(self) -> type:
        return import_string(f"{FORMS}.{self.form}")

    def make_form(self, project: Project, *args: Any, **kwargs: Any) -> Any:
        """The step's form for `project` (a correction's lists its fields);
        None for a step taken on a page of its own."""
        if self.page:
            return None
        if self.corrects:
            kwargs["corrects"] = self.corrects
        return self.form_class(project, *args, **kwargs)

    @property
    def run(self) -> Callable[..., Project]:
        """The step's service: run(project=..., by=..., **form.service_kwargs())."""
        service = import_string(f"{SERVICES}.{self.service}")
        return partial(service, action=self.action) if self.corrects else service

    @property
    def forward(self) -> bool:
        """A step that moves the project on (submit, approve, start …), as
        opposed to sending it back, stopping it or asking for a change: the
        project page offers it as the page's one primary action."""
        return self.style in ("primary", "success") and not self.corrects

    @property
    def routed(self) -> bool:
        return self.action in ROUTED_ACTIONS

    def route_step(self, project: Project) -> RouteStep | None:
        """The row of the project's route for this review step."""
        route = route_of(project)
        return route.step(self.action) if route else None

    def roles_for(self, project: Project) -> frozenset[str]:
        if not self.routed:
            return self.roles
        row = self.route_step(project)
        return frozenset({row.role}) if row else frozenset()

    def allows(self, project: Project, user) -> bool:
        """The user holds a role of the step here (and wrote the project,
        where the step is the author's)."""
        if not roles_of(user) & self.roles_for(project):
            return False
        return self.guard != "author" or project.created_by_id == user.pk

    def applies_to(self, project: Project) -> bool:
        if project.status not in self.sources:
            return False
        if self.routed and self.route_step(project) is None:
            return False
        if self.guard == "pending_adjustment":
            return project.adjustments.filter(status="pending").exists()
        if self.guard == "no_pending_adjustment":
            return not project.adjustments.filter(status="pending").exists()
        return True


STAFF = frozenset({Role.STAFF})
REVIEWER = frozenset({Role.REVIEWER})
S = Status

LIFECYCLE: tuple[Step, ...] = (
    Step(
        "submit", _("Submit"), (S.DRAFT,), S.SUBMITTED, STAFF,
        form="SubmitForm", service="project_submit",
    ),
    # The author takes a submitted project back before the Sở receives it.
    Step(
        "withdraw", _("Withdraw"), (S.SUBMITTED,), S.DRAFT, STAFF,
        guard="author", style="secondary",
        form="WithdrawForm", service="project_withdraw",
    ),
    # Any level sends it back to the author: the timeline names the level.
    Step(
        "return", _("Return for changes"), REVIEW_STATUSES, S.RETURNED, REVIEWER,
        needs=("comment",), style="warning",
        form="ReturnForm", service="project_return",
    ),
    Step(
        "resubmit", _("Resubmit"), (S.RETURNED,), S.SUBMITTED, STAFF,
        form="ResubmitForm", service="project_resubmit",
    ),
    # Local route: the Sở receives the dossier and finds it complete …
    Step(
        "receive", _("Receive (dossier complete)"), (S.SUBMITTED,), S.RECEIVED,
        REVIEWER, needs=("comment",), style="success",
        form="ReceiveForm", service="project_receive",
    ),
    # … the appraisal council scores it on its own pages (appraisal app),
    # whose closing records the result here …
    Step(
        "council", _("Record the council's conclusion"), (S.RECEIVED,), S.SCORED,
        REVIEWER, style="success", page="appraisal:project",
        service="project_record_council",
    ),
    # … the Sở gives its appraisal opinion …
    Step(
        "appraise", _("Record the Sở's appraisal"), (S.SCORED,), S.APPRAISED,
        REVIEWER, needs=("opinion",), style="success",
        form="AppraiseForm", service="project_appraise",
    ),
    # … and the route's authority decides (UBND tỉnh, or the Sở director).
    Step(
        "approve", _("Record the approval decision"), (S.APPRAISED,), S.APPROVED,
        REVIEWER, needs=("decision_no", "decision_date", "authority", "approved"),
        style="success", form="ApproveForm", service="project_approve",
    ),
    # National route: the Sở proposes it to the ministry (văn bản đề xuất) …
    Step(
        "propose", _("Propose to the ministry"), (S.SUBMITTED,), S.PROPOSED,
        REVIEWER, needs=("proposal_no", "proposal_date"), style="success",
        form="ProposeForm", service="project_propose",
    ),
    # … the ministry appraises (recorded by the Sở on its behalf) …
    Step(
        "appraise_ministry", _("Record the ministry's appraisal"), (S.PROPOSED,),
        S.APPRAISED, REVIEWER, needs=("opinion",), style="success",
        form="AppraiseForm", service="project_appraise_ministry",
    ),
    # … and decides (the national plan).
    Step(
        "record_decision", _("Record the ministry's decision"), (S.APPRAISED,),
        S.APPROVED, REVIEWER,
        needs=("decision_no", "decision_date", "authority", "approved"),
        style="success", form="ApproveForm", service="project_record_decision",
    ),
    # Refused at any level before the decision (the council not recommending
    # it, the Sở not proposing it, the authority not approving it).
    Step(
        "reject", _("Reject"), REVIEW_STATUSES, S.REJECTED, REVIEWER,
        needs=("reason",), style="danger",
        form="RejectForm", service="project_reject",
    ),
    Step(
        "start", _("Start (contract signed)"), (S.APPROVED,), S.IN_PROGRESS, STAFF,
        needs=("contract_no", "contract_date"),
        form="StartForm", service="project_start",
    ),
    Step(
        "request_adjustment", _("Request an adjustment"), (S.IN_PROGRESS,),
        S.IN_PROGRESS, STAFF, needs=("reason", "changes"),
        guard="no_pending_adjustment", style="secondary",
        form="RequestAdjustmentForm", service="project_request_adjustment",
    ),
    Step(
        "decide_adjustment", _("Decide on the adjustment"), (S.IN_PROGRESS,),
        S.IN_PROGRESS, REVIEWER,
        # Approving needs the adjustment decision: number, date, authority.
        needs=("approve", "comment", "decision_no", "decision_date", "authority"),
        guard="pending_adjustment", style="secondary",
        form="DecideAdjustmentForm", service="project_decide_adjustment",
    ),
    Step(
        "accept", _("Record acceptance"), (S.IN_PROGRESS,), S.ACCEPTED, STAFF,
        needs=("acceptance_date", "minutes_no"), style="success",
        form="AcceptForm", service="project_accept",
    ),
    Step(
        "settle", _("Record settlement"), (S.ACCEPTED,), S.SETTLED, STAFF,
        needs=("settled_on", "settled"), style="success",
        form="SettleForm", service="project_settle",
    ),
    # Staff may drop their own draft; once the Sở has it, only a reviewer may.
    Step(
        "cancel", _("Cancel the project"), (S.DRAFT,), S.CANCELLED, STAFF,
        needs=("reason",), style="danger",
        form="CancelForm", service="project_cancel",
    ),
    # Before approval the reason is enough; an approved or running project is
    # cancelled by a decision (number, date, authority). An accepted or
    # settled project is no longer cancelled: its money is being closed.
    Step(
        "cancel", _("Cancel the project"),
        (S.SUBMITTED, S.RETURNED, S.RECEIVED, S.SCORED, S.PROPOSED, S.APPRAISED,
         S.APPROVED, S.IN_PROGRESS),
        S.CANCELLED, REVIEWER,
        needs=("reason", "decision_no", "decision_date", "authority"),
        style="danger", form="CancelForm", service="project_cancel",
    ),
    # Corrections of what was recorded, by whoever records it: the state
    # stays, the rules are checked again, the timeline keeps old and new.
    Step(
        "correct_decision", _("Correct the approval decision"),
        (S.APPROVED, S.IN_PROGRESS, S.ACCEPTED, S.SETTLED), None, REVIEWER,
        needs=("reason", "changes"), style="secondary",
        corrects=("decision_no", "decision_date"),
        form="CorrectForm", service="project_correct",
    ),
    Step(
        "correct_contract", _("Correct the contract"),
        (S.IN_PROGRESS, S.ACCEPTED, S.SETTLED), None, STAFF,
        needs=("reason", "changes"), style="secondary",
        corrects=("contract_no", "contract_date"),
        form="CorrectForm", service="project_correct",
    ),
    Step(
        "correct_acceptance", _("Correct the acceptance"),
        (S.ACCEPTED, S.SETTLED), None, STAFF,
        needs=("reason", "changes"), style="secondary",
        corrects=("acceptance_minutes_no", "acceptance_date"),
        form="CorrectForm", service="project_correct",
    ),
    Step(
        "correct_settlement", _("Correct the settlement"), (S.SETTLED,), None, STAFF,
        needs=("reason", "changes"), style="secondary", corrects=("settled_on",),
        form="CorrectForm", service="project_correct",
    ),
)  # fmt: skip

ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(step.action for step in LIFECYCLE))


def action_label(action: str) -> str:
    for step in LIFECYCLE:
        if step.action == action:
            return str(step.label)
    return action


def steps_for(action: str) -> list[Step]:
    return [step for step in LIFECYCLE if step.action == action]


def check(action: str, project: Project, user) -> Step:
    """The step the user may take now, or Refused saying why not."""
    candidates = steps_for(action)
    if not candidates:
        raise Refused(gettext("Unknown action."))
    in_state = [s for s in candidates if s.applies_to(project)]
    if not in_state:
        raise Refused(
            gettext("“%(action)s” is not possible for a project in state “%(status)s”.")
            % {"action": candidates[0].label, "status": project.get_status_display()}
        )
    for step in in_state:
        if step.allows(project, user):
            return step
    raise Refused(
        gettext("Your role may not do “%(action)s” on this project.")
        % {"action": candidates[0].label}
    )


def available(project: Project, user) -> list[Step]:
    """Steps this user may take on this project now (the detail page buttons)."""
    return [
        step
        for step in LIFECYCLE
        if project.status in step.sources
        if step.applies_to(project) and step.allows(project, user)
    ]


# Steps taken at the level of the body the project waits with: the timeline
# names that body (a return from the ministry's appraisal: Bộ Công Thương).
AT_LEVEL = ("return", "reject")


def level(project: Project) -> str:
    """The body the project waits with in its state: the acting body of its
    route's review step open now; "" outside the review."""
    for step in LIFECYCLE:
        if step.routed and step.applies_to(project):
            return step.route_step(project).body.name
    return ""


def next_steps(project: Project) -> list[tuple[str, list[str]]]:
    """Who must act next and what they may do (cancellation aside), so that
    everyone sees where a project waits: [(role label, [action labels])]."""
    waiting: dict[str, list[str]] = {}
    for step in LIFECYCLE:
        if step.action in ("cancel", "withdraw") or step.corrects:
            continue
        if not step.applies_to(project):
            continue
        for role in sorted(step.roles_for(project)):
            waiting.setdefault(role, []).append(str(step.label))
    return [(str(Role(role).label), labels) for role, labels in waiting.items()]
