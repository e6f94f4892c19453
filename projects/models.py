"""Programmes, plans, support rules and support projects (đề án khuyến công).

Money is whole đồng in BigIntegerField; shares are Decimal percentages. A
project's money lives in its ProjectFunding rows, one per source, so that later
records (disbursements) can point at exactly one of them.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import Commune, Establishment
from enterprises.roles import Role, roles_of


def _money(amount: int) -> str:
    return f"{number_format(amount, force_grouping=True)} đ"


class Source(models.TextChoices):
    """Where support money comes from; the value is also the code prefix."""

    NATIONAL = "KCQG", _("National industrial extension (KCQG)")
    LOCAL = "KCĐP", _("Local industrial extension (KCĐP)")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
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
    "appraisal_opinion",
    "decision_no",
    "decision_date",
    "rejection_reason",
    "contract_no",
    "contract_date",
    "acceptance_date",
    "acceptance_minutes_no",
    "settled_on",
    "cancellation_reason",
    "created_by_id",
)
# Staff are reminded of running projects ending within this many days.
TODO_DEADLINE_DAYS = 30


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


class PlanQuerySet(models.QuerySet):
    def with_budget(self) -> PlanQuerySet:
        """Annotate approved support committed on each plan and what is left."""
        approved = Coalesce(
            Sum(
                "fundings__approved",
                filter=Q(fundings__project__status__in=COMMITTED_STATUSES),
            ),
            Value(0),
            output_field=models.BigIntegerField(),
        )
        return self.annotate(approved_total=approved).annotate(
            budget_left=F("allocated") - F("approved_total")
        )


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
    allocated = models.BigIntegerField(
        _("allocated budget (đồng)"), validators=[MinValueValidator(0)]
    )
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
    absolute_cap = models.BigIntegerField(
        _("absolute cap (đồng)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
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


class ProjectCodeCounter(models.Model):
    """Last number used for project codes of one source and year.

    Locked with select_for_update while a code is taken, so two projects
    created at the same moment never get the same code.
    """

    source = models.CharField(max_length=4, choices=Source.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "year"], name="project_code_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}-{self.year}: {self.last_number}"

    @classmethod
    def next_code(cls, *, source: str, year: int) -> str:
        with transaction.atomic():
            cls.objects.get_or_create(source=source, year=year)
            counter = cls.objects.select_for_update().get(source=source, year=year)
            counter.last_number += 1
            counter.save(update_fields=["last_number"])
        return f"{source}-{year}-{counter.last_number:03d}"


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        held = roles_of(user)
        if held & {Role.STAFF, Role.MANAGER, Role.ADMIN}:
            return self
        if Role.REVIEWER in held:
            # The Sở sees a project once the centre has sent it.
            return self.exclude(status=Status.DRAFT)
        return self.none()

    def overdue(self, today: dt.date | None = None) -> ProjectQuerySet:
        today = today or timezone.localdate()
        return self.filter(status__in=RUNNING_STATUSES, end_date__lt=today)

    def ending_within(self, days: int, today: dt.date | None = None) -> ProjectQuerySet:
        """Running projects whose end date is within `days` (or already past)."""
        today = today or timezone.localdate()
        return self.filter(
            status__in=RUNNING_STATUSES,
            end_date__lte=today + dt.timedelta(days=days),
        )

    def todo_sections(self, user, today: dt.date | None = None) -> dict[str, Q]:
        """What waits for this user, as named filters (the "to do" page)."""
        today = today or timezone.localdate()
        held = roles_of(user)
        sections: dict[str, Q] = {}
        if Role.REVIEWER in held:
            sections["appraisal"] = Q(status=Status.SUBMITTED)
            sections["ministry"] = Q(status=Status.APPRAISED)
            sections["adjustment"] = Q(
                status=Status.IN_PROGRESS, adjustments__status="pending"
            )
        if Role.STAFF in held:
            sections["returned"] = Q(status=Status.RETURNED)
            sections["contract"] = Q(status=Status.APPROVED)
            sections["deadline"] = Q(
                status__in=RUNNING_STATUSES,
                end_date__lte=today + dt.timedelta(days=TODO_DEADLINE_DAYS),
            )
        return sections

    def todo_for(self, user, today: dt.date | None = None) -> ProjectQuerySet:
        sections = self.todo_sections(user, today)
        if not sections:
            return self.none()
        wanted = Q()
        for condition in sections.values():
            wanted |= condition
        return self.visible_to(user).filter(wanted).distinct()


def _amount(verbose: str, **kwargs) -> models.BigIntegerField:
    return models.BigIntegerField(verbose, validators=[MinValueValidator(0)], **kwargs)


class Project(models.Model):
    """A support project (đề án khuyến công) from draft to settlement."""

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=500)
    content = models.ForeignKey(
        ActivityContent,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("activity content"),
    )
    support_variant = models.CharField(
        _("kind of support"),
        max_length=100,
        blank=True,
        help_text=_("Only when the content has several support rules."),
    )
    implementing_unit = models.CharField(
        _("implementing unit"), max_length=255, blank=True
    )
    partner_unit = models.CharField(_("partner unit"), max_length=255, blank=True)
    partner_capacity = models.TextField(
        _("partner capacity"),
        blank=True,
        help_text=_("Why the partner unit can carry the project."),
    )
    beneficiaries = models.ManyToManyField(
        Establishment,
        blank=True,
        related_name="projects",
        verbose_name=_("beneficiaries"),
    )
    is_group = models.BooleanField(
        _("group project"),
        default=False,
        help_text=_("A group project may name its beneficiaries later."),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("place (commune / ward)"),
    )
    objectives = models.TextField(_("objectives"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    total_cost = _amount(_("total cost (đồng)"), default=0)
    # Sum of the funding rows' requested support, kept by refresh_support_total()
    # so that the database can check that the parts add up.
    support_requested = _amount(
        _("support requested (đồng)"), default=0, editable=False
    )
    counterpart = _amount(_("counterpart funds (đồng)"), default=0)
    other_sources = _amount(_("other sources (đồng)"), default=0)

    target_machines = models.PositiveIntegerField(_("target: machines"), default=0)
    target_trainees = models.PositiveIntegerField(_("target: trainees"), default=0)
    target_products = models.PositiveIntegerField(_("target: products"), default=0)
    baseline_jobs = models.PositiveIntegerField(_("baseline: jobs"), default=0)
    baseline_revenue = _amount(
        _("baseline: yearly revenue (đồng)"), null=True, blank=True
    )
    baseline_productivity = models.DecimalField(
        _("baseline: productivity"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("In the unit the proposal uses, e.g. products per day."),
    )
    baseline_energy_kwh = models.DecimalField(
        _("baseline: energy use (kWh/year)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    appraisal_opinion = models.TextField(_("appraisal opinion"), blank=True)
    decision_no = models.CharField(
        _("approval decision number"), max_length=50, blank=True
    )
    decision_date = models.DateField(_("approval decision date"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    contract_no = models.CharField(_("contract number"), max_length=50, blank=True)
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    acceptance_date = models.DateField(_("acceptance date"), null=True, blank=True)
    acceptance_minutes_no = models.CharField(
        _("acceptance minutes number"), max_length=50, blank=True
    )
    settled_on = models.DateField(_("settlement date"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("support project")
        verbose_name_plural = _("support projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_cost__gte=0)
                & Q(support_requested__gte=0)
                & Q(counterpart__gte=0)
                & Q(other_sources__gte=0),
                name="project_amounts_not_negative",
            ),
            # While the centre writes the project the parts may not add up yet;
            # from submission on, the database holds the identity.
            models.CheckConstraint(
                condition=Q(status__in=EDITABLE_STATUSES)
                | Q(
                    total_cost=F("support_requested")
                    + F("counterpart")
                    + F("other_sources")
                ),
                name="project_parts_add_up_once_submitted",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="project_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "end_date"]),
            # The list's order (newest first, pk as tie-break): its first page
            # reads 50 index entries instead of sorting every project.
            models.Index(fields=["created_at", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def is_national(self) -> bool:
        """National when any support comes from the national programme.

        Such a project is appraised by the Sở and approved by the ministry.
        """
        return any(f.source == Source.NATIONAL for f in self.fundings.all())

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.status in RUNNING_STATUSES
            and self.end_date
            and self.end_date < timezone.localdate()
        )

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def has_execution(self) -> bool:
        """Approved once: equipment, inspections and money may exist."""
        return self.status in EXECUTION_STATUSES

    def refresh_support_total(self) -> None:
        """Store the requested support summed over the funding rows."""
        self.support_requested = self.fundings.aggregate(s=Sum("requested"))["s"] or 0

    def applicable_rule(self, day: dt.date) -> SupportRule | None:
        return (
            SupportRule.objects.valid_on(day)
            .filter(content_id=self.content_id, variant=self.support_variant)
            .order_by("-valid_from")
            .first()
        )


class ProjectFunding(models.Model):
    """Support for one project from one source's yearly plan."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="fundings",
        verbose_name=_("project"),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="fundings", verbose_name=_("plan")
    )
    # Copied from the plan's programme so that the database can hold
    # "one row per source" and later records can filter by source cheaply.
    source = models.CharField(
        _("source"), max_length=4, choices=Source.choices, editable=False
    )
    requested = _amount(_("support requested (đồng)"))
    approved = _amount(_("support approved (đồng)"), null=True, blank=True)
    settled = _amount(_("support settled (đồng)"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source"]
        verbose_name = _("project funding")
        verbose_name_plural = _("project fundings")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "source"], name="funding_one_row_per_source"
            ),
            models.CheckConstraint(
                condition=Q(requested__gte=0)
                & (Q(approved__isnull=True) | Q(approved__gte=0))
                & (Q(settled__isnull=True) | Q(settled__gte=0)),
                name="funding_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(approved__isnull=True) | Q(approved__lte=F("requested")),
                name="funding_approved_within_requested",
            ),
            models.CheckConstraint(
                condition=Q(settled__isnull=True)
                | Q(approved__isnull=False, settled__lte=F("approved")),
                name="funding_settled_within_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.get_source_display()}"


class Transition(models.Model):
    """One step of a project's timeline: who moved it where, when and why."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("project"),
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(
        _("from"), max_length=20, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.action} {self.from_status}→{self.to_status}"

    @property
    def action_label(self) -> str:
        from .lifecycle import action_label

        return action_label(self.action)


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Adjustment(models.Model):
    """A change to a running project (điều chỉnh), asked by staff and decided
    by a reviewer; the values before and after are kept as they were."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="adjustments",
        verbose_name=_("project"),
    )
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AdjustmentStatus.choices,
        default=AdjustmentStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        constraints = [
            # At most one open request per project, so a decision is unambiguous.
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status="pending"),
                name="adjustment_one_pending_per_project",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.get_status_display()}"

    def changes(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) in words, for the detail page."""
        communes = set()
        establishments = set()
        for values in (self.before, self.after):
            if values.get("commune"):
                communes.add(values["commune"])
            establishments.update(values.get("beneficiaries") or [])
        commune_names = dict(
            Commune.objects.filter(pk__in=communes).values_list("pk", "name")
        )
        establishment_names = dict(
            Establishment.objects.filter(pk__in=establishments).values_list(
                "pk", "name"
            )
        )

        def words(field: str, value) -> str:
            if value in (None, "", []):
                return "—"
            if field == "commune":
                return commune_names.get(value, str(value))
            if field == "beneficiaries":
                return ", ".join(establishment_names.get(v, str(v)) for v in value)
            if field in ("start_date", "end_date"):
                return date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
            return str(value)

        return [
            (
                str(Project._meta.get_field(field).verbose_name),
                words(field, self.before.get(field)),
                words(field, value),
            )
            for field, value in self.after.items()
        ]


class AttachmentKind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal")
    DECISION = "decision", _("Decision")
    CONTRACT = "contract", _("Contract")
    MINUTES = "minutes", _("Minutes")
    OTHER = "other", _("Other document")


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random stored name: the uploader's file name never reaches the disk,
    # and a path cannot be guessed. The extension comes from the sniffed type.
    return f"projects/{instance.project_id}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    """A project document, kept in private storage and served only through a
    permission-checked view."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("projects:attachment", args=[self.project_id, self.pk])


# Execution and money records live in their own modules (issue 5).
from .execution import *  # noqa: E402, F403
from .money import *  # noqa: E402, F403
