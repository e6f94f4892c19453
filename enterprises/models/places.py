"""Provinces and communes (the official administrative units, with their region
and the legacy district)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DivisionType(models.TextChoices):
    PROVINCE = "tỉnh", _("Province")
    CENTRAL_CITY = "thành phố trung ương", _("Centrally-run city")
    COMMUNE = "xã", _("Commune")
    WARD = "phường", _("Ward")
    SPECIAL_ZONE = "đặc khu", _("Special zone")


class Region(models.TextChoices):
    MOUNTAIN = "mountain", _("Mountainous")
    LOWLAND = "lowland", _("Lowland")
    COASTAL = "coastal", _("Coastal")


# The key under which places without a region (no commune, or a commune
# without one) are counted together: the dashboard, coverage and the yearly
# summary group by it.
NO_REGION = "none"


def region_label(region: str) -> str:
    if region in Region.values:
        return str(Region(region).label)
    return gettext("Region not set")


class Province(models.Model):
    """A province or centrally-run city, with its official code."""

    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(
        _("division type"), max_length=30, choices=DivisionType.choices
    )
    codename = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name

    @property
    def is_central_city(self) -> bool:
        return self.division_type == DivisionType.CENTRAL_CITY


class CommuneQuerySet(models.QuerySet):
    def in_province(self, code: int) -> CommuneQuerySet:
        return self.filter(province_id=code)


class Commune(models.Model):
    """A commune, ward or special zone (official code since 1 July 2025)."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name=_("province"),
    )
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(
        _("division type"), max_length=30, choices=DivisionType.choices
    )
    codename = models.CharField(max_length=100)
    region = models.CharField(
        _("region"), max_length=10, choices=Region.choices, blank=True
    )
    legacy_urban_ward = models.BooleanField(
        _("was an urban ward before 1/7/2025"),
        default=False,
        help_text=_(
            "Tick when, before 1 July 2025, this unit was (or contained) a ward "
            "of a type-1 city not converted from a commune within five years: "
            "such wards were not eligible under Decree 45/2012."
        ),
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["province__name", "name"]
        verbose_name = _("commune / ward")
        verbose_name_plural = _("communes / wards")
        indexes = [
            models.Index(fields=["province", "name"], name="commune_province_name_idx")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.province.name}"
