"""Closing deadlines (issue 13, point 7): when a settlement file is due.

Dated rules an administrator edits, each with its legal basis: "within N days
of the acceptance" and, for a source, "by a day of the year after the plan's
year" (22 January for national money in current practice). A project's
settlement is due on the earliest date its rules give; the rules that apply
are those valid on its acceptance date. Shipped rows are marked unverified
(chưa xác minh) until an administrator checks them against the text.
"""

from __future__ import annotations

__all__ = ["DeadlineKind", "SettlementDeadline"]

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import Source, Status


class DeadlineKind(models.TextChoices):
    AFTER_ACCEPTANCE = "after_acceptance", _("A number of days after acceptance")
    NEXT_YEAR = "next_year", _("A day of the year after the plan's year")


class SettlementDeadlineQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> SettlementDeadlineQuerySet:
        return self.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day
        )


class SettlementDeadline(models.Model):
    """A closing deadline for the settlement file, kept as dated data."""

    kind = models.CharField(_("kind"), max_length=20, choices=DeadlineKind.choices)
    source = models.CharField(
        _("source"),
        max_length=4,
        choices=Source.choices,
        blank=True,
        help_text=_("Empty: projects of every source."),
    )
    days = models.PositiveSmallIntegerField(
        _("days after acceptance"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    month = models.PositiveSmallIntegerField(
        _("month of the next year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    day = models.PositiveSmallIntegerField(
        _("day of that month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    verified = models.BooleanField(
        _("verified against the text"),
        default=False,
        help_text=_("Unticked: chưa xác minh — check the figure against the text."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    objects = SettlementDeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "source", "-valid_from"]
        verbose_name = _("settlement deadline")
        verbose_name_plural = _("settlement deadlines")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="settlement_deadline_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(kind="after_acceptance", days__isnull=False)
                | Q(kind="next_year", month__isnull=False, day__isnull=False),
                name="settlement_deadline_has_its_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.legal_basis})"

    def clean(self) -> None:
        if self.kind == DeadlineKind.AFTER_ACCEPTANCE and not self.days:
            raise ValidationError({"days": gettext("Give the number of days.")})
        if self.kind == DeadlineKind.NEXT_YEAR:
            try:
                dt.date(2001, self.month or 0, self.day or 0)
            except ValueError:
                raise ValidationError(
                    {"day": gettext("Give a day that exists in that month.")}
                ) from None


def rule_due_on(rule, *, accepted: dt.date, years: dict[str, int]) -> dt.date | None:
    """The day `rule` makes a settlement due for a project accepted on
    `accepted` whose plans are of `years` (by source); None when the rule does
    not apply to it. Plain attribute reads, so that the data migration runs
    it on historical rows too."""
    if rule.valid_from > accepted or (rule.valid_to and rule.valid_to < accepted):
        return None
    if rule.source and rule.source not in years:
        return None
    if rule.kind == DeadlineKind.AFTER_ACCEPTANCE:
        return accepted + dt.timedelta(days=rule.days or 0)
    year = years.get(rule.source) if rule.source else min(years.values(), default=None)
    if year is None:
        return None
    return dt.date(year + 1, rule.month, rule.day)


def settlement_due_on(project, rules: Iterable | None = None) -> dt.date | None:
    """When the project's settlement file is due: the earliest day its rules
    give, from the rules valid on its acceptance date; None before acceptance
    or when no rule applies."""
    accepted = project.acceptance_date
    if not accepted:
        return None
    if rules is None:
        rules = SettlementDeadline.objects.valid_on(accepted)
    years = {f.source: f.plan.year for f in project.fundings.all()}
    days = [rule_due_on(rule, accepted=accepted, years=years) for rule in rules]
    return min((d for d in days if d), default=None)


def settlement_due_refresh(apps: Any = None) -> int:
    """Recompute the stored due date of every accepted project after the rules
    changed (an administrator's edit, the data migration); returns how many
    changed."""
    registry = apps or global_apps
    project_model = registry.get_model("projects", "Project")
    rules = list(registry.get_model("projects", "SettlementDeadline").objects.all())
    changed = []
    accepted = project_model.objects.filter(status=Status.ACCEPTED)
    for project in accepted.prefetch_related("fundings__plan"):
        due = settlement_due_on(project, rules)
        if due != project.settlement_due_on:
            project.settlement_due_on = due
            changed.append(project)
    project_model.objects.bulk_update(changed, ["settlement_due_on"], batch_size=500)
    return len(changed)
