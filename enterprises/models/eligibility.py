"""Kinds of establishment and the dated eligibility rules that say which may be
supported."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..money import MoneyField


class EstablishmentKind(models.TextChoices):
    # The kinds of Decree 45/2012/NĐ-CP art. 1 cl. 2 a (see docs/rules.md).
    SMALL_ENTERPRISE = "enterprise", _("Small or medium-sized enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    COOPERATIVE_UNION = "coop_union", _("Union of cooperatives")
    COOPERATIVE_GROUP = "coop_group", _("Cooperative group")
    HOUSEHOLD = "household", _("Household business")
    OTHER = "other", _("Other")


class LocationPolicy(models.TextChoices):
    """Where a decree version allows beneficiaries; the rule row picks one."""

    DECREE_45_2012 = (
        "decree_45_2012",
        _("Decree 45/2012: districts, towns, communes and wards outside type-1 cities"),
    )
    DECREE_235_2025 = (
        "decree_235_2025",
        _(
            "Decree 235/2025: communes, wards and special zones; in centrally-run "
            "cities only communes, special zones and wards inside craft villages"
        ),
    )


class EligibilityRuleQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> EligibilityRuleQuerySet:
        return self.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day
        )


class EligibilityRule(models.Model):
    """Who may receive khuyến công support, as a dated version of the decree.

    An amendment is a new row: an establishment is judged by the row in force
    on the date that matters (submission, decision), and the dossier cites it.
    """

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    kinds = models.CharField(
        _("eligible kinds"),
        max_length=200,
        help_text=_("Codes of the eligible kinds of establishment, comma-separated."),
    )
    location = models.CharField(
        _("where"), max_length=30, choices=LocationPolicy.choices
    )
    max_workers = models.PositiveIntegerField(
        _("largest workforce of an enterprise"),
        null=True,
        blank=True,
        help_text=_("Size limit of a small or medium-sized enterprise; empty: none."),
    )
    max_yearly_revenue = MoneyField(
        _("largest yearly revenue of an enterprise (đồng)"), null=True, blank=True
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    verified = models.BooleanField(
        _("verified against the text"),
        default=False,
        help_text=_("Untick while a figure or date has not been read in the text."),
    )
    note = models.TextField(_("note"), blank=True)

    objects = EligibilityRuleQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="eligibility_rule_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.legal_basis or gettext("Eligibility rule from %(day)s") % {
            "day": self.valid_from
        }

    @classmethod
    def in_force(cls, day: dt.date) -> EligibilityRule | None:
        return cls.objects.valid_on(day).order_by("-valid_from").first()

    @property
    def kind_codes(self) -> set[str]:
        return {code.strip() for code in self.kinds.split(",") if code.strip()}

    @property
    def citation(self) -> str:
        """The basis as printed, flagged while it is not verified."""
        basis = self.legal_basis or gettext("no legal basis entered yet")
        if not self.verified:
            basis = gettext("%(basis)s, not verified") % {"basis": basis}
        return basis


# Two names in one commune this alike (on their folded forms) are probably the
# same establishment typed twice.
