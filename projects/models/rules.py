"""Activity contents, support rules and the record of which rule a project
was held to: regulations kept as dated data (see docs/rules.md)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from enterprises.models import EstablishmentKind
from enterprises.money import MoneyField

from .choices import Source, source_short


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
    repeat_lookback_years = models.PositiveSmallIntegerField(
        _("repeat-support look-back (years)"),
        default=5,
        help_text=_(
            "Earlier supported projects of the same content for the same "
            "establishment within this many years are shown to the reviewer; "
            "0 turns the warning off."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("activity content")
        verbose_name_plural = _("activity contents")

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class RuleSource(models.TextChoices):
    """Which programme's money a support rule limits."""

    NATIONAL = Source.NATIONAL.value, Source.NATIONAL.label
    LOCAL = Source.LOCAL.value, Source.LOCAL.label
    BOTH = "both", _("Both sources")


class CapUnit(models.TextChoices):
    """What an amount cap is counted per."""

    ESTABLISHMENT = "establishment", _("establishment")
    ENTERPRISE = "enterprise", _("enterprise")
    MODEL = "model", _("model")
    BRAND = "brand", _("brand")
    EVENT = "event", _("event")
    CLUSTER = "cluster", _("industrial cluster")
    ASSOCIATION = "association", _("association")
    LINKAGE = "linkage", _("linkage cluster")
    BOOTH = "booth", _("booth")
    TRAINEE = "trainee", _("trainee")
    PROJECT = "project", _("project")


# Caps counted per beneficiary: summed over the establishment's projects of the
# same content in the same year. Every other unit caps the project's support.
PER_BENEFICIARY_UNITS = (CapUnit.ESTABLISHMENT, CapUnit.ENTERPRISE)


class SupportRuleQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> SupportRuleQuerySet:
        return self.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day
        )


class SupportRule(models.Model):
    """A support cap from the regulations, kept as data with validity dates.

    A new circular is a new row. A project is checked against the row of its
    content, variant and funding source in force on the date that matters
    (projects.rule_check); docs/rules.md lists the rows shipped and their texts.
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
    source = models.CharField(
        _("funding source"),
        max_length=4,
        choices=RuleSource.choices,
        default=RuleSource.NATIONAL,
    )
    establishment_kind = models.CharField(
        _("kind of establishment"),
        max_length=20,
        choices=EstablishmentKind.choices,
        blank=True,
        help_text=_("Empty: any kind. Otherwise the rule applies to that kind only."),
    )
    share_cap = models.DecimalField(
        _("share cap (percent of total cost)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    absolute_cap = MoneyField(_("amount cap (đồng)"), null=True, blank=True)
    unit = models.CharField(
        _("amount counted per"),
        max_length=20,
        choices=CapUnit.choices,
        default=CapUnit.PROJECT,
        help_text=_(
            "Per establishment: summed over the establishment's projects of the "
            "same content in the same year."
        ),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=255,
        blank=True,
        help_text=_("Document and article; empty until it is known."),
    )
    verified = models.BooleanField(
        _("verified against the text"),
        default=False,
        help_text=_("Untick while a figure or date has not been read in the text."),
    )
    note = models.TextField(_("note"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    objects = SupportRuleQuerySet.as_manager()

    class Meta:
        ordering = ["content__code", "variant", "source", "-valid_from"]
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
            f"{self.content.name} — {capfirst(self.variant)}"
            if self.variant
            else str(self.content.name)
        )
        return f"{label}, {self.source} ({self.legal_basis or '—'})"


class RuleStep(models.TextChoices):
    """The steps at which a project is checked against the rules."""

    SUBMIT = "submit", _("Submission")
    RESUBMIT = "resubmit", _("Resubmission")
    APPRAISE = "appraise", _("Appraisal")
    APPROVE = "approve", _("Approval")
    RECORD_DECISION = "record_decision", _("Ministry decision")
    DECIDE_ADJUSTMENT = "decide_adjustment", _("Adjustment")
    EQUIPMENT = "equipment", _("Equipment support")


class RuleApplication(models.Model):
    """Which rule version a project was held to at one step, and on which day.

    The basis is copied, so that the record still reads right after an
    administrator edits or deletes the rule row.
    """

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="rule_applications",
        verbose_name=_("project"),
    )
    step = models.CharField(_("step"), max_length=30, choices=RuleStep.choices)
    day = models.DateField(_("rules of"))
    source = models.CharField(
        _("funding source"), max_length=4, choices=RuleSource.choices, blank=True
    )
    rule = models.ForeignKey(
        SupportRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("support rule"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    verified = models.BooleanField(_("verified against the text"), default=False)
    eligibility_basis = models.CharField(
        _("eligibility basis"), max_length=255, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("rule applied")
        verbose_name_plural = _("rules applied")

    def __str__(self) -> str:
        return f"{self.step} {self.day}: {self.legal_basis or '—'}"

    @property
    def source_short(self) -> str:
        return source_short(self.source)
