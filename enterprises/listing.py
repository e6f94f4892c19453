"""What the list pages share (establishments here, projects in their app):
a select that renders without the template engine, choices read as plain
rows, and a paginator whose count stops at a cap (issue 8).

The apps depend on each other as enterprises <- projects <- reports, so the
projects list imports this module, never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.urls import reverse
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

# --- the filter form's selects ------------------------------------------------------


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html, in Python."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


class FastSelect(forms.Select):
    """forms.Select with the same HTML, written by Python instead of one
    template include per option: the filter forms' selects (166 communes and
    the reference lists) cost more than the table's 50 rows otherwise.

    Selection, attributes and labels follow ChoiceWidget.optgroups() and the
    templates' escaping; option groups, which the filters do not use, and
    subclasses with other templates go through the templates.
    tests/enterprises/test_listing.py compares the output with forms.Select's,
    byte for byte."""

    def render(self, name, value, attrs=None, renderer=None):
        cls = type(self)
        if (
            cls.template_name != forms.Select.template_name
            or cls.option_template_name != forms.Select.option_template_name
            or cls.option_inherits_attrs
        ):
            return super().render(name, value, attrs, renderer)
        # What ChoiceWidget.get_context and optgroups() give the templates.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        multiple = self.allow_multiple_selected
        if multiple:
            widget["attrs"]["multiple"] = True
        values = widget["value"]
        parts = [f'<select name="{conditional_escape(name)}"{_attrs(widget["attrs"])}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):  # an option group
                return super().render(name, value, attrs, renderer)
            if option_value is None:
                option_value = ""
            selected = (not has_selected or multiple) and str(option_value) in values
            has_selected |= selected
            label = conditional_escape(str(localize(option_label)))
            parts.append(
                f'\n  <option value="{conditional_escape(option_value)}"'
                f"{' selected' if selected else ''}>{label}</option>\n"
            )
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every part escaped above


class PlainChoiceIterator(ModelChoiceIterator):
    """A model choice field's options from one plain fetch of the queryset.

    ModelChoiceIterator reads through queryset.iterator(), which on
    PostgreSQL is a server-side cursor: DECLARE, FETCH and CLOSE, three round
    trips for a list of a dozen rows."""

    def __iter__(self):
        if getattr(self.field, "null_label", None) is not None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class NameChoiceIterator(ModelChoiceIterator):
    """A model choice field's options read as (pk, name) rows: no model
    instance per option. For fields whose label is the `name` column."""

    label_field = "name"

    def __iter__(self):
        if getattr(self.field, "null_label", None) is not None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list("pk", self.label_field)
        for pk, label in rows:
            yield (ModelChoiceIteratorValue(pk, None), label)


def read_choices_with(field: forms.ModelChoiceField, iterator: type) -> None:
    """Give a form's model choice field another iterator (its widget took
    the field's choices when the queryset was set)."""
    field.iterator = iterator
    field.widget.choices = field.choices


# --- the table's rows ----------------------------------------------------------------

# A pk no row has, to cut a detail URL into what comes before and after the
# pk: one reverse() per page instead of one per row.
_PK_MARK = 987654321


def detail_urls(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for every pk of a page, from one reverse():
    the lists write their rows in Python (projects.views.listing.list_rows,
    enterprises.views.establishment_rows)."""
    before, after = reverse(name, args=[_PK_MARK]).split(str(_PK_MARK))
    return lambda pk: f"{before}{pk}{after}"


# --- counting ---------------------------------------------------------------------

# A list that matches more than this many rows says "more than 10,000" instead
# of counting them all: counting stops at the cap, so its cost does not grow
# with the registry. Pages reach up to the cap. The lists that sum their rows
# anyway (the project list) count them with their totals instead; every other
# long list (the registry, the public page) counts up to the cap, filtered or
# not.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap` rows (None: an exact count).

    `count` is exact up to the cap; beyond it, it is the cap and `capped` is
    true, and the pages stop at the cap's last page (the template says "more
    than"). The count runs as SELECT COUNT(*) FROM (... LIMIT cap + 1): it
    reads at most cap + 1 matching rows, on PostgreSQL and SQLite alike."""

    def __init__(
        self, object_list: QuerySet, per_page: int, cap: int | None = COUNT_CAP
    ) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    # Set by the view when it listed a broad search in another order.
    reordered = False

    @cached_property
    def _counted(self) -> int:
        if self.cap is None:
            return self.object_list.count()
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return self._counted if self.cap is None else min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self.cap is not None and self._counted > self.cap
