"""Filters of the project list."""

from __future__ import annotations

import logging

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from enterprises.listing import (
    FastSelect,
    NameChoiceIterator,
    PlainChoiceIterator,
    read_choices_with,
)
from enterprises.text import search

from .dataversion import reference_version
from .forms.projects import CommuneChoiceField, home_communes
from .models import (
    ActivityContent,
    Programme,
    Project,
    ProjectFunding,
    ProjectQuerySet,
    Source,
    Status,
)

logger = logging.getLogger(__name__)


# Drawn selects: (reference version, language, name, value, attributes) ->
# HTML. Bounded: the values are few (the options' own), the keys are cleared
# when it fills.
_DRAWN: dict[tuple, str] = {}
_DRAWN_MAX = 512


class ReferenceSelect(FastSelect):
    """A filter select drawn once per process for each reference version
    (projects.dataversion: programmes, contents and communes move it),
    language, selected value and attributes — everything its HTML depends
    on, since its options are the same for every user. Only when the list
    cache is on (`version` is set by ProjectFilter); a cache miss draws it as
    FastSelect does, with the options' queries."""

    version: int | None = None

    def render(self, name, value, attrs=None, renderer=None):
        if self.version is None:
            return super().render(name, value, attrs, renderer)
        key = (
            self.version,
            get_language(),
            name,
            tuple(self.format_value(value)),
            repr(self.build_attrs(self.attrs, attrs)),
        )
        html = _DRAWN.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(_DRAWN) >= _DRAWN_MAX:
                _DRAWN.clear()
            _DRAWN[key] = html
        return html


class CommuneFilterField(CommuneChoiceField):
    # The label is the name: (pk, name) rows, no Commune per option.
    iterator = NameChoiceIterator


class CommuneFilter(django_filters.ModelChoiceFilter):
    field_class = CommuneFilterField


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Code or title"), method="search")
    # Through a funding row, tested with EXISTS rather than a join: a join
    # needs DISTINCT over every column, which sorts all the matching projects
    # before the first page can be cut (issue 8).
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        field_name="plan__programme",
        method="funded_under",
        widget=ReferenceSelect,
        empty_label=_("All programmes"),
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"),
        choices=Source.choices,
        field_name="source",
        method="funded_by",
        widget=ReferenceSelect,
        empty_label=_("Both sources"),
    )
    year = django_filters.NumberFilter(
        label=_("Plan year"), field_name="plan__year", method="funded_by"
    )
    content = django_filters.ModelChoiceFilter(
        label=_("Activity content"),
        queryset=ActivityContent.objects.all(),
        widget=ReferenceSelect,
        empty_label=_("All contents"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        widget=ReferenceSelect,
        empty_label=_("All statuses"),
    )
    # Only the home province's communes: the national list has 3,321.
    commune = CommuneFilter(
        label=_("Commune / ward"),
        queryset=lambda request: home_communes(),
        widget=ReferenceSelect,
        empty_label=_("All communes"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"),
        method="only_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("programme", "content"):
            read_choices_with(self.form.fields[name], PlainChoiceIterator)
        version = None
        if int(getattr(settings, "KC_LIST_CACHE_SECONDS", 0)) > 0:
            try:
                version = reference_version()
            except Exception:
                logger.warning("Filter cache unavailable", exc_info=True)
        for name, field in self.form.fields.items():
            if isinstance(field.widget, ReferenceSelect):
                field.widget.version = version
            if name == "overdue":
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
            else:
                field.widget.attrs["class"] = "form-control form-control-sm"

    def funded_by(self, queryset: ProjectQuerySet, name: str, value):
        """Projects with a funding row matching (each filter on its own row,
        as separate joins would)."""
        rows = ProjectFunding.objects.filter(project=OuterRef("pk"), **{name: value})
        return queryset.filter(Exists(rows))

    def funded_under(self, queryset: ProjectQuerySet, name: str, value: Programme):
        """`funded_by` for the programme: its hint tells the API schema what
        the value is (a programme, named by its id)."""
        return self.funded_by(queryset, name, value)

    def search(self, queryset: ProjectQuerySet, name: str, value: str):
        return search(queryset, value, "code", "title")

    def only_overdue(self, queryset: ProjectQuerySet, name: str, value: bool):
        return queryset.overdue() if value else queryset
