from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.forms.fields import SourceField
from projects.models import Plan

from .exporters import available_kinds
from .models import MoneyUnit, ReportKind
from .periods import RANGE_SEPARATOR, Period


def kind_choices() -> list[tuple[str, str]]:
    return [(k, ReportKind(k).label) for k in available_kinds()]


def part_choices() -> list[tuple[str, Any]]:
    """The part of a year a period covers, as the "period" select offers it:
    the whole year, a half, a quarter or a month (the codes Period reads)."""
    return [
        ("", _("Whole year")),
        ("H1", _("First half")),
        ("H2", _("Second half")),
        *((f"Q{q}", _("Quarter %(n)s") % {"n": roman}) for q, roman in _ROMANS),
        *((f"{m:02d}", _("Month %(n)s") % {"n": m}) for m in range(1, 13)),
    ]


_ROMANS = ((1, "I"), (2, "II"), (3, "III"), (4, "IV"))
# Years offered besides the plans' ones: reports on the recent past.
RECENT_YEARS = 10


def year_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """The plans' years and the last ten years up to the next one, newest
    first, after an empty choice (the typed period is used then)."""
    today = today or timezone.localdate()
    years = set(Plan.objects.order_by().values_list("year", flat=True).distinct())
    years.update(range(today.year - RECENT_YEARS, today.year + 2))
    return [("", "—"), *((str(y), str(y)) for y in sorted(years, reverse=True))]


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "form-select"})


class ReportRequestForm(forms.Form):
    """The report, and its period chosen with selects — a year and a part of
    it (whole year, half, quarter, month), and for a range the year and part
    it ends with — or typed ("Quý 3/2018", "6 tháng đầu năm 2018", 2018-Q3,
    2017..2018-H1), which wins when both are given."""

    kind = forms.ChoiceField(label=_("Report"), choices=kind_choices, widget=_select())
    year = forms.ChoiceField(label=_("Year"), required=False, widget=_select())
    part = forms.ChoiceField(
        label=_("Part of the year"),
        required=False,
        choices=part_choices,
        widget=_select(),
    )
    to_year = forms.ChoiceField(
        label=_("Up to year (for a range)"), required=False, widget=_select()
    )
    to_part = forms.ChoiceField(
        label=_("Up to part of the year"),
        required=False,
        choices=part_choices,
        widget=_select(),
    )
    period = forms.CharField(
        label=_("Or type the period"),
        required=False,
        # Long enough for a range written in words.
        max_length=80,
        help_text=_(
            "E.g. Năm 2025, 6 tháng đầu năm 2025, Quý 3/2025, Tháng 7/2025, "
            "2025-Q3, or a range: 2024..2025-H1."
        ),
        widget=forms.TextInput(
            attrs={
                "placeholder": "Quý 3/2025",
                "autocomplete": "off",
                "class": "form-control",
            }
        ),
    )
    source = SourceField(label=_("Funding source"), widget=_select())
    unit = forms.ChoiceField(
        label=_("Unit of money"),
        choices=MoneyUnit.choices,
        initial=MoneyUnit.DONG,
        required=False,
        widget=_select(),
        help_text=_('Printed as "Đơn vị tính" above the table.'),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = year_choices()
        self.fields["year"].choices = years
        self.fields["to_year"].choices = years

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        typed = (data.get("period") or "").strip()
        if typed:
            field, text = "period", typed
        elif data.get("year"):
            text = _code(data["year"], data.get("part", ""))
            field = "year"
            if data.get("to_year"):
                last = _code(data["to_year"], data.get("to_part", ""))
                text, field = f"{text}{RANGE_SEPARATOR}{last}", "to_year"
        else:
            self.add_error("year", _("Choose a year, or type the period."))
            return data
        try:
            data["period"] = Period.parse(text).code
        except ValidationError as exc:
            self.add_error(field, exc.messages)
        return data


def _code(year: str, part: str) -> str:
    return f"{year}-{part}" if part else year
