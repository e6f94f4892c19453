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

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enterprises.roles import Role, roles_of

from .models import Project, Refused, Status

FORMS = "projects.forms.projects"
SERVICES = "projects.services"

# Which approval route a step belongs to; None: both.
NATIONAL = "national"
LOCAL = "local"


@dataclass(frozen=True)
class Step:
    action: str
    label: Promise
    sources: tuple[str, ...]
    # None: the step keeps the project's state (a correction).
    target: str | None
    roles: frozenset[str]
    # Inputs the action needs besides the actor (documented here, enforced by
    # the service's keyword-only signature and the action form).
    needs: tuple[str, ...] = ()
    route: str | None = None
    # Extra precondition on the project beyond its state (e.g. an open
    # adjustment request); None: none.
    guard: str | None = None
    style: str = "primary"
    # A correction ("Sửa thông tin"): the recorded fields it may change.
    corrects: tuple[str, ...] = ()
    # The action's form class and service function, by name.
    form: str = ""
    service: str = ""

    @property
    def form_class(self) -> type:
        return import_string(f"{FORMS}.{self.form}")

    def make_form(self, project: Project, *args: Any, **kwargs: Any) -> Any:
        """The step's form for `project` (a correction's lists its fields)."""
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

    def applies_to(self, project: Project) -> bool:
        if project.status not in self.sources:
            return False
        if self.route == NATIONAL and not project.is_national:
            return False
        if self.route == LOCAL and project.is_national:
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
    Step(
        "return", _("Return for changes"), (S.SUBMITTED,), S.RETURNED, REVIEWER,
        needs=("comment",), style="warning",
        form="ReturnForm", service="project_return",
    ),
    Step(
        "resubmit", _("Resubmit"), (S.RETURNED,), S.SUBMITTED, STAFF,
        form="ResubmitForm", service="project_resubmit",
    ),
    Step(
        "approve", _("Approve"), (S.SUBMITTED,), S.APPROVED, REVIEWER,
        needs=("decision_no", "decision_date", "approved"), route=LOCAL,
        style="success", form="ApproveForm", service="project_approve",
    ),
    Step(
        "appraise", _("Record appraisal"), (S.SUBMITTED,), S.APPRAISED, REVIEWER,
        needs=("opinion",), route=NATIONAL, style="success",
        form="AppraiseForm", service="project_appraise",
    ),
    Step(
        "record_decision", _("Record the ministry's decision"), (S.APPRAISED,),
        S.APPROVED, REVIEWER,
        needs=("decision_no", "decision_date", "approved"), route=NATIONAL,
        style="success", form="ApproveForm", service="project_record_decision",
    ),
    Step(
        "reject", _("Reject"), (S.SUBMITTED, S.APPRAISED), S.REJECTED, REVIEWER,
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
        S.IN_PROGRESS, REVIEWER, needs=("approve", "comment"),
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
    Step(
        "cancel", _("Cancel the project"),
        (S.SUBMITTED, S.RETURNED, S.APPRAISED, S.APPROVED, S.IN_PROGRESS, S.ACCEPTED),
        S.CANCELLED, REVIEWER, needs=("reason",), style="danger",
        form="CancelForm", service="project_cancel",
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
    held = roles_of(user)
    for step in in_state:
        if held & step.roles:
            return step
    raise Refused(
        gettext("Your role may not do “%(action)s” on this project.")
        % {"action": candidates[0].label}
    )


def available(project: Project, user) -> list[Step]:
    """Steps this user may take on this project now (the detail page buttons)."""
    held = roles_of(user)
    return [
        step
        for step in LIFECYCLE
        if held & step.roles and project.status in step.sources
        if step.applies_to(project)
    ]


def next_steps(project: Project) -> list[tuple[str, list[str]]]:
    """Who must act next and what they may do (cancellation aside), so that
    everyone sees where a project waits: [(role label, [action labels])]."""
    waiting: dict[str, list[str]] = {}
    for step in LIFECYCLE:
        if step.action == "cancel" or step.corrects or not step.applies_to(project):
            continue
        for role in sorted(step.roles):
            waiting.setdefault(role, []).append(str(step.label))
    return [(str(Role(role).label), labels) for role, labels in waiting.items()]
