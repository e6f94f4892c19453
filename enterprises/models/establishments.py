"""Establishments (cơ sở công nghiệp nông thôn): the registry's record, its
checks (tax code, similar names) and its support history."""

from __future__ import annotations

import datetime as dt
import re
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..money import MoneyField
from ..text import fold, search
from .eligibility import EligibilityRule, EstablishmentKind, LocationPolicy
from .places import Commune, DivisionType
from .sectors import CraftVillage, Sector

SIMILAR_NAME_RATIO = 0.9

TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")


def validate_tax_code(value: str) -> None:
    if value and not TAX_CODE_RE.match(value):
        raise ValidationError(
            _(
                "A tax code has 10 digits, or 10 digits, a hyphen and 3 digits "
                "for a branch (e.g. 2801234567 or 2801234567-001)."
            ),
            code="tax_code",
        )


# Project statuses in which a beneficiary counts as supported: approved support
# committed to it. The values belong to projects.models.Status (the registry
# must not import the projects app); a test keeps the two in step.
SUPPORTED_PROJECT_STATUSES = ("approved", "in_progress", "accepted", "settled")


class EstablishmentQuerySet(models.QuerySet):
    def active(self) -> EstablishmentQuerySet:
        return self.filter(is_active=True)

    def supported(self, yes: bool = True) -> EstablishmentQuerySet:
        """Beneficiaries of at least one approved project (or, no: of none)."""
        # `projects` is the reverse side of Project.beneficiaries.
        through = self.model._meta.get_field("projects").through
        approved = through.objects.filter(
            establishment_id=models.OuterRef("pk"),
            project__status__in=SUPPORTED_PROJECT_STATUSES,
        )
        condition = models.Exists(approved)
        return self.filter(condition if yes else ~condition)

    def search(self, text: str) -> EstablishmentQuerySet:
        """Accent-insensitive search over name, tax code and representative."""
        return search(self, text, "search_text")


class Eligibility:
    """Whether an establishment may receive khuyến công support, and why,
    under which dated rule (None: no rule was in force)."""

    def __init__(
        self, eligible: bool, reason: str, rule: EligibilityRule | None = None
    ) -> None:
        self.eligible = eligible
        self.reason = reason
        self.rule = rule

    def __bool__(self) -> bool:
        return self.eligible

    def __repr__(self) -> str:
        return f"Eligibility({self.eligible!r}, {self.reason!r})"


class HistoryEntry:
    """One change of an establishment, for the detail page."""

    def __init__(self, record: models.Model, fields: list[str]) -> None:
        self.record = record
        self.fields = fields


class Establishment(models.Model):
    """A rural-industry establishment (cơ sở công nghiệp nông thôn)."""

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=EstablishmentKind.choices)
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        blank=True,
        validators=[validate_tax_code],
        help_text=_("10 digits, or 10-3 digits for a branch."),
    )
    business_registration_no = models.CharField(
        _("business registration number"), max_length=50, blank=True
    )
    representative_name = models.CharField(_("representative"), max_length=150)
    representative_position = models.CharField(
        _("position"), max_length=100, blank=True
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="establishments",
        verbose_name=_("commune / ward"),
    )
    street = models.CharField(_("street / village"), max_length=255, blank=True)
    legacy_address = models.CharField(
        _("address as on old papers"),
        max_length=500,
        blank=True,
        help_text=_("The address as written before the 2025 reorganisation."),
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="establishments", verbose_name=_("sectors")
    )
    craft_village = models.ForeignKey(
        CraftVillage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="establishments",
        verbose_name=_("craft village"),
    )
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    workers_total = models.PositiveIntegerField(_("workers"), default=0)
    workers_women = models.PositiveIntegerField(_("women workers"), default=0)
    workers_ethnic_minority = models.PositiveIntegerField(
        _("ethnic-minority workers"), default=0
    )
    women_owned = models.BooleanField(_("women-owned"), default=False)
    ethnic_minority_owned = models.BooleanField(
        _("ethnic-minority-owned"), default=False
    )
    yearly_revenue = MoneyField(_("yearly revenue (đồng)"), null=True, blank=True)
    main_products = models.TextField(_("main products"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Accent-folded copy of name, tax code and representative, so that the
    # same search works on PostgreSQL and SQLite. Refreshed by refresh_search_text.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = EstablishmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        # The list's default order (pk as tie-break): a page reads 50 index
        # entries instead of sorting the registry. The search column has a
        # trigram index on PostgreSQL (migration 0004).
        indexes = [
            models.Index(fields=["name", "id"], name="establishment_list_order_idx"),
            # The dashboard counts a year's beneficiaries and its priority
            # groups by primary key: on PostgreSQL this index answers from
            # itself (index-only scan) instead of reading every
            # establishment's row (issue 20).
            models.Index(
                fields=["id"],
                include=["women_owned", "ethnic_minority_owned", "commune"],
                name="establishment_cover_idx",
            ),
            # The coverage's establishments registered per commune (the
            # public page's tiles): counted from this index alone.
            models.Index(
                fields=["commune"],
                condition=models.Q(is_active=True),
                name="establishment_active_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~Q(tax_code=""),
                name="establishment_tax_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(workers_women__lte=models.F("workers_total"))
                & Q(workers_ethnic_minority__lte=models.F("workers_total")),
                name="establishment_workers_parts_within_total",
            ),
            models.CheckConstraint(
                condition=Q(yearly_revenue__isnull=True) | Q(yearly_revenue__gte=0),
                name="establishment_revenue_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind == EstablishmentKind.HOUSEHOLD:
            if not self.tax_code and not self.business_registration_no:
                errors["business_registration_no"] = _(
                    "A household business without a tax code needs its business "
                    "registration number."
                )
        elif self.kind and self.kind != EstablishmentKind.OTHER and not self.tax_code:
            errors["tax_code"] = _("An enterprise or cooperative needs its tax code.")
        if self.founded_year and self.founded_year > localdate().year:
            errors["founded_year"] = _("The founding year cannot be in the future.")
        if self.workers_women > self.workers_total:
            errors["workers_women"] = _("Women workers cannot exceed total workers.")
        if self.workers_ethnic_minority > self.workers_total:
            errors["workers_ethnic_minority"] = _(
                "Ethnic-minority workers cannot exceed total workers."
            )
        if errors:
            raise ValidationError(errors)

    def refresh_search_text(self) -> None:
        """Recompute the folded search column; call before saving."""
        self.search_text = fold(
            " ".join([self.name, self.tax_code, self.representative_name])
        )

    def similar_in_commune(self) -> list[Establishment]:
        """Other establishments of the same commune with a nearly equal name."""
        if not self.commune_id or not self.name:
            return []
        mine = fold(self.name)
        others = (
            Establishment.objects.filter(commune_id=self.commune_id)
            .exclude(pk=self.pk)
            .only("pk", "name")
        )
        return [
            other
            for other in others
            if SequenceMatcher(None, mine, fold(other.name)).ratio()
            >= SIMILAR_NAME_RATIO
        ]

    def history_entries(self, limit: int = 20) -> list[HistoryEntry]:
        """The latest changes, newest first, each with the fields it changed."""
        records = list(
            self.history.select_related("history_user").order_by(
                "-history_date", "-history_id"
            )[: limit + 1]
        )
        entries = []
        for newer, older in zip(records, [*records[1:], None], strict=False):
            if len(entries) == limit:
                break
            fields: list[str] = []
            if older is not None and newer.history_type == "~":
                delta = newer.diff_against(older, excluded_fields=["updated_at"])
                fields = [
                    str(self._meta.get_field(change.field).verbose_name)
                    for change in delta.changes
                ]
            entries.append(HistoryEntry(record=newer, fields=fields))
        return entries

    @property
    def address(self) -> str:
        parts = [self.street] if self.street else []
        if self.commune_id:
            parts += [self.commune.name, self.commune.province.name]
        return ", ".join(parts)

    def eligibility(
        self,
        day: dt.date | None = None,
        *,
        rule: EligibilityRule | None = None,
        cleaner_production: bool = False,
    ) -> Eligibility:
        """Whether the establishment may be supported on `day` (today by
        default), judged by the eligibility rule in force then (`rule`, when
        the caller already has it). Establishments applying cleaner production
        are eligible whatever their kind, size and place (Decree 45/2012 art. 1
        cl. 2 b; Circular 46/2012/TT-BCT art. 3 cl. 2)."""
        day = day or timezone.localdate()
        if rule is None:
            rule = EligibilityRule.in_force(day)
        if rule is None:
            return Eligibility(
                False,
                gettext(
                    "No eligibility rule is in force on %(day)s; an administrator "
                    "adds one under Administration › Eligibility rules."
                )
                % {"day": day.strftime("%d/%m/%Y")},
            )
        basis = rule.citation
        if cleaner_production:
            return Eligibility(
                True,
                gettext("Applies cleaner production, whatever its kind (%(basis)s).")
                % {"basis": basis},
                rule,
            )
        if self.kind not in rule.kind_codes:
            return Eligibility(
                False,
                gettext("Its kind is not among the beneficiaries of %(basis)s.")
                % {"basis": basis},
                rule,
            )
        if self.kind == EstablishmentKind.SMALL_ENTERPRISE and (
            (rule.max_workers is not None and self.workers_total > rule.max_workers)
            or (
                rule.max_yearly_revenue is not None
                and (self.yearly_revenue or 0) > rule.max_yearly_revenue
            )
        ):
            return Eligibility(
                False,
                gettext("Larger than a small or medium-sized enterprise (%(basis)s).")
                % {"basis": basis},
                rule,
            )
        commune = self.commune
        if rule.location == LocationPolicy.DECREE_45_2012:
            if commune.legacy_urban_ward:
                return Eligibility(
                    False,
                    gettext(
                        "Located, before 1/7/2025, in a ward of a type-1 city "
                        "(%(basis)s)."
                    )
                    % {"basis": basis},
                    rule,
                )
            return Eligibility(
                True,
                gettext("Eligible kind in a rural area (%(basis)s).")
                % {"basis": basis},
                rule,
            )
        if not commune.province.is_central_city:
            return Eligibility(
                True,
                gettext("Eligible kind located in a province (%(basis)s).")
                % {"basis": basis},
                rule,
            )
        if commune.division_type != DivisionType.WARD:
            return Eligibility(
                True,
                gettext(
                    "Eligible kind located in a commune of a centrally-run city "
                    "(%(basis)s)."
                )
                % {"basis": basis},
                rule,
            )
        if self.craft_village_id:
            return Eligibility(
                True,
                gettext(
                    "Located in a ward of a centrally-run city, but in a craft "
                    "village (%(basis)s)."
                )
                % {"basis": basis},
                rule,
            )
        return Eligibility(
            False,
            gettext(
                "Wards of centrally-run cities are not eligible unless in a "
                "recognised craft village (%(basis)s)."
            )
            % {"basis": basis},
            rule,
        )
