"""The list pages' shared parts: the select without templates, the capped count."""

from __future__ import annotations

import pytest
from django import forms
from django.test import RequestFactory
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BaseCSVWidget

from enterprises.filters import EstablishmentFilter
from enterprises.listing import FastSelect
from enterprises.models import Establishment, Sector
from projects.filters import ProjectFilter
from projects.models import Project


def as_django_select(widget: forms.Select) -> forms.Select:
    """The same widget as Django's own Select (CSV variant included)."""
    plain = forms.Select
    if isinstance(widget, BaseCSVWidget):
        plain = type("CSVSelect", (BaseCSVWidget, forms.Select), {})
    copy = plain(attrs=dict(widget.attrs))
    copy.choices = widget.choices
    return copy


@pytest.mark.parametrize(
    "value", [None, "", 1, "1", "2", ["1", "2"], "<b>", "&amp;", "missing"]
)
def test_the_fast_select_writes_what_djangos_select_writes(value):
    choices = [
        ("", "---------"),
        (1, "một & hai"),
        ("2", _("Yes")),
        ("<b>", "<i>x</i>"),
        ("&amp;", "a\"b'c"),
        (None, "none"),
        ("1", "duplicate value"),
    ]
    attrs = {"class": 'form-select "x"', "data-n": 3, "hidden": True, "off": False}
    fast = FastSelect(attrs=attrs, choices=choices)
    plain = forms.Select(attrs=attrs, choices=choices)
    extra = {"id": "id_f", "required": True}
    assert fast.render("f", value, extra) == plain.render("f", value, extra)


def test_option_groups_fall_back_to_the_templates():
    choices = [("", "—"), ("Nhóm", [("a", "A"), ("b", "B")])]
    fast = FastSelect(choices=choices)
    assert fast.render("g", "b") == forms.Select(choices=choices).render("g", "b")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filterset", "model", "data"),
    [
        (ProjectFilter, Project, {}),
        (ProjectFilter, Project, {"status": "draft", "source": "KCDP", "commune": 0}),
        (EstablishmentFilter, Establishment, {}),
        (
            EstablishmentFilter,
            Establishment,
            {"kind": "cooperative", "order": "-workers", "women_owned": "true"},
        ),
    ],
)
def test_the_filter_forms_render_as_with_djangos_widgets(filterset, model, data, staff):
    Sector.objects.get_or_create(code="MT", defaults={"name": "Mây tre đan"})
    request = RequestFactory().get("/", data)
    request.user = staff
    form = filterset(data or None, queryset=model.objects.all(), request=request).form
    if data.get("commune") == 0:
        data["commune"] = form.fields["commune"].queryset.first().pk
        form = filterset(data, queryset=model.objects.all(), request=request).form
    selects = [b for b in form if isinstance(b.field.widget, forms.Select)]
    assert selects
    for bound in selects:
        assert isinstance(bound.field.widget, FastSelect), bound.name
        fast = str(bound)
        bound.field.widget = as_django_select(bound.field.widget)
        assert str(form[bound.name]) == fast, bound.name
    if "commune" in data:
        assert f'value="{data["commune"]}" selected' in str(form["commune"])
