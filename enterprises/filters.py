"""The establishment list's filters and sorting (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .listing import (
    FastSelect,
    NameChoiceIterator,
    PlainChoiceIterator,
    read_choices_with,
)
from .models import Commune, Establishment, EstablishmentKind, Region, Sector

# A search with more matches than the list counts (listing.COUNT_CAP), in no
# order chosen by the user, is listed newest registration first (views._listed).
BROAD_SEARCH_ORDER = ("-pk",)
BROAD_SEARCH_ORDER_CHOICE = "-created"

YES_NO = [("true", _("Yes")), ("false", _("No"))]


def home_communes(request: HttpRequest | None) -> QuerySet[Commune]:
    # Only the home province's communes (166 for Thanh Hóa): a select over all
    # 3,321 communes of the country would weigh down every list page.
    return (
        Commune.objects.in_province(settings.HOME_PROVINCE_CODE)
        .order_by("name")
        .only("code", "name")
    )


class EstablishmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", help_text=""
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=EstablishmentKind.choices,
        empty_label=_("All kinds"),
        widget=FastSelect,
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"),
        field_name="sectors",
        queryset=Sector.objects.all(),
        empty_label=_("All sectors"),
        widget=FastSelect,
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune / ward"),
        queryset=home_communes,
        empty_label=_("All communes"),
        widget=FastSelect,
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"),
        field_name="commune__region",
        choices=Region.choices,
        empty_label=_("All regions"),
        widget=FastSelect,
    )
    women_owned = django_filters.ChoiceFilter(
        label=_("Women-owned"),
        choices=YES_NO,
        method="filter_yes_no",
        empty_label=_("All"),
        widget=FastSelect,
    )
    supported = django_filters.ChoiceFilter(
        label=_("Supported"),
        choices=YES_NO,
        method="filter_supported",
        empty_label=_("All"),
        widget=FastSelect,
    )
    is_active = django_filters.ChoiceFilter(
        label=_("Active"),
        choices=YES_NO,
        method="filter_yes_no",
        empty_label=_("All"),
        widget=FastSelect,
    )
    order = django_filters.OrderingFilter(
        label=_("Sort by"),
        # No blank choice: the first one is what an unsorted list shows anyway.
        empty_label=None,
        widget=FastSelect,
        fields=[
            ("name", "name"),
            ("commune__name", "commune"),
            ("workers_total", "workers"),
            # Registration order is the primary key's (created_at is stamped
            # at the same insert): an index walk, not a sort of the registry.
            ("pk", "created"),
            ("tax_code", "tax_code"),
        ],
        # Every label spelled out: django-filter's "(descending)" suffix has no
        # Vietnamese translation and reads poorly next to numbers and dates.
        field_labels={
            "name": _("Name (A–Z)"),
            "-name": _("Name (Z–A)"),
            "commune__name": _("Commune / ward (A–Z)"),
            "-commune": _("Commune / ward (Z–A)"),
            "workers_total": _("Workers (fewest first)"),
            "-workers": _("Workers (most first)"),
            "pk": _("Registered (oldest first)"),
            "-created": _("Registered (newest first)"),
            "tax_code": _("Tax code (ascending)"),
            "-tax_code": _("Tax code (descending)"),
        },
    )

    class Meta:
        model = Establishment
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")
        # str(commune) names its province: one query per option. By name,
        # read as (pk, name) rows: no Commune per option.
        self.form.fields["commune"].label_from_instance = lambda c: c.name
        read_choices_with(self.form.fields["commune"], NameChoiceIterator)
        read_choices_with(self.form.fields["sector"], PlainChoiceIterator)

    def filter_search(
        self, queryset: QuerySet[Establishment], name: str, value: str
    ) -> QuerySet[Establishment]:
        return queryset.search(value)

    def filter_supported(
        self, queryset: QuerySet[Establishment], name: str, value: str
    ) -> QuerySet[Establishment]:
        return queryset.supported(value == "true")

    def filter_yes_no(
        self, queryset: QuerySet[Establishment], name: str, value: str
    ) -> QuerySet[Establishment]:
        return queryset.filter(**{name: value == "true"})

    @property
    def qs(self) -> QuerySet[Establishment]:
        # Two establishments may share a name: the pk tie-break keeps pages
        # from skipping or repeating rows.
        queryset = super().qs
        ordering = list(queryset.query.order_by) or ["name"]
        if ordering[-1] not in ("pk", "-pk"):
            ordering.append("pk")
        return queryset.order_by(*ordering)
