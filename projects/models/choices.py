"""The projects app's vocabulary: funding sources, statuses and the status
groups the rules and pages share."""

from __future__ import annotations

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


def _money(amount: int) -> str:
    return f"{number_format(amount, force_grouping=True)} đ"


class Source(models.TextChoices):
    """Where support money comes from: the one vocabulary of the portal.

    Stored (and put in report parameters and URLs) as ASCII; `short` is the
    code as people write it, with the Đ — a project code's prefix and the
    narrow columns' text; the label is the programme's full name.
    """

    NATIONAL = "KCQG", _("National industrial extension (KCQG)")
    LOCAL = "KCDP", _("Local industrial extension (KCĐP)")

    @property
    def short(self) -> str:
        return "KCĐP" if self is Source.LOCAL else "KCQG"

    @classmethod
    def parse(cls, text: str) -> Source:
        """A source as typed in a URL, a form or on the command line, in any
        case, with or without the Đ ("kcdp", "KCĐP"); ValueError otherwise."""
        folded = (text or "").strip().upper().replace("Đ", "D")
        if folded not in cls.values:
            raise ValueError(f"unknown funding source: {text!r}")
        return cls(folded)


def source_short(value: str) -> str:
    """The written code of a stored source value ("KCDP" -> "KCĐP")."""
    return Source(value).short if value in Source.values else value


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    # Local route: the Sở has received the dossier and found it complete.
    RECEIVED = "received", _("Received, dossier complete")
    # Local route: the appraisal council has scored it and concluded.
    SCORED = "scored", _("Council concluded")
    # National route: the Sở has proposed it to the ministry.
    PROPOSED = "proposed", _("Proposed to the ministry")
    APPRAISED = "appraised", _("Appraised")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTED = "accepted", _("Accepted")
    SETTLED = "settled", _("Settled")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses in which approved support is committed against a plan's allocation.
COMMITTED_STATUSES = (
    Status.APPROVED,
    Status.IN_PROGRESS,
    Status.ACCEPTED,
    Status.SETTLED,
)
# Statuses in which the request is with the Sở or the ministry, waiting for
# a decision (the review steps of both routes).
REVIEW_STATUSES = (
    Status.SUBMITTED,
    Status.RECEIVED,
    Status.SCORED,
    Status.PROPOSED,
    Status.APPRAISED,
)
# Statuses in which the project is being written and its parts may not add up yet.
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
# Projects that have (or had) execution and money records.
EXECUTION_STATUSES = (*COMMITTED_STATUSES, Status.CANCELLED)
# Running projects whose end date can pass.
RUNNING_STATUSES = (Status.APPROVED, Status.IN_PROGRESS)
# Fields only the lifecycle services write; draft edits never touch them.
LIFECYCLE_FIELDS = (
    "code",
    "status",
    "submitted_on",
    "route_id",
    "appraisal_opinion",
    "decision_no",
    "decision_date",
    "rejection_reason",
    "contract_no",
    "contract_date",
    "acceptance_date",
    "acceptance_minutes_no",
    "settled_on",
    "settlement_due_on",
    "cancellation_reason",
    "created_by_id",
)
# Staff are reminded of running projects ending within this many days.
TODO_DEADLINE_DAYS = 30


class DisbursementKind(models.TextChoices):
    ADVANCE = "advance", _("Advance")
    PAYMENT = "payment", _("Payment")
    SETTLEMENT = "settlement", _("Settlement payment")
    REFUND = "refund", _("Refund")


class DisbursementState(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    DUE = "due", _("Refund due")
    # Entered by mistake and voided: kept, counted nowhere.
    VOIDED = "voided", _("Voided")


# One letter per status, fixed (the stored strings depend on it): the
# statuses at year end (year_ends.py) and the year totals (year_totals.py).
STATUS_CODES = {
    Status.DRAFT: "d",
    Status.SUBMITTED: "s",
    Status.RETURNED: "t",
    Status.RECEIVED: "v",
    Status.SCORED: "c",
    Status.PROPOSED: "p",
    Status.APPRAISED: "a",
    Status.APPROVED: "o",
    Status.REJECTED: "r",
    Status.IN_PROGRESS: "i",
    Status.ACCEPTED: "e",
    Status.SETTLED: "q",
    Status.CANCELLED: "x",
}
