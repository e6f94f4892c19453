"""Carry-forward decisions (chuyển nguồn): a plan's money that may be paid after
its budget year (read by Disbursement.check_money)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.money import MoneyField

from .choices import _money
from .programmes import Plan
from .projects import Project


class CarryForward(models.Model):
    """A carry-forward decision (chuyển nguồn): money of a plan that may be
    paid after the plan's budget year, for one project or for the plan's
    projects that have none of their own."""

    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        related_name="carry_forwards",
        verbose_name=_("plan"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carry_forwards",
        verbose_name=_("project"),
        help_text=_("Empty when the decision carries the plan's money forward."),
    )
    decision_no = models.CharField(_("decision number"), max_length=50)
    decision_date = models.DateField(_("decision date"))
    amount = MoneyField(_("amount carried forward (đồng)"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "decision_date", "pk"]
        verbose_name = _("carry-forward")
        verbose_name_plural = _("carry-forwards")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="carry_forward_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.decision_no} · {_money(self.amount)}"
