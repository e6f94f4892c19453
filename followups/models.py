"""The follow-up a supported establishment reports some time after its
project was settled (theo dõi sau hỗ trợ): are the machines still in use,
how many jobs, what revenue, products and energy, with remarks and photos.

One FollowUp per (settled project, beneficiary), opened by the daily task
(followups.services.followup_open_due) once the interval of the rule valid
on the settlement date has passed; its state is computed: done once filled,
overdue when its due date has passed, open otherwise. The baseline (the
project's proposal) and the acceptance figures stay on the project
(Project.baseline_*, project.acceptance): reports read them from there.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enterprises.models import Establishment
from enterprises.money import MoneyField
from projects.models import EquipmentInvestment, Project
from projects.models.photos import PHOTO_EXTENSIONS, validate_photo_size

# When no rule row exists (the default; the centre's own choice, not a
# legal figure): 12 months after settlement, a month to answer, a reminder
# every two weeks until done.
DEFAULT_MONTHS = 12
DEFAULT_DAYS_TO_ANSWER = 30
DEFAULT_REMIND_EVERY_DAYS = 14


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class FollowUpRuleQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> FollowUpRuleQuerySet:
        return self.filter(valid_from__lte=day).order_by("-valid_from", "-pk")


class FollowUpRule(models.Model):
    """When follow-ups open and how often their reminders go: dated rows an
    administrator edits; a project follows the row valid on its settlement
    date (the defaults above when there is none)."""

    months_after_settlement = models.PositiveSmallIntegerField(
        _("months after settlement"),
        default=DEFAULT_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    days_to_answer = models.PositiveSmallIntegerField(
        _("days to answer"),
        default=DEFAULT_DAYS_TO_ANSWER,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    remind_every_days = models.PositiveSmallIntegerField(
        _("remind every (days)"),
        default=DEFAULT_REMIND_EVERY_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    valid_from = models.DateField(_("valid from"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = FollowUpRuleQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("follow-up rule")
        verbose_name_plural = _("follow-up rules")

    def __str__(self) -> str:
        return f"{self.months_after_settlement} — {self.valid_from:%d/%m/%Y}"

    @classmethod
    def on(cls, day: dt.date, rules: list[FollowUpRule] | None = None) -> FollowUpRule:
        """The rule valid on `day`, or the defaults (unsaved); from `rules`
        (every row, as loaded once by a run) without a query."""
        if rules is None:
            return cls.objects.valid_on(day).first() or cls(valid_from=day)
        valid = [r for r in rules if r.valid_from <= day]
        return max(valid, key=lambda r: (r.valid_from, r.pk), default=None) or cls(
            valid_from=day
        )


class FilledBy(models.TextChoices):
    APPLICANT = "applicant", _("The establishment, online")
    VISIT = "visit", _("The centre's staff, from a visit")


class FollowUpState(models.TextChoices):
    OPEN = "open", pgettext_lazy("follow-up state", "Open")
    OVERDUE = "overdue", _("Overdue")
    DONE = "done", _("Done")


class FollowUpQuerySet(models.QuerySet):
    def done(self) -> FollowUpQuerySet:
        return self.filter(done_at__isnull=False)

    def not_done(self) -> FollowUpQuerySet:
        return self.filter(done_at__isnull=True)

    def overdue(self, today: dt.date | None = None) -> FollowUpQuerySet:
        return self.not_done().filter(due_on__lt=today or timezone.localdate())

    def in_state(self, state: str, today: dt.date | None = None) -> FollowUpQuerySet:
        today = today or timezone.localdate()
        if state == FollowUpState.DONE:
            return self.done()
        if state == FollowUpState.OVERDUE:
            return self.overdue(today)
        if state == FollowUpState.OPEN:
            return self.not_done().filter(due_on__gte=today)
        return self

    def state_counts(self, today: dt.date) -> dict[str, int]:
        """How many are in each state, in one query."""
        open_ = Q(done_at__isnull=True, due_on__gte=today)
        overdue = Q(done_at__isnull=True, due_on__lt=today)
        return self.aggregate(
            **{
                FollowUpState.OPEN: models.Count("pk", filter=open_),
                FollowUpState.OVERDUE: models.Count("pk", filter=overdue),
                FollowUpState.DONE: models.Count("pk", filter=Q(done_at__isnull=False)),
            }
        )

    def of_user(self, user: Any) -> FollowUpQuerySet:
        """Those of the establishment the applicant's verified account is
        bound to; nothing for anyone else."""
        link = getattr(user, "applicant_link", None)
        if link is None or not link.establishment_id or not link.verified_at:
            return self.none()
        return self.filter(establishment_id=link.establishment_id)


class FollowUp(models.Model):
    """One supported establishment's report on one settled project."""

    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("project"),
    )
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("establishment"),
    )
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("due by"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    filled_by = models.CharField(
        _("filled by"), max_length=10, choices=FilledBy.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    visit_date = models.DateField(_("visit date"), null=True, blank=True)
    # The figures; empty while not reported (unknown, not zero).
    jobs = models.PositiveIntegerField(_("jobs now"), null=True, blank=True)
    revenue = MoneyField(
        _("revenue of the last 12 months (đồng)"), null=True, blank=True
    )
    products = models.PositiveIntegerField(
        _("products made in the last 12 months"), null=True, blank=True
    )
    energy_kwh = models.DecimalField(
        _("energy use now (kWh/year)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    remarks = models.TextField(_("remarks"), blank=True)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            # The daily task may run twice (or twice at once): one follow-up
            # per project and beneficiary, whatever happens.
            models.UniqueConstraint(
                fields=["project", "establishment"],
                name="followup_once_per_project_establishment",
            ),
            models.CheckConstraint(
                condition=Q(revenue__isnull=True) | Q(revenue__gte=0),
                name="followup_revenue_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["done_at", "due_on"], name="followup_state_idx")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} — {self.establishment}"

    def get_absolute_url(self) -> str:
        return reverse("followups:record", args=[self.pk])

    def state(self, today: dt.date | None = None) -> str:
        if self.done_at:
            return FollowUpState.DONE
        if self.due_on < (today or timezone.localdate()):
            return FollowUpState.OVERDUE
        return FollowUpState.OPEN

    @property
    def state_label(self) -> str:
        return str(FollowUpState(self.state()).label)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class FollowUpEquipment(models.Model):
    """One supported machine of the project and establishment: still in use?"""

    followup = models.ForeignKey(
        FollowUp,
        on_delete=models.CASCADE,
        related_name="equipment",
        verbose_name=_("follow-up"),
    )
    equipment = models.ForeignKey(
        EquipmentInvestment,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("equipment"),
    )
    in_use = models.BooleanField(_("still in use"), null=True)
    remark = models.CharField(_("remark"), max_length=255, blank=True)

    class Meta:
        ordering = ["equipment_id"]
        verbose_name = _("equipment checked")
        verbose_name_plural = _("equipment checked")
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "equipment"], name="followup_equipment_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.equipment)


def _photo_path(photo: FollowUpPhoto, filename: str) -> str:
    # As for execution photos: a random name, served only through a view.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"followups/{photo.followup_id}/{uuid.uuid4().hex}.{extension}"


class FollowUpPhoto(models.Model):
    """A photo sent with the follow-up, checked as the staff's photos are."""

    followup = models.ForeignKey(
        FollowUp,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("follow-up"),
    )
    image = models.ImageField(
        _("photo"),
        upload_to=_photo_path,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS), validate_photo_size],
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("follow-up photo")
        verbose_name_plural = _("follow-up photos")

    def __str__(self) -> str:
        return self.image.name
