"""Filters of the public page (django-filter): year, source, content, commune,
region and a search; a filter on a withheld field never finds the project."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from enterprises.listing import (
    FastSelect,
    NameChoiceIterator,
    PlainChoiceIterator,
    read_choices_with,
)
from enterprises.models import Commune, Region
from projects.models import ActivityContent, ProjectFunding, Source

from .models import WithheldField
from .publication import public_search, without_withheld


def _communes(request) -> QuerySet[Commune]:
    return (
        Commune.objects.in_province(settings.HOME_PROVINCE_CODE)
        .order_by("name")
        .only("code", "name")
    )


class CommuneNameChoice(forms.ModelChoiceField):
    # The label is the name: (pk, name) rows, no Commune per option.
    iterator = NameChoiceIterator

    def label_from_instance(self, obj: Commune) -> str:
        return obj.name


class PublicFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    year = django_filters.NumberFilter(
        label=_("Plan year"), field_name="plan__year", method="funded_by"
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"),
        choices=Source.choices,
        field_name="source",
        method="funded_by",
        empty_label=_("Both sources"),
        widget=FastSelect,
    )
    content = django_filters.ModelChoiceFilter(
        label=_("Activity content"),
        queryset=ActivityContent.objects.order_by("code"),
        empty_label=_("All contents"),
        widget=FastSelect,
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune / ward"),
        queryset=_communes,
        method="in_commune",
        empty_label=_("All communes"),
        widget=FastSelect,
    )
    commune.field_class = CommuneNameChoice
    region = django_filters.ChoiceFilter(
        label=_("Region"),
        choices=Region.choices,
        method="in_region",
        empty_label=_("All regions"),
        widget=FastSelect,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # One plain fetch for the contents (no server-side cursor's three
        # round trips); the selects are written by Python (FastSelect).
        read_choices_with(self.form.fields["content"], PlainChoiceIterator)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else ""
            field.widget.attrs["class"] = css or "form-control"
        self.form.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})

    def funded_by(self, queryset, name: str, value):
        rows = ProjectFunding.objects.filter(project=OuterRef("pk"), **{name: value})
        return queryset.filter(Exists(rows))

    def filter_search(self, queryset, name: str, value: str):
        return public_search(queryset, value)

    def in_commune(self, queryset, name: str, value):
        return without_withheld(queryset, WithheldField.COMMUNE).filter(commune=value)

    def in_region(self, queryset, name: str, value: str):
        return without_withheld(queryset, WithheldField.COMMUNE).filter(
            commune__region=value
        )
