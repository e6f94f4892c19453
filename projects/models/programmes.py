"""Programmes and their yearly plans with the allocated budget."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enterprises.money import MoneyField

from .choices import Source, _money, source_short
from .dates import decision_day_problems
from .measures import plans_with_money


def _refuse_future_decision(day: dt.date | None) -> None:
    """A programme's or plan's decision is not dated after today (dates.py)."""
    problems = decision_day_problems(day, label=gettext("The decision date"))
    if problems:
        raise ValidationError({"decision_date": [p.message for p in problems]})


class Programme(models.Model):
    """A multi-year programme (chương trình khuyến công) of one source."""

    source = models.CharField(_("source"), max_length=4, choices=Source.choices)
    name = models.CharField(_("name"), max_length=255)
    start_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(2000)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(2000)]
    )
    decision_no = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    class Meta:
        ordering = ["-start_year", "source"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="programme_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_year}–{self.end_year})"

    def clean(self) -> None:
        _refuse_future_decision(self.decision_date)


class PlanQuerySet(models.QuerySet):
    def with_money(self) -> PlanQuerySet:
        """Each plan with the sums of its funding rows and what remains on it
        (the money read-model, projects.models.measures.plans_with_money)."""
        return plans_with_money(self)


class Plan(models.Model):
    """A programme's plan for one year (kế hoạch) with its allocated budget."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("programme"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000)]
    )
    allocated = MoneyField(_("allocated budget (đồng)"))
    decision_no = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "programme__source"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year"], name="plan_one_per_programme_year"
            ),
            models.CheckConstraint(
                condition=Q(allocated__gte=0), name="plan_allocated_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.get_source_display()} {self.year}"

    @property
    def source(self) -> str:
        return self.programme.source

    @property
    def source_short(self) -> str:
        return source_short(self.programme.source)

    def clean(self) -> None:
        """The allocation never goes below the support already committed on
        the plan (the read-model's "committed": approved while a project runs,
        the settled amount once settled): that money
        was promised under a decision and is not released by editing a figure.

        In a transaction (the admin's change page is one), the plan row is
        locked first, as approvals lock it, so no approval slips in between the
        check and the save.
        """
        super().clean()
        _refuse_future_decision(self.decision_date)
        if self.pk is None or self.allocated is None:
            return
        plans = Plan.objects.filter(pk=self.pk)
        if transaction.get_connection().in_atomic_block:
            list(plans.select_for_update().values_list("pk"))
        committed = plans.with_money().values_list("committed_sum", flat=True)
        committed = next(iter(committed), 0)
        if self.allocated < committed:
            raise ValidationError(
                {
                    "allocated": gettext(
                        "The allocation cannot be lower than the support already "
                        "approved from this plan: %(committed)s. Reduce or cancel "
                        "those approvals by decision first."
                    )
                    % {"committed": _money(committed)}
                }
            )
