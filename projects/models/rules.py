"""Activity contents and support rules: regulations kept as dated data."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enterprises.money import MoneyField

from .choices import _money


class ActivityContent(models.Model):
    """A content of industrial extension (nội dung khuyến công), Decree 45/2012."""

    code = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=255, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Data, not code: DOMAIN.md gives 70 % for training/consulting-type work and
    # 30 % otherwise, and staff must be able to follow a new regulation.
    max_advance_share = models.DecimalField(
        _("largest advance (percent of approved support)"),
        max_digits=5,
        decimal_places=2,
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("activity content")
        verbose_name_plural = _("activity contents")

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class SupportRuleQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> SupportRuleQuerySet:
        return self.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day
        )


class SupportRule(models.Model):
    """A support cap from the regulations, kept as data with validity dates.

    A new circular is a new row: a project is checked against the rule of its
    content and variant that is valid on the day it is submitted.
    """

    content = models.ForeignKey(
        ActivityContent,
        on_delete=models.PROTECT,
        related_name="rules",
        verbose_name=_("activity content"),
    )
    variant = models.CharField(
        _("variant"),
        max_length=100,
        blank=True,
        help_text=_(
            "Empty for the content's general rule; otherwise a kind of support "
            "within the content, e.g. a whole production line."
        ),
    )
    share_cap = models.DecimalField(
        _("share cap (percent of total cost)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    absolute_cap = MoneyField(_("absolute cap (đồng)"), null=True, blank=True)
    cap_per_beneficiary = models.BooleanField(
        _("cap per beneficiary"),
        default=False,
        help_text=_("The absolute cap applies to each beneficiary establishment."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    objects = SupportRuleQuerySet.as_manager()

    class Meta:
        ordering = ["content__code", "variant", "-valid_from"]
        verbose_name = _("support rule")
        verbose_name_plural = _("support rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="support_rule_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(share_cap__isnull=True)
                | Q(share_cap__gte=0, share_cap__lte=100),
                name="support_rule_share_is_percentage",
            ),
            models.CheckConstraint(
                condition=Q(absolute_cap__isnull=True) | Q(absolute_cap__gte=0),
                name="support_rule_cap_not_negative",
            ),
        ]

    def __str__(self) -> str:
        label = (
            f"{self.content.name} — {self.variant}"
            if self.variant
            else str(self.content.name)
        )
        return f"{label} ({self.legal_basis})"

    def violations(
        self, *, support: int, total_cost: int, beneficiaries: int
    ) -> list[str]:
        """Why `support` breaks this rule, naming its legal basis; [] if it does not."""
        problems = []
        # Compare in integers/Decimal: 50 % of an odd total must not round up.
        if self.share_cap is not None and support * 100 > total_cost * self.share_cap:
            problems.append(
                gettext(
                    "Support of %(support)s exceeds %(share)s%% of the total cost "
                    "(%(total)s) allowed by %(basis)s."
                )
                % {
                    "support": _money(support),
                    "share": number_format(self.share_cap.normalize()),
                    "total": _money(total_cost),
                    "basis": self.legal_basis,
                }
            )
        if self.absolute_cap is not None:
            count = max(beneficiaries, 1) if self.cap_per_beneficiary else 1
            cap = self.absolute_cap * count
            if support > cap:
                problems.append(
                    gettext(
                        "Support of %(support)s exceeds the cap of %(cap)s allowed "
                        "by %(basis)s."
                    )
                    % {
                        "support": _money(support),
                        "cap": _money(cap),
                        "basis": self.legal_basis,
                    }
                )
        return problems
