"""Sectors (ngành nghề) and craft villages (làng nghề)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .places import Commune


class Sector(models.Model):
    """Trade of an establishment (ngành nghề): a reference table kept in admin."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class CraftVillage(models.Model):
    """A recognised craft village (làng nghề)."""

    name = models.CharField(_("name"), max_length=200)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="craft_villages",
        verbose_name=_("commune / ward"),
    )
    recognition = models.CharField(
        _("recognition decision"), max_length=200, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("craft village")
        verbose_name_plural = _("craft villages")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "name"], name="craft_village_unique_in_commune"
            )
        ]

    def __str__(self) -> str:
        return self.name
