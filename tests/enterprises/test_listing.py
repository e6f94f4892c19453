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


# The establishment table's rows as the template wrote them before
# enterprises.views.establishment_rows wrote their HTML.
TEMPLATE_ROWS = """{% load i18n kc %}{% for e in rows %}
    <tr{% if not e.is_active %} class="text-muted"{% endif %}>
      <td><a href="{% url 'enterprises:establishment_detail' e.pk %}">{{ e.name }}</a>{% if not e.is_active %} <span class="badge text-bg-secondary">{% translate "inactive" %}</span>{% endif %}</td>
      <td>{{ e.get_kind_display }}</td>
      <td>{{ e.tax_code|default:"—" }}</td>
      <td>{{ e.representative_name }}</td>
      <td>{{ e.commune.name }}</td>
      <td>{% for s in e.sectors.all %}{{ s.name }}{% if not forloop.last %}; {% endif %}{% empty %}—{% endfor %}</td>
      <td class="num">{{ e.workers_total|num }}</td>
      <td>{% if e.women_owned %}{% translate "Yes" %}{% endif %}</td>
    </tr>
    {% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_establishment_rows_are_the_html_the_template_wrote(
    as_user, staff, language
):
    from django.template import Context, Template
    from django.urls import reverse
    from django.utils import translation

    from enterprises.models import EstablishmentKind
    from tests.factories import EstablishmentFactory

    weaving, _ = Sector.objects.get_or_create(code="MT", defaults={"name": "Mây tre"})
    food, _ = Sector.objects.get_or_create(
        code="TP", defaults={"name": 'Thực phẩm <chế biến> & "đóng gói"'}
    )
    EstablishmentFactory(
        name='Cơ sở <b>"A" & B\'s</b>',
        is_active=False,
        tax_code="",
        workers_total=12345,
        women_owned=True,
        kind=EstablishmentKind.HOUSEHOLD,
    )
    EstablishmentFactory(sectors=[weaving, food], workers_total=0)
    EstablishmentFactory(sectors=[weaving], representative_name="Đỗ <Thị> Hoa")
    client = as_user(staff)
    client.cookies["django_language"] = language
    response = client.get(reverse("enterprises:establishment_list"))
    page = response.context["page"]
    with translation.override(language):
        written = Template(TEMPLATE_ROWS).render(
            Context({"rows": list(page.object_list)})
        )
    assert "".join(response.context["rows"]) == written
    assert written.count("<tr") == 3
    assert "&lt;b&gt;&quot;A&quot; &amp; B&#x27;s&lt;/b&gt;" in written
    assert "12.345" in written or "12,345" in written
