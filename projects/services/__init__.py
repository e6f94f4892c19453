"""Project workflows, one module per stage, as `<entity>_<action>` functions:

- frame: the transition frame every lifecycle step runs through (`_transition`),
  and the listeners told after each commit;
- drafting: writing a draft, the checks at submission, submitting,
  withdrawing, deleting a draft never submitted, documents;
- decisions: the review steps of both routes (receive, appraise, approve;
  propose, the ministry's appraisal and decision), return and reject at any
  level, and the Decision rows they write;
- running: start, adjustments, acceptance, settlement, cancellation, and
  corrections of recorded numbers and dates;
- money: the disbursements written at settlement and cancellation, and
  carry-forward decisions.

Other modules call them through this package (`services.project_submit(...)`);
each lifecycle step names its service (lifecycle.LIFECYCLE, `Step.run`).
"""

from .decisions import (
    approval_decision_follows,
    council_comment,
    project_appraise,
    project_appraise_ministry,
    project_approve,
    project_propose,
    project_receive,
    project_record_council,
    project_record_decision,
    project_reject,
    project_return,
)
from .drafting import (
    CLOSED_STATUSES,
    deletable,
    project_attach,
    project_delete,
    project_resubmit,
    project_save_draft,
    project_submit,
    project_withdraw,
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
    "approval_decision_follows",
    "carry_forward_problems",
    "carry_forward_record",
    "council_comment",
    "deletable",
    "project_accept",
    "project_appraise",
    "project_appraise_ministry",
    "project_approve",
    "project_attach",
    "project_cancel",
    "project_correct",
    "project_decide_adjustment",
    "project_delete",
    "project_propose",
    "project_receive",
    "project_record_council",
    "project_record_decision",
    "project_reject",
    "project_request_adjustment",
    "project_resubmit",
    "project_return",
    "project_save_draft",
    "project_settle",
    "project_start",
    "project_submit",
    "project_withdraw",
    "submission_check",
    "submission_problems",
]
