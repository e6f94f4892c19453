"""Project workflows, one module per stage, as `<entity>_<action>` functions:

- frame: the transition frame every lifecycle step runs through (`_transition`),
  and the listeners told after each commit;
- drafting: writing a draft, the checks at submission, submitting, documents;
- decisions: the Sở's decisions (return, reject, appraise, approve, record the
  ministry's decision);
- running: start, adjustments, acceptance, settlement, cancellation, and
  corrections of recorded numbers and dates;
- money: carry-forward decisions.

Other modules call them through this package (`services.project_submit(...)`).
"""

from collections.abc import Callable
from functools import partial

from .. import lifecycle
from ..models import Project
from .decisions import (
    project_appraise,
    project_approve,
    project_record_decision,
    project_reject,
    project_return,
)
from .drafting import (
    ATTACHING_ROLES,
    CLOSED_STATUSES,
    project_attach,
    project_resubmit,
    project_save_draft,
    project_submit,
    submission_check,
    submission_problems,
)
from .frame import TRANSITION_LISTENERS, TransitionError
from .money import carry_forward_problems, carry_forward_record
from .running import (
    ADJUSTABLE_FIELDS,
    acceptance_store,
    project_accept,
    project_cancel,
    project_correct,
    project_decide_adjustment,
    project_request_adjustment,
    project_settle,
    project_start,
)

# Action name -> service, for the one view that runs lifecycle forms.
SERVICES: dict[str, Callable[..., Project]] = {
    "submit": project_submit,
    "return": project_return,
    "resubmit": project_resubmit,
    "approve": project_approve,
    "appraise": project_appraise,
    "record_decision": project_record_decision,
    "reject": project_reject,
    "start": project_start,
    "request_adjustment": project_request_adjustment,
    "decide_adjustment": project_decide_adjustment,
    "accept": project_accept,
    "settle": project_settle,
    "cancel": project_cancel,
    **{
        step.action: partial(project_correct, action=step.action)
        for step in lifecycle.LIFECYCLE
        if step.corrects
    },
}

__all__ = [
    "ADJUSTABLE_FIELDS",
    "ATTACHING_ROLES",
    "CLOSED_STATUSES",
    "SERVICES",
    "TRANSITION_LISTENERS",
    "TransitionError",
    "acceptance_store",
    "carry_forward_problems",
    "carry_forward_record",
    "project_accept",
    "project_appraise",
    "project_approve",
    "project_attach",
    "project_cancel",
    "project_correct",
    "project_decide_adjustment",
    "project_record_decision",
    "project_reject",
    "project_request_adjustment",
    "project_resubmit",
    "project_return",
    "project_save_draft",
    "project_settle",
    "project_start",
    "project_submit",
    "submission_check",
    "submission_problems",
]
