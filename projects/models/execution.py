"""What happens to an approved project on the ground (issue 5).

The guard every execution and money record passes (`refuse_if_frozen` under
the project's lock, raising `Refused`), inspections, progress updates between
them, and the acceptance record. Equipment is in equipment.py, photos in
photos.py.

Writes refuse once a project's money is closed (settled) or it was cancelled:
the guard sits in save()/delete() on purpose, so that every path (views, admin,
shell) meets it; QuerySet.update()/delete() bypass it, as Django always does,
and are not used on these rows.

Each execution record has one write entry point, its `store(by=...)` method
(EquipmentInvestment.store also takes the serials, Acceptance.store the
outputs): it names who wrote the row (history included) and saves it through
the guard. Views, services and the demo data all write through it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import (
    MaxValueValidator,
)
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.money import MoneyField

from .choices import Status
from .projects import Project
from .refusals import Refused
from .year_totals import refresh as refresh_year_totals

# A project's equipment and inspections may be recorded from approval until
# acceptance; afterwards (settled) or when dropped (cancelled) they are frozen.
EXECUTION_STATUSES = (Status.APPROVED, Status.IN_PROGRESS, Status.ACCEPTED)


def lock_project(project_id: int) -> Project:
    """The project row, locked until the end of the current transaction."""
    return Project.objects.select_for_update().get(pk=project_id)


def refuse_if_frozen(project: Project) -> None:
    if project.status == Status.SETTLED:
        raise Refused(
            gettext(
                "Project %(code)s is settled: its money and equipment records "
                "can no longer be changed."
            )
            % {"code": project.code}
        )
    if project.status not in EXECUTION_STATUSES:
        raise Refused(
            gettext(
                "Equipment and inspections can be recorded only for an approved "
                "project that is not yet settled (project %(code)s is “%(status)s”)."
            )
            % {"code": project.code, "status": project.get_status_display()}
        )


def project_page(project: Project) -> str:
    return reverse("money:project", args=[project.pk])


# --- voiding a record entered by mistake ------------------------------------------


class Voidable(models.Model):
    """A record entered by mistake is voided (hủy bỏ), not deleted: it stays
    in the history with the reason, who and when, struck through on the
    project page, and counts in no figure (the querysets' `live()`)."""

    void_reason = models.TextField(_("reason for voiding"), blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voided by"),
    )

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    def mark_voided(self, *, by: Any, reason: str) -> None:
        """Set the void fields (the caller saves through its guard)."""
        if self.is_voided:
            raise Refused(gettext("This record is already voided."))
        if not (reason or "").strip():
            raise Refused(gettext("Give the reason for voiding."))
        self.void_reason = reason.strip()
        self.voided_at = timezone.now()
        self.voided_by = by
        self._history_user = by

    def void(self, *, by: Any, reason: str) -> None:
        """Void the record: its save() holds the project's guard."""
        self.mark_voided(by=by, reason=reason)
        self.save()


def void_constraint(name: str, voided: Q | None = None) -> models.CheckConstraint:
    """A voided row has its reason, who and when; a live row none of them.
    `voided` says what else marks a voided row (a disbursement's state)."""
    live = Q(voided_at__isnull=True, voided_by__isnull=True, void_reason="")
    dead = Q(voided_at__isnull=False, voided_by__isnull=False) & ~Q(void_reason="")
    if voided is not None:
        live &= ~voided
        dead &= voided
    return models.CheckConstraint(condition=live | dead, name=name)


class VoidableQuerySet(models.QuerySet):
    def live(self):
        """The rows that count: not voided."""
        return self.filter(voided_at__isnull=True)


# --- inspections and progress ------------------------------------------------------


def _percent(verbose: Any, **kwargs: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose, validators=[MaxValueValidator(100)], **kwargs
    )


class InspectionQuerySet(VoidableQuerySet):
    def planned(self):
        return self.live().filter(actual_date__isnull=True)

    def overdue(self, today: dt.date | None = None):
        """Planned inspections of running projects whose date has passed."""
        today = today or timezone.localdate()
        return (
            self.planned()
            .filter(
                planned_date__lt=today,
                project__status__in=(Status.APPROVED, Status.IN_PROGRESS),
            )
            .select_related("project")
            .order_by("planned_date", "pk")
        )


class Inspection(Voidable):
    """A progress check on site (kiểm tra, giám sát): planned, then carried out."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="inspections",
        verbose_name=_("project"),
    )
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("date carried out"), null=True, blank=True)
    inspectors = models.CharField(_("inspectors"), max_length=500, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    progress_percent = _percent(_("progress (%)"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up actions"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()
    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["planned_date", "pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__isnull=True)
                | Q(progress_percent__lte=100),
                name="inspection_progress_is_percentage",
            ),
            void_constraint("inspection_voided_with_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.planned_date}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            refuse_if_frozen(lock_project(self.project_id))
            super().save(*args, **kwargs)

    def store(self, *, by: Any) -> Inspection:
        """The one way the portal writes an inspection (planned or done)."""
        self.recorded_by_id = self.recorded_by_id or by.pk
        self._history_user = by
        self.save()
        return self

    @property
    def is_done(self) -> bool:
        return self.actual_date is not None

    @classmethod
    def next_date(cls, project: Project) -> dt.date | None:
        """The project's next planned inspection, if any."""
        nxt = cls.objects.filter(project=project).planned().order_by("planned_date")
        return nxt.values_list("planned_date", flat=True).first()


class ProgressUpdate(Voidable):
    """What staff learn between inspections."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="progress_updates",
        verbose_name=_("project"),
    )
    date = models.DateField(_("date"))
    progress_percent = _percent(_("progress (%)"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )

    history = HistoricalRecords()
    objects = VoidableQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100),
                name="progress_update_is_percentage",
            ),
            void_constraint("progress_update_voided_with_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.date} {self.progress_percent}%"

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            refuse_if_frozen(lock_project(self.project_id))
            super().save(*args, **kwargs)

    def store(self, *, by: Any) -> ProgressUpdate:
        """The one way the portal writes a progress update."""
        self.by_id = self.by_id or by.pk
        self._history_user = by
        self.save()
        return self


# --- acceptance ------------------------------------------------------------------


def _amount(verbose: Any, **kwargs: Any) -> MoneyField:
    return MoneyField(verbose, **kwargs)


class Acceptance(models.Model):
    """Outputs and impact recorded with the acceptance (nghiệm thu).

    The date and the minutes number stay on the project (set by the `accept`
    transition, which also writes this row); this holds what was achieved.
    """

    project = models.OneToOneField(
        Project,
        on_delete=models.CASCADE,
        related_name="acceptance",
        verbose_name=_("project"),
    )
    machines_achieved = models.PositiveIntegerField(_("machines achieved"), default=0)
    trainees_achieved = models.PositiveIntegerField(_("trainees achieved"), default=0)
    products_achieved = models.PositiveIntegerField(_("products achieved"), default=0)
    jobs_after = models.PositiveIntegerField(_("jobs after"), null=True, blank=True)
    revenue_after = _amount(_("yearly revenue after (đồng)"), null=True, blank=True)
    productivity_after = models.DecimalField(
        _("productivity after"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    energy_after_kwh = models.DecimalField(
        _("energy use after (kWh/year)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    # The beneficiary's own money actually put in, per source, against the
    # plan on the project (Project.counterpart, Project.other_sources). Empty
    # on acceptances recorded before these were asked for: unknown, not zero.
    counterpart_contributed = _amount(
        _("counterpart funds contributed (đồng)"), null=True, blank=True
    )
    other_sources_contributed = _amount(
        _("other sources contributed (đồng)"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")

    def __str__(self) -> str:
        return f"{self.project_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            refuse_if_frozen(lock_project(self.project_id))
            super().save(*args, **kwargs)

    @classmethod
    def of(cls, project: Project) -> Acceptance:
        """The project's acceptance record, or a new one to store."""
        return cls.objects.filter(project=project).first() or cls(project=project)

    def store(self, *, by: Any, outputs: dict[str, Any] | None = None) -> Acceptance:
        """The one way the portal writes an acceptance record: the given
        outputs (of OUTPUT_FIELDS) set, then saved under the project's guard.
        The `accept` transition calls it, so an accepted project has one."""
        outputs = outputs or {}
        unknown = set(outputs) - set(self.OUTPUT_FIELDS)
        if unknown:
            raise Refused(gettext("Unknown acceptance fields: %(f)s") % {"f": unknown})
        for field, value in outputs.items():
            setattr(self, field, value)
        self.recorded_by_id = self.recorded_by_id or by.pk
        self._history_user = by
        self.save()
        # The dashboard's impact card reads the results from the year totals.
        refresh_year_totals([self.project_id])
        return self

    OUTPUT_FIELDS = (
        "machines_achieved",
        "trainees_achieved",
        "products_achieved",
        "jobs_after",
        "revenue_after",
        "productivity_after",
        "energy_after_kwh",
        "lessons_learned",
        "counterpart_contributed",
        "other_sources_contributed",
    )
    CONTRIBUTED_FIELDS = ("counterpart_contributed", "other_sources_contributed")

    def contributions_against_plan(self) -> list[tuple[str, int, int | None]]:
        """(source, planned, contributed) for the beneficiary's own money;
        contributed is None where it was not recorded."""
        p = self.project
        return [
            (gettext("Counterpart funds"), p.counterpart, self.counterpart_contributed),
            (gettext("Other sources"), p.other_sources, self.other_sources_contributed),
        ]

    def outputs_against_targets(self) -> list[tuple[str, int, int]]:
        p = self.project
        return [
            (gettext("Machines"), p.target_machines, self.machines_achieved),
            (gettext("Trainees"), p.target_trainees, self.trainees_achieved),
            (gettext("Products"), p.target_products, self.products_achieved),
        ]
