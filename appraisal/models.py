"""The appraisal council (hội đồng thẩm định / xét chọn) of local projects.

Criteria are dated data: a set (valid from a date, with the threshold a
project's total must reach to be recommended) and its rows, each with a
maximum score and the basis it rests on. A council pins the set current on
the day it is created, so editing the criteria later never changes a session
already held.

A council scores one or several projects the Sở has received. Its members
(users of the portal, or outsiders named with their organisation, whose paper
forms the secretary types in) each fill one score sheet per project: a score
per criterion and an opinion. Once the secretary closes the session the sheets
are locked: every write to them is refused here, whatever page or script
tries it.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.policy import can
from projects.models import Project, Refused

TENTH = Decimal("0.1")
UNVERIFIED = "Quy định nội bộ của Trung tâm — chưa xác minh"


def one_decimal(value: Decimal) -> Decimal:
    """Scores and totals are shown to one decimal, rounded half up."""
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


class CriteriaSetQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> CriteriaSet | None:
        """The set in force on `on` (today): the latest valid from then."""
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).order_by("-valid_from", "-pk").first()


class CriteriaSet(models.Model):
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    threshold = models.DecimalField(
        _("threshold for recommendation"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("A project whose total reaches this is recommended."),
    )
    basis = models.CharField(_("basis"), max_length=500, default=UNVERIFIED)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y})"

    @property
    def maximum(self) -> Decimal:
        return sum((c.max_score for c in self.criteria.all()), Decimal(0))


class Criterion(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("criteria set"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("criterion"), max_length=300)
    max_score = models.DecimalField(
        _("maximum score"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    basis = models.CharField(_("basis"), max_length=500, default=UNVERIFIED)

    class Meta:
        ordering = ["criteria_set", "order"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "order"], name="criterion_order_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class CouncilQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> CouncilQuerySet:
        """Reviewers see every council; anyone else only those they sit on."""
        if can(user, "run_councils"):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(members__user=user).distinct()


class Council(models.Model):
    name = models.CharField(_("council"), max_length=300)
    # The decision establishing the council, as written on it (free text: the
    # portal does not number other bodies' decisions).
    established_by = models.CharField(
        _("established by decision"), max_length=300, blank=True
    )
    meeting_date = models.DateField(_("meeting date"))
    criteria_set = models.ForeignKey(
        CriteriaSet,
        on_delete=models.PROTECT,
        related_name="councils",
        verbose_name=_("criteria set"),
    )
    projects = models.ManyToManyField(
        Project,
        through="CouncilProject",
        related_name="councils",
        verbose_name=_("projects"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    minutes_no = models.CharField(_("minutes number"), max_length=50, blank=True)
    minutes_date = models.DateField(_("minutes date"), null=True, blank=True)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting_date", "-pk"]
        verbose_name = _("appraisal council")
        verbose_name_plural = _("appraisal councils")

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def refuse_if_closed(self) -> None:
        # Read from the database: an instance loaded before the close must
        # not let a write through.
        closed = Council.objects.filter(pk=self.pk, closed_at__isnull=False)
        if self.is_closed or closed.exists():
            raise Refused(_("The council's session is closed: nothing can change."))

    @property
    def secretary(self) -> Member | None:
        return next(
            (m for m in self.members.all() if m.function == Function.SECRETARY), None
        )


class CouncilProject(models.Model):
    """A project on a council's agenda; its result is kept when it closes."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="agenda"
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="council_agenda"
    )
    total = models.DecimalField(
        _("total score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    recommended = models.BooleanField(_("recommended"), null=True, blank=True)

    class Meta:
        ordering = ["council", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "project"], name="council_project_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council} · {self.project.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self.council.refuse_if_closed()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self.council.refuse_if_closed()
        return super().delete(*args, **kwargs)


class Function(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    OPPONENT = "opponent", _("Reviewer (phản biện)")


class Member(models.Model):
    council = models.ForeignKey(
        Council,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("council"),
    )
    function = models.CharField(_("function"), max_length=12, choices=Function.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_seats",
        verbose_name=_("user"),
    )
    # An outsider has no account: named here, scored from the paper form.
    name = models.CharField(_("full name"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)

    class Meta:
        ordering = ["council", "pk"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user"],
                condition=Q(user__isnull=False),
                name="member_user_once_per_council",
            ),
            models.UniqueConstraint(
                fields=["council"],
                condition=Q(function="secretary"),
                name="member_one_secretary",
            ),
            models.UniqueConstraint(
                fields=["council"],
                condition=Q(function="chair"),
                name="member_one_chair",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""),
                name="member_user_or_name",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.council.refuse_if_closed()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self.council.refuse_if_closed()
        return super().delete(*args, **kwargs)

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.username
        return self.name


class ScoreSheet(models.Model):
    """One member's scores and opinion on one project."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="sheets")
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="score_sheets"
    )
    opinion = models.TextField(_("opinion"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), auto_now=True)

    class Meta:
        ordering = ["member", "project"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "project"], name="sheet_once_per_member_project"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.project.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.member.council.refuse_if_closed()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self.member.council.refuse_if_closed()
        return super().delete(*args, **kwargs)

    @property
    def total(self) -> Decimal:
        return sum((s.value for s in self.scores.all()), Decimal(0))


class Score(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        ordering = ["sheet", "criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "criterion"], name="score_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="score_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.order}: {self.value}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sheet.member.council.refuse_if_closed()
        if not Decimal(0) <= self.value <= self.criterion.max_score:
            raise Refused(_("A score must lie between 0 and the criterion's maximum."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self.sheet.member.council.refuse_if_closed()
        return super().delete(*args, **kwargs)
