"""The dashboard's multi-year trends: the read-model's plan figures per year
and source (the budget page's numbers, year by year) and approved projects per
year and content, each chart from one grouped query."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from dashboard.board import Scope
from dashboard.trends import content_trend, money_trend
from projects.models import COMMITTED_STATUSES, Plan, Project, Source
from tests.builders import make_plan

# One dataset for the module (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_dataset")]

URL = reverse("dashboard:dashboard")
MEASURES = ("allocated", "approved", "disbursed")


class Cells(HTMLParser):
    """{(row data-key, cell data-measure): text} of one table (data-testid)."""

    def __init__(self, testid: str) -> None:
        super().__init__()
        self.testid, self.inside, self.key, self.measure = testid, False, None, None
        self.found: dict[tuple[str, str], str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.inside = attrs.get("data-testid") == self.testid
        elif self.inside and tag == "tr":
            self.key = attrs.get("data-key")
        elif self.inside and tag == "td":
            self.measure = attrs.get("data-measure")

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag == "td":
            self.measure = None

    def handle_data(self, data):
        if self.inside and self.key and self.measure:
            key = (self.key, self.measure)
            self.found[key] = self.found.get(key, "") + data


def cells(html: str, testid: str) -> dict[tuple[str, str], str]:
    parser = Cells(testid)
    parser.feed(html)
    return parser.found


def amount(text: str) -> int:
    return int(re.sub(r"[^\d-]", "", text) or 0)


def test_the_money_trend_equals_the_budget_page_year_by_year(dataset, manager, as_user):
    # Two years back only a national plan: the local source shows zeros.
    make_plan(Source.NATIONAL, dataset.year - 2, allocated=300_000_000)
    client = as_user(manager)
    board = client.get(URL, {"year": dataset.year, "refresh": 1}).content.decode()
    trend = cells(board, "money-trend")
    years = sorted({int(key.split("-")[0]) for key, _m in trend})
    assert years == [dataset.year - 2, dataset.year - 1, dataset.year]
    for year in years:
        budget = client.get(reverse("money:budget"), {"year": year}).content.decode()
        per_plan = cells(budget, "budget")
        for source in Source.values:
            plans = Plan.objects.filter(year=year, programme__source=source)
            expected = {
                m: sum(amount(per_plan[(str(p.pk), m)]) for p in plans)
                for m in MEASURES
            }
            shown = {m: amount(trend[(f"{year}-{source}", m)]) for m in MEASURES}
            assert shown == expected, (year, source)
    # Some money moved, or the comparison proves little.
    assert amount(trend[(f"{dataset.year}-{Source.LOCAL}", "disbursed")]) > 0


def test_the_content_trend_counts_approved_projects_per_year(dataset, manager, as_user):
    trend = content_trend(Scope(dataset.year))
    for year in (dataset.year - 1, dataset.year):
        expected: dict[str, int] = {}
        for project in Project.objects.filter(
            fundings__plan__year=year, status__in=COMMITTED_STATUSES
        ).distinct():
            code = project.content.code
            expected[code] = expected.get(code, 0) + 1
        shown = {code: trend.count(year, code) for code, _label in trend.contents}
        assert {c: n for c, n in shown.items() if n} == expected
    assert trend.count(dataset.year, dataset.projects["running"].content.code)
    page = (
        as_user(manager).get(URL, {"year": dataset.year, "refresh": 1}).content.decode()
    )
    assert 'data-testid="content-trend"' in page


def test_each_trend_is_one_query(dataset, django_assert_num_queries):
    for source in ("", Source.LOCAL):
        with django_assert_num_queries(1):
            money_trend(Scope(dataset.year, source))
        with django_assert_num_queries(1):
            content_trend(Scope(dataset.year, source))


def test_a_source_chosen_shows_its_trend_only(dataset):
    trend = money_trend(Scope(dataset.year, Source.NATIONAL))
    assert list(trend.by_source) == [Source.NATIONAL]


def test_the_trend_charts_are_drawn(dataset, manager, as_user):
    page = (
        as_user(manager).get(URL, {"year": dataset.year, "refresh": 1}).content.decode()
    )
    assert page.count('class="kc-bar kc-bar-3"') >= 2  # disbursed, per source
    assert "kc-series-0" in page
