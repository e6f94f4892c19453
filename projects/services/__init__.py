"""Project workflows, one module per stage, as `<entity>_<action>` functions:

- frame: the transition frame every lifecycle step runs through (`_transition`),
  and the listeners told after each commit;
- drafting: writing a draft, the checks at submission, submitting, documents;
- decisions: the Sở's decisions (return, reject, appraise, approve, record the
  ministry's decision);
- running: start, adjustments, acceptance, settlement, cancellation, and
  corrections of recorded numbers and dates;
- money: the disbursements written at settlement and cancellation, and
  carry-forward decisions.

Other modules call them through this package (`services.project_submit(...)`);
each lifecycle step names its service (lifecycle.LIFECYCLE, `Step.run`).
"""

from .decisions import (
    project_appraise,
    project_approve,
    project_record_decision,
    project_reject,
    project_return,
)
from .drafting import (
    CLOSED_STATUSES,
    project_attach,
    project_resubmit,
    project_save_draft,
    project_submit,
    submission_check,
    submission_problems,
)
from .frame import TRANSITION_LISTENERS
from .money import carry_forward_problems, carry_forward_record
from .running import (
    ADJUSTABLE_FIELDS,
    project_accept,
    project_cancel,
    project_correct,
    project_decide_adjustment,
    project_request_adjustment,
    project_settle,
    project_start,
)

__all__ = [
    "ADJUSTABLE_FIELDS",
    "CLOSED_STATUSES",
    "TRANSITION_LISTENERS",
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
