"""`manage.py seed_demo`: the Thanh Hóa demo data set (issue 8).

Seeded once per run for the package (tests/demo/conftest.py); every test
runs in its own savepoint. The checks recount money and dates from the rows
themselves, not through the code that wrote them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.urls import reverse
from django.utils.timezone import localdate

from devdata.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS
from enterprises.models import Commune, Establishment, Region
from enterprises.roles import GROUP_NAMES
from projects.models import (
    COMMITTED_STATUSES,
    EDITABLE_STATUSES,
    Adjustment,
    Disbursement,
    DisbursementKind,
    DisbursementState,
    EquipmentInvestment,
    EquipmentSerial,
    Plan,
    Programme,
    Project,
    ProjectFunding,
    Source,
    Status,
    Transition,
)
from projects.models.dates import date_problems, decision_day_problems
from reports.models import ReportJob
from reports.services import report_generate, report_parameters
from tests.readers import read_xlsx

REPORT_START, REPORT_END = dt.date(2017, 1, 1), dt.date(2018, 6, 30)
# The demo's "now": nothing it records as done is dated later.
DEMO_TODAY = dt.date(2026, 11, 30)


def reported() -> list[Project]:
    """Projects of the 2017 and 2018 plans."""
    return list(
        Project.objects.filter(fundings__plan__year__in=(2017, 2018))
        .distinct()
        .prefetch_related("fundings__plan__programme")
    )


# --- the province's report ------------------------------------------------------------


def test_39_projects_in_the_2017_and_2018_plans_approved_and_started_in_the_window(
    demo,
):
    projects = reported()
    assert len(projects) == 39
    for p in projects:
        assert p.status in (Status.SETTLED, Status.ACCEPTED), p.code
        assert REPORT_START <= p.decision_date <= REPORT_END, p.code
        assert REPORT_START <= p.start_date <= REPORT_END, p.code
        assert REPORT_START <= p.contract_date <= REPORT_END, p.code
    statuses = Counter(p.status for p in projects)
    assert statuses[Status.SETTLED] > 30
    assert 1 <= statuses[Status.ACCEPTED] <= 5


def test_2018_has_five_national_projects_with_the_forest_product_one(demo):
    national = [
        p
        for p in reported()
        for f in p.fundings.all()
        if f.plan.year == 2018 and f.source == Source.NATIONAL
    ]
    assert len(national) == 5
    forest = [p for p in national if "chế biến lâm sản giai đoạn 2018" in p.title]
    assert len(forest) == 1
    assert forest[0].title.startswith("Hỗ trợ các cơ sở CNNT trên địa bàn")
    programme = forest[0].fundings.get().plan.programme
    assert "lâm sản" in programme.name
    assert forest[0].beneficiaries.count() >= 2
    equipment = [p for p in national if p not in forest]
    assert all(p.content.code == 4 for p in equipment)
    assert all(p.equipment.exists() for p in equipment)


def test_later_plans_start_after_the_report(demo):
    later = Project.objects.filter(fundings__plan__year__gte=2019).distinct()
    assert later.count() > 50
    assert not later.filter(start_date__lte=REPORT_END).exists()
    assert set(
        ProjectFunding.objects.values_list("plan__year", flat=True).distinct()
    ) == set(range(2017, 2028))


def test_2021_reproduces_the_reported_money(demo):
    for source, count, amount in (
        (Source.NATIONAL, 4, 1_350_000_000),
        (Source.LOCAL, 8, 1_472_000_000),
    ):
        rows = ProjectFunding.objects.filter(plan__year=2021, source=source)
        assert rows.count() == count
        assert rows.aggregate(s=Sum("approved"))["s"] == amount


# --- every state, with a real timeline ------------------------------------------------


def test_every_status_is_present_and_one_adjustment_waits(demo):
    present = set(Project.objects.values_list("status", flat=True))
    assert present == set(Status.values)
    pending = Adjustment.objects.filter(status="pending")
    assert pending.count() == 1
    assert pending.get().project.status == Status.IN_PROGRESS
    assert Adjustment.objects.filter(status="approved").exists()


def test_timelines_are_dated_in_order(demo):
    for p in Project.objects.exclude(status=Status.DRAFT):
        steps = [
            p.submitted_on,
            p.decision_date,
            p.contract_date,
            p.acceptance_date,
            p.settled_on,
        ]
        known = [d for d in steps if d]
        assert known == sorted(known), (p.code, steps)
        assert all(d <= DEMO_TODAY for d in known), p.code
        if p.contract_date:
            assert p.start_date == p.contract_date
        if p.settled_on:
            assert (p.settled_on - p.acceptance_date).days <= 15, p.code
        entries = list(p.transitions.order_by("pk"))
        moments = [e.at for e in entries]
        assert moments == sorted(moments), p.code
        sent = [e for e in entries if e.action in ("submit", "resubmit")]
        # submitted_on is the day of the last (re)submission.
        assert localdate(sent[-1].at) == p.submitted_on, p.code
        assert localdate(moments[-1]) <= DEMO_TODAY
        assert entries[-1].to_status == p.status
        assert p.created_at.date() <= p.submitted_on


# --- invariants, recounted ------------------------------------------------------------


def test_every_demo_project_keeps_every_date_rule(demo):
    """Issue 13: the rules of projects/models/dates.py, on every project with its
    invoices and payments, and on every plan and programme decision."""
    broken = {
        p.code: [problem.key for problem in date_problems(p, today=DEMO_TODAY)]
        for p in Project.objects.all()
    }
    assert {code: keys for code, keys in broken.items() if keys} == {}
    for decided in [*Plan.objects.all(), *Programme.objects.all()]:
        assert decision_day_problems(decided.decision_date, today=DEMO_TODAY) == []
    assert Plan.objects.filter(year=2027, decision_date__isnull=True).count() == 2


def test_no_demo_project_supports_equipment_beyond_its_support(demo):
    for p in Project.objects.filter(equipment__isnull=False).distinct():
        fundings = list(p.fundings.all())
        limit = sum(
            (f.settled if p.status == Status.SETTLED else f.approved) or 0
            for f in fundings
        )
        supported = sum(e.supported for e in p.equipment.all())
        assert supported <= limit, p.code


def test_money_invariants_hold_on_every_funding_row(demo):
    for funding in ProjectFunding.objects.select_related("project__content"):
        p = funding.project
        if funding.approved is not None:
            assert funding.approved <= funding.requested
        paid = advanced = 0
        for row in Disbursement.objects.filter(funding=funding):
            assert row.project_id == p.pk
            if row.state == DisbursementState.DUE:
                continue
            assert row.date >= p.contract_date, p.code
            if row.kind == DisbursementKind.REFUND:
                paid -= row.amount
            else:
                paid += row.amount
            if row.kind == DisbursementKind.ADVANCE:
                advanced += row.amount
            if p.settled_on:
                assert row.date <= p.settled_on
        assert 0 <= paid <= (funding.approved or 0), p.code
        assert advanced * 100 <= (funding.approved or 0) * p.content.max_advance_share
        if p.status == Status.SETTLED:
            assert funding.settled == paid, p.code
        if p.status == Status.CANCELLED:
            assert paid == 0, p.code
        if p.status not in (Status.IN_PROGRESS, Status.ACCEPTED, Status.SETTLED):
            assert (
                not Disbursement.objects.filter(
                    funding=funding, kind__in=["advance", "payment", "settlement"]
                )
                .exclude(project__status=Status.CANCELLED)
                .exists()
            )


def test_parts_add_up_and_plans_hold_their_allocation(demo):
    for p in Project.objects.exclude(status__in=EDITABLE_STATUSES):
        requested = p.fundings.aggregate(s=Sum("requested"))["s"]
        assert p.support_requested == requested
        assert p.total_cost == requested + p.counterpart + p.other_sources
        assert p.counterpart > 0
    for plan in Plan.objects.all():
        committed = plan.fundings.filter(
            project__status__in=COMMITTED_STATUSES
        ).aggregate(s=Sum("approved"))["s"]
        assert (committed or 0) <= plan.allocated, plan


def test_every_step_was_checked_against_the_rules_of_its_date(demo):
    # The demo runs the real services: a project past submission was held to
    # the rules of its submission date, a decided one to those of its decision
    # date, and the record says which.
    amounts = []
    for p in Project.objects.exclude(status=Status.DRAFT).prefetch_related(
        "rule_applications"
    ):
        amounts.append(p.support_requested)
        steps = {(a.step, a.day) for a in p.rule_applications.all()}
        assert ("submit", p.submitted_on) in steps or (
            "resubmit",
            p.submitted_on,
        ) in steps, p.code
        if p.decision_date:
            decided = "record_decision" if p.is_national else "approve"
            assert (decided, p.decision_date) in steps, p.code
        assert all(
            a.legal_basis or a.source == Source.LOCAL for a in p.rule_applications.all()
        )
    # Mostly 100–300 million đ each.
    typical = [a for a in amounts if 100_000_000 <= a <= 300_000_000]
    assert len(typical) > len(amounts) / 2


def test_equipment_adds_up_and_no_machine_is_supported_twice(demo):
    rows = EquipmentInvestment.objects.select_related("project")
    assert rows.count() > 100
    supported = defaultdict(int)
    for row in rows:
        assert row.total == row.quantity * row.unit_price
        assert row.supported <= row.total
        assert row.invoice_date >= row.project.contract_date
        assert row.project.beneficiaries.filter(pk=row.establishment_id).exists()
        supported[row.project_id] += row.supported
    for project_id, amount in supported.items():
        approved = ProjectFunding.objects.filter(project_id=project_id).aggregate(
            s=Sum("approved")
        )["s"]
        assert amount == approved
    serials = list(
        EquipmentSerial.objects.filter(active=True).values_list("serial", flat=True)
    )
    assert len(serials) == len(set(serials))
    keys = list(
        rows.exclude(project__status=Status.CANCELLED).values_list(
            "invoice_key", flat=True
        )
    )
    assert len(keys) == len(set(keys))


def test_establishments_spread_over_regions_with_priority_flags(demo):
    home = Commune.objects.in_province(38)
    assert not home.filter(region="").exists()
    regions = Counter(Establishment.objects.values_list("commune__region", flat=True))
    assert all(regions[r] >= 10 for r in Region.values)
    assert Establishment.objects.filter(women_owned=True).count() >= 10
    ethnic = Establishment.objects.filter(ethnic_minority_owned=True)
    assert ethnic.count() >= 5
    assert set(ethnic.values_list("commune__region", flat=True)) == {Region.MOUNTAIN}
    assert Establishment.objects.filter(craft_village__isnull=False).exists()
    assert all(e.eligibility() for e in Establishment.objects.all())


def test_open_projects_left_their_inbox_items_and_old_ones_none(demo):
    from notifications.models import Notification

    submitted = Project.objects.filter(status=Status.SUBMITTED).count()
    reviewer_items = Notification.objects.filter(
        user__username="thamdinh", kind="submitted"
    )
    assert reviewer_items.count() == submitted
    assert Notification.objects.filter(
        user__username="chuyenvien", kind="returned"
    ).exists()
    # Besides those, only the demo establishment account's exchange with the
    # centre (devdata.applicants), all of kind "other".
    assert (
        Notification.objects.exclude(kind="other").count()
        == submitted + Project.objects.filter(status=Status.RETURNED).count()
    )
    assert Notification.objects.filter(user__username="coso").exists()
    assert not Notification.objects.exclude(emailed_at=None).exists()


# --- the command ----------------------------------------------------------------------


def _row_counts() -> dict[str, int]:
    counted = {}
    for label in ("auth", "enterprises", "projects", "reports"):
        for model in apps.get_app_config(label).get_models():
            counted[model._meta.label] = model.objects.count()
    return counted


@pytest.mark.parametrize("command", ["seed_demo", "load_demo_data"])
def test_running_it_again_creates_nothing(demo, settings, command):
    """Also under its former name, load_demo_data."""
    settings.DEBUG = True
    before = _row_counts()
    regions = list(Commune.objects.values_list("code", "region"))
    transitions = list(Transition.objects.values_list("pk", "at"))
    out = StringIO()
    call_command(command, stdout=out)
    assert _row_counts() == before
    assert list(Commune.objects.values_list("code", "region")) == regions
    assert list(Transition.objects.values_list("pk", "at")) == transitions
    assert "không thêm gì" in out.getvalue()


def test_it_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    before = _row_counts()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--scale", "1")
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data")
    assert _row_counts() == before


@pytest.mark.parametrize(("username", "role"), [(u, r) for u, _name, r in DEMO_USERS])
def test_the_demo_users_log_in_and_see_their_home_page(demo, client, username, role):
    """One user per role, each shown as holding it."""
    response = client.post(
        reverse("login"), {"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert f"<strong>{GROUP_NAMES[role]}</strong>" in home.content.decode()
    assert client.get(reverse("projects:list")).status_code == 200


# --- the reports read the demo as the province did ------------------------------------


@pytest.fixture
def report(demo, in_process):
    def make(period: str, **parameters) -> list:
        # Only the Excel file is read: the PDF and Word files are the demo
        # reports' business (test_reports_on_demo.py).
        job = ReportJob.objects.create(
            kind="progress",
            parameters=report_parameters(period=period, formats=["xlsx"], **parameters),
        )
        report_generate(job=job)
        job.refresh_from_db()
        assert job.status == ReportJob.Status.DONE, job.error
        _ws, header, rows, _totals = read_xlsx(job.xlsx_file.path)
        code = header.index("Mã")
        return [row[code].value for row in rows]

    return make


def test_the_progress_report_of_2017_to_2018_h1_lists_the_39_projects(report):
    codes = report("2017..2018-H1")
    assert len(codes) == 39
    assert set(codes) == {p.code for p in reported()}


def test_the_national_progress_report_of_2018_lists_five_projects(report):
    codes = report("2018", source="kcqg")
    assert len(codes) == 5
    assert all(code.startswith("KCQG-2018-") for code in codes)


def test_scale_goes_to_the_stress_data(db, settings):
    from devdata.stress import stress_counts

    settings.DEBUG = True
    demo_projects = Project.objects.count()
    call_command("seed_demo", "--scale", "3", stdout=StringIO())
    assert stress_counts()["projects"] == 3
    assert Project.objects.count() == demo_projects + 3
