"""Dashboard, coverage and warnings.

Who may open what (enterprises.policy):
- dashboard and coverage: managers, administrators and the Sở's reviewers
  (read-only pages: the reports are for the Sở);
- warnings: the same and centre staff;
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.policy import require
from projects.forms.fields import SourceField
from projects.models import source_short

from . import board as dash
from . import coverage as cov
from . import warnings as warn
from .charts import SERIES_COLOURS, bar_chart, column_chart, tile_group

# --- dashboard --------------------------------------------------------------------


class DashboardForm(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    source = SourceField(
        label=gettext_lazy("Source"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, data, *, years: list[int], today_year: int) -> None:
        if today_year not in years:
            years = sorted({*years, today_year}, reverse=True)
        if data is not None and data.get("year") not in {str(y) for y in years}:
            # Missing or unknown: the page shows this year, and so must the select.
            data = data.copy()
            data["year"] = str(today_year)
        super().__init__(data, initial={"year": today_year})
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.default_year = today_year

    def scope(self) -> dash.Scope:
        # A bad value falls back to its default without losing the other one.
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return dash.Scope(data.get("year") or self.default_year, data.get("source", ""))


def _charts(board: dash.Dashboard) -> dict:
    budget = []
    for row in board.budget:
        # The short code (KCQG, KCĐP) keeps the chart's labels readable.
        name = _("Total") if row.key == "total" else source_short(row.key)
        budget += [
            (_("%(source)s: allocated") % {"source": name}, row.allocated, "kc-bar-1"),
            (_("%(source)s: approved") % {"source": name}, row.approved, "kc-bar-2"),
            (_("%(source)s: disbursed") % {"source": name}, row.disbursed, "kc-bar-3"),
        ]
    return {
        **_trend_charts(board),
        "status": bar_chart(
            _("Projects by status"),
            [
                (r.label, r.count, f"kc-bar-status kc-status-{r.status}")
                for r in board.statuses
            ],
        ),
        "budget": bar_chart(_("Allocated, approved and disbursed"), budget, money=True),
        "contents": bar_chart(
            _("Approved support by activity content"),
            [(r.label, r.approved, "kc-bar-2") for r in board.contents],
            money=True,
        ),
        "regions": bar_chart(
            _("Approved support by region"),
            [(r.label, r.approved, "kc-bar-2") for r in board.regions],
            money=True,
        ),
    }


def _trend_charts(board: dash.Dashboard) -> dict:
    money = board.money_trend
    years = [str(y) for y in money.years]
    money_charts = []
    for source, per_year in money.by_source.items():
        rows = list(per_year.values())
        money_charts.append(
            column_chart(
                _("%(source)s: allocated, approved and disbursed by year")
                % {"source": source_short(source)},
                years,
                [
                    (_("Allocated"), "kc-bar-1", [r.allocated for r in rows]),
                    (_("Approved"), "kc-bar-2", [r.approved for r in rows]),
                    (_("Disbursed"), "kc-bar-3", [r.disbursed for r in rows]),
                ],
                money=True,
            )
        )
    contents = board.content_trend
    content_chart = column_chart(
        _("Approved projects by year and activity content"),
        [str(y) for y in contents.years],
        [
            (
                label,
                f"kc-series-{i % SERIES_COLOURS}",
                [contents.count(year, code) for year in contents.years],
            )
            for i, (code, label) in enumerate(contents.contents)
        ],
        stacked=True,
    )
    return {"money_trends": money_charts, "content_trend": content_chart}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request.user, "view_dashboard")
    today = timezone.localdate()
    form = DashboardForm(
        request.GET or None, years=dash.plan_years(), today_year=today.year
    )
    board = dash.cached_dashboard(
        form.scope(), refresh=request.GET.get("refresh") == "1"
    )
    refresh = {"year": board.scope.year, "refresh": 1}
    if board.scope.source:
        refresh["source"] = board.scope.source
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "board": board,
            "charts": _charts(board),
            "refresh_query": urlencode(refresh),
        },
    )


# --- coverage -----------------------------------------------------------------------


class CoverageForm(forms.Form):
    years = forms.IntegerField(
        label=gettext_lazy("No support in the last N years"),
        min_value=1,
        max_value=30,
        required=False,
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[
            (f"{sign}{key}", key) for key in cov.COVERAGE_SORTS for sign in ("", "-")
        ],
        widget=forms.HiddenInput,
    )


def _tile_levels(rows: list[cov.CoverageRow]) -> dict[int, int]:
    """0: no establishment, 1: establishments but no support, 2-4: thirds of
    support per establishment among supported communes."""
    values = sorted(r.per_establishment for r in rows if r.per_establishment)
    cuts = [values[len(values) // 3], values[(2 * len(values)) // 3]] if values else []
    levels = {}
    for row in rows:
        if not row.registered:
            levels[row.code] = 0
        elif not row.per_establishment:
            levels[row.code] = 1
        else:
            levels[row.code] = 2 + sum(row.per_establishment >= c for c in cuts)
    return levels


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    require(request.user, "view_dashboard")
    form = CoverageForm(request.GET)
    # A bad value falls back to its default without losing the other one.
    form.is_valid()
    years = form.cleaned_data.get("years") or settings.KC_COVERAGE_DEFAULT_YEARS
    sort = form.cleaned_data.get("sort") or "name"
    today = timezone.localdate()
    rows = cov.coverage(today=today, years=years, sort=sort)
    regions = cov.coverage_by_region(rows)
    levels = _tile_levels(rows)
    tiles = [
        tile_group(
            group.label,
            [
                (
                    row.name,
                    _("%(registered)s registered, %(supported)s supported")
                    % {"registered": row.registered, "supported": row.supported},
                    levels[row.code],
                )
                for row in group.tiles
            ],
        )
        for group in regions
    ]
    return render(
        request,
        "dashboard/coverage.html",
        {
            "form": form,
            "rows": rows,
            "unsupported": [r for r in rows if r.unsupported],
            "regions": regions,
            "tiles": tiles,
            "years": years,
            "since": cov.coverage_since(today, years),
            "sort": sort,
        },
    )


# --- warnings ------------------------------------------------------------------------


@login_required
def warnings(request: HttpRequest) -> HttpResponse:
    require(request.user, "view_warnings")
    today = timezone.localdate()
    return render(
        request,
        "dashboard/warnings.html",
        {
            "warnings": warn.warnings(today),
            "checkpoints": settings.KC_DISBURSEMENT_CHECKPOINTS,
            "risk_percent": settings.KC_BUDGET_RISK_PERCENT,
            "required_now": warn.required_paid_percent(today.year, today),
        },
    )
