"""One money read-model: every page that shows a money figure shows the same
number for it (issue 12), and settlement releases what was not used to the
plan (issue 13).

The figures are read from the rendered pages (each cell carries
`data-measure`, its row `data-key`), from the disbursement report's Excel file
and from the yearly summary, and compared with sums worked out by hand below;
the public page, the JSON API, the national exchange file and the
establishment's own project page are compared with the staff pages and the
reports that show the same figures.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from api.exchange import exchange_export
from projects import services
from projects.models import DisbursementKind, Plan, Source, Status
from reports.exporters import get_exporter
from reports.periods import Period
from tests.builders import (
    advance,
    decision,
    make_establishment,
    make_plan,
    make_project,
    pay,
    running,
)
from tests.factories import make_applicant

M = 1_000_000
ADVANCE = DisbursementKind.ADVANCE
REFUND = DisbursementKind.REFUND
LOCAL, NATIONAL = Source.LOCAL, Source.NATIONAL


@pytest.fixture(autouse=True)
def english():
    """The pages as their users read them, in Vietnamese (dot grouping,
    decimal comma); report headers are read in English below."""
    yield


class Measures(HTMLParser):
    """{(row key, measure): text} of the cells marked data-measure."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[tuple[str, str], str] = {}
        self.keys: list[str | None] = []
        self.stack: list[tuple[str, str | None]] = []
        self.open: tuple[str, str] | None = None
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.open:
            self.depth += 1
            return
        self.stack.append((tag, attrs.get("data-key")))
        if "data-measure" in attrs:
            key = next((k for _t, k in reversed(self.stack) if k), "")
            self.open = (key, attrs["data-measure"])
            self.depth = 0
            self.text = []

    def handle_endtag(self, tag):
        if self.open:
            if self.depth:
                self.depth -= 1
                return
            self.found[self.open] = "".join(self.text).strip()
            self.open = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.open:
            self.text.append(data)


def measures(html: str) -> dict[tuple[str, str], int | Decimal | None]:
    parser = Measures()
    parser.feed(html)
    return {key: number(text) for key, text in parser.found.items()}


def number(text: str) -> int | Decimal | None:
    """'1.350.000.000 đ' -> 1350000000; '69,3 %' -> Decimal('69.3'); '—' -> None."""
    text = text.replace("\xa0", " ").strip()
    if text in ("", "—"):
        return None
    if text.endswith("%"):
        return Decimal(text[:-1].strip().replace(".", "").replace(",", "."))
    digits = re.sub(r"[^\d-]", "", text)
    return int(digits)


def page(client, name: str, *args, **query) -> dict:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, name
    return measures(response.content.decode())


def with_big_id(plan: Plan) -> Plan:
    """The plan moved to an id past 9.999, as a real database soon has: a page
    that prints an id with grouping ("10.123") loses its row key."""
    big = plan.pk + 10_000
    Plan.objects.filter(pk=plan.pk).update(id=big)
    return Plan.objects.get(pk=big)


@pytest.fixture
def year_of_money(staff, reviewer, establishment):
    """Two 2026 plans; one project running, one settled below its approved
    support, one cancelled after an advance that came back, one waiting."""
    local = with_big_id(make_plan(LOCAL, allocated=900 * M))
    national = with_big_id(make_plan(NATIONAL, allocated=1_500 * M))
    running_one = running(staff, reviewer, local, establishment, amount=120 * M)
    pay(running_one, staff, 36 * M, kind=ADVANCE, date=dt.date(2026, 4, 15))
    pay(running_one, staff, 50 * M, date=dt.date(2026, 6, 3))
    pay(running_one, staff, 6 * M, kind=REFUND, date=dt.date(2026, 6, 20))
    # Another establishment: the per-establishment yearly cap of the content
    # would refuse 420 M on one.
    other = make_establishment(
        establishment.commune,
        name="Hợp tác xã mây tre",
        business_registration_no="HKD-002",
    )
    settled_one = running(
        staff, reviewer, national, other, amount=300 * M, counterpart=300 * M
    )
    pay(settled_one, staff, 90 * M, kind=ADVANCE, date=dt.date(2026, 5, 5))
    advance(settled_one, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    services.project_settle(
        voucher_no="PC-QT-01",
        project=settled_one,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=dt.date(2026, 12, 1),
        settled={NATIONAL: 280 * M},
    )
    cancelled = running(staff, reviewer, local, establishment, amount=80 * M)
    pay(cancelled, staff, 20 * M, kind=ADVANCE, date=dt.date(2026, 4, 20))
    services.project_cancel(
        project=cancelled, by=reviewer, reason="Cơ sở rút", **decision(cancelled)
    )
    cancelled.disbursements.get(state="due").confirm_refund(
        date=dt.date(2026, 7, 1), voucher_no="PT-1", by=staff
    )
    waiting = make_project(staff, {local: 60 * M}, beneficiaries=[establishment])
    advance(waiting, Status.SUBMITTED, staff=staff, reviewer=reviewer)
    make_project(staff, {local: 50 * M}, beneficiaries=[establishment])  # a draft
    return {
        "local": local,
        "national": national,
        "running": running_one,
        "settled": settled_one,
        "cancelled": cancelled,
    }


# Worked out by hand from the fixture, per source and in total.
EXPECTED = {
    LOCAL: {
        "allocated": 900 * M,
        "approved": 120 * M,
        "released": 80 * M,  # the cancelled project's approved support
        "disbursed": 80 * M,  # 36 + 50 − 6; the cancelled advance came back
        "to_pay": 40 * M,
        "remaining": 780 * M,  # 900 − 120 (running)
        "waiting": 60 * M,
        "rate_of_approved": Decimal("66.7"),
        "rate_of_allocated": Decimal("8.9"),
    },
    NATIONAL: {
        "allocated": 1_500 * M,
        "approved": 300 * M,
        "released": 20 * M,  # settled 280 of 300
        "disbursed": 280 * M,
        "to_pay": 0,
        "remaining": 1_220 * M,  # 1,500 − 280 settled
        "waiting": 0,
        "rate_of_approved": Decimal("93.3"),
        "rate_of_allocated": Decimal("18.7"),
    },
    "total": {
        "allocated": 2_400 * M,
        "approved": 420 * M,
        "released": 100 * M,
        "disbursed": 360 * M,
        "to_pay": 40 * M,
        "remaining": 2_000 * M,
        "waiting": 60 * M,
        "rate_of_approved": Decimal("85.7"),
        "rate_of_allocated": Decimal("15.0"),
    },
}


def shown(figures: dict, key: str, names) -> dict:
    return {name: figures.get((key, name)) for name in names}


def expected(key: str, names) -> dict:
    return {name: EXPECTED[key][name] for name in names}


PLAN_MEASURES = ("allocated", "approved", "released", "remaining")
BUDGET_MEASURES = (
    "allocated",
    "approved",
    "released",
    "disbursed",
    "to_pay",
    "remaining",
    "rate_of_approved",
    "rate_of_allocated",
)


def test_every_page_shows_the_same_plan_figures(year_of_money, manager, as_user):
    local, national = year_of_money["local"], year_of_money["national"]
    client = as_user(manager)
    keys = {LOCAL: str(local.pk), NATIONAL: str(national.pk)}

    plans = page(client, "projects:plans")
    budget = page(client, "money:budget", year=2026)
    board = page(client, "dashboard:dashboard", year=2026, refresh=1)
    home = page(client, "home")

    for source, key in keys.items():
        assert shown(plans, key, PLAN_MEASURES) == expected(source, PLAN_MEASURES)
        assert shown(budget, key, BUDGET_MEASURES) == expected(source, BUDGET_MEASURES)
        names = (*BUDGET_MEASURES, "waiting")
        assert shown(board, source, names) == expected(source, names)
    assert shown(budget, "total", BUDGET_MEASURES) == expected("total", BUDGET_MEASURES)
    names = (*BUDGET_MEASURES, "waiting")
    assert shown(board, "total", names) == expected("total", names)
    home_names = ("allocated", "approved", "disbursed", "remaining")
    home_names += ("rate_of_approved",)
    assert shown(home, "budget", home_names) == expected("total", home_names)


def test_the_project_page_shows_its_rows_measures(year_of_money, manager, as_user):
    client = as_user(manager)
    names = ("approved", "disbursed", "to_pay", "released")
    figures = {
        label: shown(page(client, "money:project", year_of_money[label].pk), s, names)
        for label, s in (
            ("running", LOCAL),
            ("settled", NATIONAL),
            ("cancelled", LOCAL),
        )
    }
    assert figures == {
        "running": {
            "approved": 120 * M,
            "disbursed": 80 * M,
            "to_pay": 40 * M,
            "released": 0,
        },
        # A settled project has nothing still to pay: what it did not use
        # went back to the plan.
        "settled": {
            "approved": 300 * M,
            "disbursed": 280 * M,
            "to_pay": 0,
            "released": 20 * M,
        },
        "cancelled": {
            "approved": 80 * M,
            "disbursed": 0,
            "to_pay": 0,
            "released": 80 * M,
        },
    }


def report_rows(kind: str, period: str = "2026") -> tuple[list, dict]:
    """The report's rows and totals as {English header: value}."""
    with translation.override("en"):
        exporter = get_exporter(kind)(period=Period.parse(period))
        headers = [str(c.header) for c in exporter.columns]
        rows = [dict(zip(headers, r, strict=True)) for r in exporter.iter_rows()]
        totals = dict(zip(headers, exporter.totals(), strict=True))
    return rows, totals


def test_the_reports_agree_with_the_pages(year_of_money, manager, as_user):
    _rows, totals = report_rows("disbursement")
    summary, summary_totals = report_rows("yearly_summary")
    assert totals["Approved (đồng)"] == EXPECTED["total"]["approved"]
    assert totals["Disbursed to date (đồng)"] == EXPECTED["total"]["disbursed"]
    assert totals["Still to pay (đồng)"] == EXPECTED["total"]["to_pay"]
    assert (
        totals["Unused, returned to the plan (đồng)"] == EXPECTED["total"]["released"]
    )
    # The writers get the rounded percent as a fraction: 85.7 % -> 0.857.
    assert totals["Disbursement rate (of approved support)"] == Decimal("0.857")
    by_source = {
        row["Indicator"]: row
        for row in summary
        if row["Section"] == "By funding source" and row["Indicator"]
    }
    for source in (LOCAL, NATIONAL):
        with translation.override("en"):
            label = str(Source(source).label)
        row = by_source[label]
        assert row["Approved (đồng)"] == EXPECTED[source]["approved"]
        assert row["Disbursed (đồng)"] == EXPECTED[source]["disbursed"]
        assert row["Disbursement rate (of approved support)"] == (
            EXPECTED[source]["rate_of_approved"] / 100
        )
    assert summary_totals["Approved (đồng)"] == EXPECTED["total"]["approved"]


def test_settling_below_approved_support_releases_the_difference_to_the_plan(
    staff, reviewer, establishment, manager, as_user
):
    plan = make_plan(LOCAL, allocated=1_000 * M)
    project = running(
        staff, reviewer, plan, establishment, amount=240 * M, counterpart=300 * M
    )
    pay(project, staff, 72 * M, kind=ADVANCE, date=dt.date(2026, 4, 15))
    advance(project, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    client = as_user(manager)
    key = str(plan.pk)

    def figures() -> dict:
        with_report = {}
        _rows, totals = report_rows("disbursement")
        with_report["report_released"] = totals["Unused, returned to the plan (đồng)"]
        with_report["report_to_pay"] = totals["Still to pay (đồng)"]
        return {
            "plans": page(client, "projects:plans")[(key, "remaining")],
            "budget": page(client, "money:budget", year=2026)[(key, "remaining")],
            "dashboard": page(client, "dashboard:dashboard", year=2026, refresh=1)[
                (LOCAL, "remaining")
            ],
            "project_to_pay": page(client, "money:project", project.pk)[
                (LOCAL, "to_pay")
            ],
            **with_report,
        }

    before = figures()
    assert before == {
        "plans": 760 * M,
        "budget": 760 * M,
        "dashboard": 760 * M,
        "project_to_pay": 168 * M,
        "report_released": 0,
        "report_to_pay": 168 * M,
    }
    services.project_settle(
        voucher_no="PC-QT-01",
        project=project,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=dt.date(2026, 12, 1),
        settled={LOCAL: 230 * M},
    )
    assert figures() == {
        "plans": 770 * M,
        "budget": 770 * M,
        "dashboard": 770 * M,
        "project_to_pay": 0,
        "report_released": 10 * M,
        "report_to_pay": 0,
    }
    html = as_user(manager).get(reverse("money:project", args=[project.pk]))
    assert "Kinh phí không sử dụng, hoàn trả kế hoạch" in html.content.decode()


def test_the_two_rates_are_labelled_by_their_denominator(
    year_of_money, manager, as_user
):
    client = as_user(manager)
    for name, query in (
        ("money:budget", {"year": 2026}),
        ("dashboard:dashboard", {"year": 2026}),
    ):
        html = client.get(reverse(name), query).content.decode()
        assert "Tỷ lệ giải ngân so với kinh phí được duyệt" in html
        assert "Tỷ lệ giải ngân so với kế hoạch giao" in html


# --- the public page, the API, the exchange file and the establishment's page ---------


def public_page(client) -> tuple[dict[str, int | None], int | None]:
    """{project code: approved support shown} and the total line of /cong-khai/."""
    html = client.get(reverse("public:index")).content.decode()
    cards = re.findall(
        r'data-code="([^"]+)".*?data-testid="approved">(.*?)</dd>', html, re.S
    )
    total = re.search(r'data-testid="total">(.*?)</strong>', html, re.S)
    assert cards and total
    return (
        {code: number(re.sub(r"<[^>]+>", "", text)) for code, text in cards},
        number(total.group(1)),
    )


def api_results(client, name: str, *args) -> list | dict:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    data = response.json()
    return data.get("results", data)


def test_the_public_page_and_the_api_show_the_staff_pages_figures(
    year_of_money, manager, as_user
):
    client = as_user(manager)
    local, national = year_of_money["local"], year_of_money["national"]
    budget = page(client, "money:budget", year=2026)
    board = page(client, "dashboard:dashboard", year=2026, refresh=1)

    # The plans of the API are the budget page's plans, figure by figure.
    plans = {p["id"]: p for p in api_results(client, "api:plan-list")}
    names = ("allocated", "approved", "released", "disbursed", "to_pay", "remaining")
    for source, plan in ((LOCAL, local), (NATIONAL, national)):
        assert {n: plans[plan.pk][n] for n in names} == shown(
            budget, str(plan.pk), names
        )
        assert plans[plan.pk]["waiting"] == board[(source, "waiting")]

    # A project's funding rows in the API are its execution page's rows; the
    # API's `approved_support` is what the page's "approved" column prints.
    row_names = ("disbursed", "to_pay", "released")
    for label in ("running", "settled", "cancelled"):
        project = year_of_money[label]
        staff = page(client, "money:project", project.pk)
        api = api_results(client, "api:project-detail", project.pk)["fundings"]
        for row in api:
            assert row["approved_support"] == staff[(row["source"], "approved")]
            assert {n: row[n] for n in row_names} == shown(
                staff, row["source"], row_names
            )

    # The public page and the public API print the read-model's approved
    # support: a cancelled project's approval no longer stands (0), where the
    # execution page prints the support once approved and, next to it, that
    # all of it went back to the plan. Their total is the budget page's.
    codes = {
        year_of_money[label].code: label
        for label in year_of_money
        if label not in ("local", "national")
    }
    cards, total = public_page(client)
    published = {
        p["code"]: p["approved"] for p in api_results(client, "api:public-project-list")
    }
    assert {codes[c]: v for c, v in cards.items()} == {
        "running": 120 * M,
        "settled": 300 * M,
        "cancelled": 0,
    }
    assert published == cards
    assert total == budget[("total", "approved")] == sum(cards.values())


def test_the_exchange_file_and_the_establishments_page_agree_with_the_others(
    year_of_money, manager, as_user, establishment
):
    """The exchange file's money as at the period's end is the disbursement
    report's; what an establishment reads it has received is its execution
    page's disbursed money."""
    _rows, totals = report_rows("disbursement")
    data = exchange_export(period=Period.parse("2026"))
    at_end = [f["as_at_period_end"] for p in data["projects"] for f in p["fundings"]]
    assert {
        name: sum(f[name] for f in at_end)
        for name in ("approved", "disbursed", "to_pay", "released")
    } == {
        "approved": totals["Approved (đồng)"],
        "disbursed": totals["Disbursed to date (đồng)"],
        "to_pay": totals["Still to pay (đồng)"],
        "released": totals["Unused, returned to the plan (đồng)"],
    }

    running_one = year_of_money["running"]
    staff = page(as_user(manager), "money:project", running_one.pk)
    applicant = as_user(make_applicant("co-so-mot", establishment))
    html = applicant.get(reverse("applicants:project", args=[running_one.pk]))
    received = re.search(
        r'fw-semibold"><span>[^<]*</span><span class="text-nowrap">([^<]*)</span>',
        html.content.decode(),
    )
    assert received
    assert number(received.group(1)) == staff[(LOCAL, "disbursed")] == 80 * M
