"""The approval route each funding source prescribes, as dated data.

A route lists the review steps a project of its source takes between its
submission and its approval (local: the Sở receives it, the appraisal council
scores it, the Sở appraises it, the authority the province sets decides;
national: the Sở proposes it, the ministry appraises and decides), the role
that acts at each step and the body that acts or issues the step's document.
The administrator edits routes in the admin; a new version (a later
`valid_from`) changes the projects submitted from that day on: a project is
pinned to the route in force on its submission day (`Project.route`).

The lifecycle table (projects/lifecycle.py) keeps each step's code (form,
service, source and target states); the route decides which of its review
steps a project takes, who takes them and which body decides.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.roles import Role

from .choices import Source
from .decisions import IssuingAuthority


def steps_with_bodies() -> models.Prefetch:
    """A route's steps with their acting bodies, in one query."""
    return models.Prefetch(
        "steps", queryset=RouteStep.objects.select_related("authority")
    )


class Route(models.Model):
    """One version of a funding source's approval route."""

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    valid_from = models.DateField(_("valid from"))
    name = models.CharField(_("name"), max_length=200)
    # The body whose decision approves the project (UBND tỉnh by default for
    # local projects, the Sở where the province delegates; the ministry for
    # national ones).
    authority = models.ForeignKey(
        IssuingAuthority,
        on_delete=models.PROTECT,
        related_name="routes",
        verbose_name=_("deciding authority"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["source", "-valid_from"]
        verbose_name = _("approval route")
        verbose_name_plural = _("approval routes")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "valid_from"], name="route_one_per_source_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_source_display()})"

    @classmethod
    def in_force(cls, source: str, day: dt.date) -> Route | None:
        """The version of `source`'s route valid on `day`."""
        return (
            cls.objects.filter(source=source, valid_from__lte=day)
            .select_related("authority")
            .prefetch_related(steps_with_bodies())
            .order_by("-valid_from")
            .first()
        )

    def step(self, action: str) -> RouteStep | None:
        for row in self.steps.all():
            if row.action == action:
                return row
        return None


class RouteStep(models.Model):
    """A review step of a route: the lifecycle action, who takes it and the
    body acting (or issuing its document)."""

    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="steps", verbose_name=_("route")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    action = models.CharField(_("step"), max_length=30)
    role = models.CharField(_("role that acts"), max_length=20, choices=Role.choices)
    authority = models.ForeignKey(
        IssuingAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acting body"),
        help_text=_("Empty for the decision step: the route's deciding authority."),
    )

    class Meta:
        ordering = ["route", "order"]
        verbose_name = _("route step")
        verbose_name_plural = _("route steps")
        constraints = [
            models.UniqueConstraint(
                fields=["route", "action"], name="route_step_once_per_route"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.action}"

    @property
    def body(self) -> IssuingAuthority:
        """The body acting at this step (the decision step: the route's)."""
        return self.authority or self.route.authority

    def clean(self) -> None:
        from ..lifecycle import ROUTED_ACTIONS

        if self.action not in ROUTED_ACTIONS:
            raise ValidationError(
                {
                    "action": _("Choose one of the review steps: %(a)s.")
                    % {"a": ", ".join(ROUTED_ACTIONS)}
                }
            )
