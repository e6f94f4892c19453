"""Support projects (đề án khuyến công) and their funding rows.

Money is whole đồng in BigIntegerField; shares are Decimal percentages. A
project's money lives in its ProjectFunding rows, one per source, so that later
records (disbursements) can point at exactly one of them. What a project's life
leaves behind (timeline, adjustments, attachments) is in records.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import Commune, Establishment
from enterprises.money import MoneyField
from enterprises.policy import can
from enterprises.roles import Role, roles_of

from .choices import (
    EDITABLE_STATUSES,
    EXECUTION_STATUSES,
    RUNNING_STATUSES,
    TODO_DEADLINE_DAYS,
    Source,
    Status,
    source_short,
)
from .measures import STORED_TOTALS, Money, fundings_money, fundings_with_money
from .programmes import Plan
from .rules import ActivityContent


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
        return f"{source_short(source)}-{year}-{counter.last_number:03d}"


def settlement_overdue_q(today: dt.date) -> Q:
    """Accepted, not settled, and past the due date its deadline rules gave
    (stored at acceptance, see deadlines.py)."""
    return Q(status=Status.ACCEPTED, settlement_due_on__lt=today)


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        if can(user, "view_drafts"):
            return self
        if can(user, "read"):
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

    def settlement_overdue(self, today: dt.date | None = None) -> ProjectQuerySet:
        """Accepted projects whose settlement file is past its deadline."""
        return self.filter(settlement_overdue_q(today or timezone.localdate()))

    def todo_sections(self, user, today: dt.date | None = None) -> dict[str, Q]:
        """What waits for this user, as named filters (the "to do" page)."""
        today = today or timezone.localdate()
        held = roles_of(user)
        sections: dict[str, Q] = {}
        if Role.REVIEWER in held:
            # One section per review state of both routes (routes.py).
            sections["appraisal"] = Q(status=Status.SUBMITTED)
            sections["council"] = Q(status=Status.RECEIVED)
            sections["scored"] = Q(status=Status.SCORED)
            sections["proposed"] = Q(status=Status.PROPOSED)
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
            sections["settlement"] = settlement_overdue_q(today)
        return sections

    def todo_for(self, user, today: dt.date | None = None) -> ProjectQuerySet:
        sections = self.todo_sections(user, today)
        if not sections:
            return self.none()
        wanted = Q()
        for condition in sections.values():
            wanted |= condition
        return self.visible_to(user).filter(wanted).distinct()


def _amount(verbose: str, **kwargs) -> MoneyField:
    return MoneyField(verbose, **kwargs)


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
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    # The approval route in force on the submission day (routes.py): a later
    # version of the route changes the next projects, not this one.
    route = models.ForeignKey(
        "projects.Route",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("approval route"),
    )
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
    # From the deadline rules valid on the acceptance date (deadlines.py),
    # stored so that "overdue" is one indexed comparison.
    settlement_due_on = models.DateField(
        _("settlement due by"), null=True, blank=True, editable=False
    )
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)
    # The status at each year end, from the timeline (year_ends.py), so that
    # the dashboard reads a year's members without the timeline's subqueries.
    year_ends_from = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False
    )
    year_ends = models.CharField(max_length=200, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["year_ends_from", "year_ends"])
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
            models.Index(fields=["status"], name="project_status_idx"),
            models.Index(fields=["status", "end_date"], name="project_status_end_idx"),
            # The list's order (newest first, pk as tie-break): its first page
            # reads 50 index entries instead of sorting every project.
            models.Index(fields=["created_at", "id"], name="project_list_order_idx"),
            # The list's count and totals of the filtered projects (one
            # aggregate): on PostgreSQL an index-only scan of this narrow
            # index instead of the 40-column table (issue 20). SQLite has no
            # INCLUDE and skips it; project_status_idx serves it there.
            models.Index(
                fields=["status"],
                include=["total_cost", "support_requested"],
                name="project_list_sums_idx",
            ),
            # The public page's order (latest decision first, pk as
            # tie-break): its first page reads a page of index entries
            # instead of sorting every published project.
            models.Index(
                fields=["decision_date", "id"], name="project_decision_order_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def support_variant_label(self) -> str:
        # Stored as the rule writes it inside a sentence ("dây chuyền công nghệ").
        return capfirst(self.support_variant)

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


class FundingQuerySet(models.QuerySet):
    def with_money(self) -> FundingQuerySet:
        """Each row with its current measures, `<measure>_amount` (the money
        read-model, projects.models.measures)."""
        return fundings_with_money(self)

    def money(self, *names: str) -> Money:
        """These rows' measures added up (all, or only `names`), in one query
        (projects.models.measures.fundings_money)."""
        return fundings_money(self, *names)


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
    # Totals of the row's disbursements, written only by the disbursement
    # gate (Disbursement.save/delete, under the row lock) so that pages sum
    # funding rows instead of every disbursement; on PostgreSQL a deferred
    # trigger refuses a commit where they differ from the rows.
    advanced_total = _amount(_("advanced (đồng)"), default=0, editable=False)
    paid_total = _amount(_("paid (đồng)"), default=0, editable=False)
    refunded_total = _amount(_("refunded (đồng)"), default=0, editable=False)
    due_total = _amount(_("refunds due (đồng)"), default=0, editable=False)
    carried_total = _amount(
        _("paid from carried-forward funds (đồng)"), default=0, editable=False
    )

    history = HistoricalRecords(excluded_fields=list(STORED_TOTALS))
    objects = FundingQuerySet.as_manager()

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
            # Net money out stays between 0 and the approved support.
            models.CheckConstraint(
                condition=Q(
                    advanced_total__gte=0,
                    paid_total__gte=0,
                    refunded_total__gte=0,
                    due_total__gte=0,
                    carried_total__gte=0,
                )
                & Q(refunded_total__lte=F("advanced_total") + F("paid_total"))
                & (
                    Q(
                        approved__gte=F("advanced_total")
                        + F("paid_total")
                        - F("refunded_total")
                    )
                    | Q(advanced_total=0, paid_total=0, refunded_total=0)
                ),
                name="funding_totals_in_range",
            ),
            models.CheckConstraint(
                condition=Q(settled__isnull=True)
                | Q(approved__isnull=False, settled__lte=F("approved")),
                name="funding_settled_within_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.get_source_display()}"

    @property
    def source_short(self) -> str:
        return source_short(self.source)
