"""Formatting filters used by every template: money, numbers, percentages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(value: int | Decimal | None) -> str:
    """Whole đồng with dot grouping: 1350000000 -> '1.350.000.000 đ'."""
    if value is None or value == "":
        return "—"
    return f"{number_format(int(value), force_grouping=True)} đ"


@register.filter
def num(value: int | Decimal | None, digits: int = 0) -> str:
    """A grouped number in the active locale; '—' for nothing."""
    if value is None or value == "":
        return "—"
    return number_format(value, decimal_pos=digits, force_grouping=True)


@register.filter
def days_before(earlier: dt.date | None, later: dt.date | None) -> int | None:
    """Whole days from `earlier` to `later` ("1 week, 6 days" said as 13)."""
    if earlier is None or later is None:
        return None
    return (later - earlier).days


@register.filter
def percent(value: Decimal | float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{number_format(value, decimal_pos=digits, force_grouping=True)} %"
