"""Decisions and the bodies that issue them.

Every decision in a project's life — approval, adjustment, cancellation,
carry-forward, settlement — is a document issued by an authority: the
provincial People's Committee (UBND tỉnh), the Sở Công Thương where the
province delegates, or the Ministry of Industry and Trade (Bộ Công Thương) for
national projects. A `Decision` records the number, the date, the issuing
authority as it was named when the decision was recorded (a later renaming
does not rewrite old decisions) and the signer's title.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .choices import Status, source_short
from .projects import Project
from .records import Transition

# From approval on, cancelling a project takes a decision (quyết định hủy);
# before it, the Sở's reason is enough.
CANCELLED_BY_DECISION = (Status.APPROVED, Status.IN_PROGRESS)


class AuthorityLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial People's Committee")
    DEPARTMENT = "department", _("Department of Industry and Trade")
    MINISTRY = "ministry", _("Ministry of Industry and Trade")


class IssuingAuthority(models.Model):
    """A body that issues decisions (reference data, edited in the admin)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60)
    level = models.CharField(_("level"), max_length=12, choices=AuthorityLevel.choices)
    signer_title = models.CharField(
        _("signer's title"),
        max_length=120,
        help_text=_("The title printed above the signature, e.g. “CHỦ TỊCH”."),
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("issuing authority")
        verbose_name_plural = _("issuing authorities")

    def __str__(self) -> str:
        return self.name


class DecisionKind(models.TextChoices):
    APPROVAL = "approval", _("Approval")
    ADJUSTMENT = "adjustment", _("Adjustment")
    CANCELLATION = "cancellation", _("Cancellation")
    CARRY_FORWARD = "carry_forward", _("Carry-forward")
    SETTLEMENT = "settlement", _("Settlement")


class Decision(models.Model):
    """One decision about a project, as the paper reads."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DecisionKind.choices)
    number = models.CharField(_("decision number"), max_length=50)
    issued_on = models.DateField(_("decision date"))
    authority = models.ForeignKey(
        IssuingAuthority,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("issuing authority"),
    )
    # As printed on the paper when it was recorded: renaming an authority
    # later does not rewrite the decisions it issued.
    authority_name = models.CharField(_("issued by"), max_length=200)
    signer_title = models.CharField(_("signer's title"), max_length=120)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    summary = models.TextField(_("content"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["issued_on", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            models.Index(fields=["project", "kind"], name="decision_project_kind"),
        ]

    def __str__(self) -> str:
        return _("Decision %(no)s of %(date)s (%(by)s)") % {
            "no": self.number,
            "date": date_format(self.issued_on, "SHORT_DATE_FORMAT"),
            "by": self.authority_name,
        }

    def save(self, *args, **kwargs) -> None:
        if not self.authority_name:
            self.authority_name = self.authority.name
        if not self.signer_title:
            self.signer_title = self.authority.signer_title
        super().save(*args, **kwargs)


def support_versions(project: Project) -> list[dict]:
    """Every version of the approved support, per source, oldest first: the
    funding rows' audited history (simple_history) where `approved` changed,
    each with the decision that set it — an adjustment's Decision (its id is
    the history row's change reason, "decision:<id>"), else the approval."""
    from .projects import ProjectFunding

    rows = (
        ProjectFunding.history.filter(project_id=project.pk, approved__isnull=False)
        .select_related("history_user")
        .order_by("source", "history_date", "history_id")
    )
    versions: list[dict] = []
    last: dict[str, int | None] = {}
    for row in rows:
        if last.get(row.source) == row.approved:
            continue
        last[row.source] = row.approved
        reason = row.history_change_reason or ""
        versions.append(
            {
                "source": row.source,
                "source_short": source_short(row.source),
                "approved": row.approved,
                "at": row.history_date,
                "by": row.history_user,
                "decision_id": (
                    int(reason.removeprefix("decision:"))
                    if reason.startswith("decision:")
                    else None
                ),
            }
        )
    if not versions:
        return versions
    decisions = Decision.objects.in_bulk(
        [v["decision_id"] for v in versions if v["decision_id"]]
    )
    approval = (
        project.decisions.filter(kind=DecisionKind.APPROVAL).order_by("pk").first()
    )
    for v in versions:
        v["decision"] = decisions.get(v["decision_id"]) or approval
        v["approval_no"] = project.decision_no
        v["approval_date"] = project.decision_date
    versions.sort(key=lambda v: (v["at"], v["source"]))
    return versions


# Decisions a lifecycle step writes are on the timeline in their step's
# comment; the others (a carry-forward, recorded on its plan) get a line of
# their own.
OUTSIDE_THE_STEPS = (DecisionKind.CARRY_FORWARD,)


@dataclass(frozen=True)
class DecisionLine:
    """A decision recorded outside the lifecycle's steps, as a line of the
    timeline (read like a Transition by the page and the dossier)."""

    decision: Decision
    from_status = to_status = body = ""

    @property
    def at(self):
        return self.decision.recorded_at

    @property
    def actor(self):
        return self.decision.recorded_by

    @property
    def action_label(self) -> str:
        kind = str(self.decision.get_kind_display()).lower()
        return capfirst(_("%(kind)s decision") % {"kind": kind})

    @property
    def comment(self) -> str:
        return "\n".join(filter(None, [str(self.decision), self.decision.summary]))


def timeline(
    project: Project, decisions: list[Decision]
) -> list[Transition | DecisionLine]:
    """The project's timeline: its steps in their order, with the decisions
    taken outside them (among `decisions`, the project's, read with who
    recorded them) placed by the time they were recorded."""
    steps = project.transitions.select_related("actor")
    others = sorted(
        (DecisionLine(d) for d in decisions if d.kind in OUTSIDE_THE_STEPS),
        key=lambda line: (line.at, line.decision.pk),
    )
    return list(heapq.merge(steps, others, key=lambda line: line.at))
