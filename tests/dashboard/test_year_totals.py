"""The dashboard's year totals, kept on write (projects.models.year_totals,
issue 20 acceptance 2).

A hypothesis test drives random sequences of lifecycle steps (submission to
settlement, returns, cancellations), payments, advances, refunds, refund
confirmations and deletions over projects of two years' plans and both
sources, one carried over from last year's plan; after every write the
stored totals equal the totals recomputed from the projects as they are,
and at the end the board read from them shows, for every year and source,
the reports' projects by status (period_projects) and the read-model's money
of the year's plans (ProjectFunding.objects.money()).

The beneficiaries' kept years and counts (enterprises.models.supported) ride
on the same writes, and on two more: a project's beneficiaries changed (the
draft's save, an approved adjustment) and an establishment's flags or
commune edited on its form. After every write each establishment's kept
years equal those worked out again from the projects, and the counts equal
the kept rows; at the end the board's beneficiaries card shows the distinct
establishments named by the reports' approved projects of every year and
source, with their flags.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings as django_settings
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import board as dash
from enterprises.models import Commune, Establishment, Region, SupportedYear
from enterprises.models.supported import as_rows, recomputed_counts, stored_counts
from enterprises.services import establishment_import
from projects import services
from projects.models import (
    COMMITTED_STATUSES,
    DisbursementKind,
    DisbursementState,
    ProjectFunding,
    Refused,
    Source,
    Status,
)
from projects.models.year_totals import (
    recomputed_totals,
    stored_totals,
    supported_years,
)
from reports.periods import Period
from reports.queries import period_projects
from tests.builders import (
    advance,
    decision,
    establishment_form_data,
    make_establishment,
    make_plan,
    make_project,
    pay,
    registry_row,
    registry_xlsx,
    running,
)
from tests.factories import EstablishmentFactory

M = 1_000_000
PATH = [
    Status.SUBMITTED,
    Status.APPROVED,
    Status.IN_PROGRESS,
    Status.ACCEPTED,
    Status.SETTLED,
]


class Rollback(Exception):
    """Leaves an example's atomic block so that its rows are rolled back."""


operation = st.tuples(
    st.sampled_from(
        [
            "step",
            "advance",
            "payment",
            "refund",
            "delete",
            "confirm",
            "return",
            "cancel",
            "relink",
            "edit",
        ]
    ),
    st.integers(min_value=0, max_value=2),  # which project (or establishment)
    st.integers(min_value=1, max_value=60),  # percent of approved support
)


def _apply(op, project, percent, day, staff, reviewer, named) -> None:
    """`named`: the establishments a project may name, the first the one
    every project names at the start; `percent` picks which (as bits) for a
    new set of beneficiaries."""
    project.refresh_from_db()
    if op == "step":
        later = [s for s in PATH if PATH.index(s) > _position(project.status)]
        if later:
            advance(project, later[0], staff=staff, reviewer=reviewer)
    elif op == "return" and project.status == Status.SUBMITTED:
        services.project_return(project=project, by=reviewer, comment="Bổ sung")
    elif op == "cancel":
        services.project_cancel(
            project=project, by=reviewer, reason="Rút", **decision(project)
        )
    elif op in ("advance", "payment", "refund"):
        funding = project.fundings.order_by("?").first()
        amount = max((funding.approved or 0) * percent // 100, 1)
        kind = {
            "advance": DisbursementKind.ADVANCE,
            "payment": DisbursementKind.PAYMENT,
            "refund": DisbursementKind.REFUND,
        }[op]
        pay(project, staff, amount, kind=kind, date=day, source=funding.source)
    elif op == "delete":
        row = project.disbursements.order_by("-pk").first()
        if row:
            row.delete()
    elif op == "confirm":
        row = project.disbursements.filter(state=DisbursementState.DUE).first()
        if row:
            row.confirm_refund(date=day, voucher_no="PT-9", by=staff)
    elif op == "relink":
        chosen = [e for i, e in enumerate(named) if percent >> i & 1] or named[:1]
        _relink(project, chosen, staff, reviewer)


def _relink(project, chosen, staff, reviewer) -> None:
    """New beneficiaries: saved on the draft while it can be edited, asked
    for and approved as an adjustment once it runs."""
    if project.status in (Status.DRAFT, Status.RETURNED):
        services.project_save_draft(
            project=project,
            by=staff,
            fundings=[(f.plan, f.requested) for f in project.fundings.all()],
            beneficiaries=chosen,
        )
    elif project.status == Status.IN_PROGRESS:
        services.project_request_adjustment(
            project=project,
            by=staff,
            reason="Đổi đơn vị thụ hưởng",
            changes={"beneficiaries": chosen},
        )
        services.project_decide_adjustment(
            project=project,
            by=reviewer,
            approve=True,
            **decision(project, "adjustment"),
        )


def _edit(client, establishment, percent, communes) -> None:
    """Staff edit an establishment on its form: `percent`'s bits say whether
    it is women-owned, ethnic-minority-owned and in the mountain commune."""
    establishment.refresh_from_db()
    data = establishment_form_data(
        communes[percent >> 2 & 1],
        name=establishment.name,
        kind=establishment.kind,
        tax_code=establishment.tax_code,
        business_registration_no=establishment.business_registration_no,
        confirm_similar="True",
    )
    if percent & 1:
        data["women_owned"] = "on"
    if percent & 2:
        data["ethnic_minority_owned"] = "on"
    url = reverse("enterprises:establishment_update", args=[establishment.pk])
    assert client.post(url, data).status_code == 302


def _position(status: str) -> int:
    if status in PATH:
        return PATH.index(status)
    # Drafts and returned projects start from the submission; the review
    # steps between submission and approval count as submitted.
    if status in (Status.DRAFT, Status.RETURNED):
        return -1
    if status in (Status.REJECTED, Status.CANCELLED):
        return len(PATH)
    return 0


def _assert_the_supported_years_are_kept() -> None:
    """Each establishment's kept years are those worked out from the
    projects, with its flags as they are; the counts add up its rows."""
    flags = {
        e.pk: (
            e.women_owned,
            e.ethnic_minority_owned,
            e.commune.region == Region.MOUNTAIN,
        )
        for e in Establishment.objects.select_related("commune")
    }
    assert set(
        SupportedYear.objects.values_list(
            "establishment_id",
            "year",
            "onward",
            "scope",
            "women_owned",
            "ethnic_minority_owned",
            "mountain",
        )
    ) == {
        (pk, *key, *flags[pk])
        for pk, years in supported_years(None).items()
        for key in as_rows(years)
    }
    assert stored_counts() == recomputed_counts()


def _assert_the_board_reads_the_rules(years) -> None:
    for year in years:
        for source in ("", Source.LOCAL, Source.NATIONAL):
            board = dash.dashboard(dash.Scope(year, source))
            projects = list(
                period_projects(period=Period.year(year), source=source).values_list(
                    "pk", "status"
                )
            )
            counts = Counter(status for _pk, status in projects)
            assert {r.status: r.count for r in board.statuses} == {
                s.value: counts.get(s.value, 0) for s in Status
            }, (year, source)
            committed = [pk for pk, s in projects if s in COMMITTED_STATUSES]
            assert board.impact.projects == len(committed)
            named = Establishment.objects.filter(projects__in=committed).distinct()
            assert board.beneficiaries == dash.Beneficiaries(
                total=named.count(),
                women_owned=named.filter(women_owned=True).count(),
                ethnic_minority_owned=named.filter(ethnic_minority_owned=True).count(),
                mountain=named.filter(commune__region=Region.MOUNTAIN).count(),
            ), (year, source)
            for row in board.budget:
                if row.key == "total":
                    continue
                money = (
                    ProjectFunding.objects.filter(plan__year=year, source=row.key)
                    .exclude(project__status=Status.DRAFT)
                    .money()
                )
                for name in (
                    "approved",
                    "committed",
                    "released",
                    "disbursed",
                    "settled",
                    "to_pay",
                    "waiting",
                    "carried",
                ):
                    assert getattr(row, name) == getattr(money, name), (
                        year,
                        row.key,
                        name,
                    )


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(operation, min_size=1, max_size=10))
def test_the_year_totals_equal_their_recomputation_after_any_sequence(
    steps, staff, reviewer, establishment, as_user
):
    client = as_user(staff)
    try:
        with transaction.atomic():
            communes = list(
                Commune.objects.in_province(
                    django_settings.HOME_PROVINCE_CODE
                ).order_by("code")[1:3]
            )
            Commune.objects.filter(pk=communes[0].pk).update(region=Region.LOWLAND)
            Commune.objects.filter(pk=communes[1].pk).update(region=Region.MOUNTAIN)
            named = [
                establishment,
                EstablishmentFactory(commune=communes[0], women_owned=True),
                EstablishmentFactory(commune=communes[1], ethnic_minority_owned=True),
            ]
            local = make_plan(Source.LOCAL, 2026, allocated=1_000 * M)
            national = make_plan(Source.NATIONAL, 2026, allocated=1_000 * M)
            old = make_plan(Source.LOCAL, 2025, allocated=1_000 * M)
            # Last year's plan pays this year under a carry-forward decision.
            services.carry_forward_record(
                plan=old,
                project=None,
                decision_no="12/QĐ-UBND",
                decision_date=dt.date(2026, 1, 15),
                amount=500 * M,
                by=staff,
            )
            projects = [
                make_project(
                    staff,
                    {local: 150 * M, national: 90 * M},
                    beneficiaries=named[:2],
                ),
                running(staff, reviewer, local, establishment, amount=120 * M),
                running(staff, reviewer, old, establishment, amount=100 * M),
            ]
            assert stored_totals() == recomputed_totals()
            _assert_the_supported_years_are_kept()
            day = dt.date(2026, 5, 1)
            for op, which, percent in steps:
                day += dt.timedelta(days=3)
                try:
                    with transaction.atomic():
                        if op == "edit":
                            _edit(client, named[which], percent, communes)
                        else:
                            _apply(
                                op,
                                projects[which],
                                percent,
                                day,
                                staff,
                                reviewer,
                                named,
                            )
                except Refused:
                    pass
                assert stored_totals() == recomputed_totals(), (op, steps)
                _assert_the_supported_years_are_kept()
            _assert_the_board_reads_the_rules([2025, 2026, 2027])
            if connection.vendor == "postgresql":
                # The disbursement trigger's deferred check runs now too.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            raise Rollback
    except Rollback:
        pass


def test_an_approved_adjustment_of_beneficiaries_moves_the_beneficiaries_card(
    staff, reviewer, establishment, commune
):
    plan = make_plan(Source.LOCAL, 2026, allocated=1_000 * M)
    other = EstablishmentFactory(commune=commune, women_owned=True)
    project = running(staff, reviewer, plan, establishment, amount=120 * M)
    scope = dash.Scope(2026)
    assert dash.beneficiaries(scope) == dash.Beneficiaries(total=1)
    _relink(project, [establishment, other], staff, reviewer)
    assert dash.beneficiaries(scope) == dash.Beneficiaries(total=2, women_owned=1)
    _relink(project, [other], staff, reviewer)
    assert dash.beneficiaries(scope) == dash.Beneficiaries(total=1, women_owned=1)
    _assert_the_supported_years_are_kept()


def test_editing_a_beneficiary_on_its_form_moves_the_beneficiaries_card(
    staff, reviewer, establishment, as_user
):
    plan = make_plan(Source.LOCAL, 2026, allocated=1_000 * M)
    running(staff, reviewer, plan, establishment, amount=120 * M)
    communes = list(
        Commune.objects.in_province(django_settings.HOME_PROVINCE_CODE).order_by(
            "code"
        )[1:3]
    )
    Commune.objects.filter(pk=communes[0].pk).update(region=Region.LOWLAND)
    Commune.objects.filter(pk=communes[1].pk).update(region=Region.MOUNTAIN)
    client = as_user(staff)
    scope = dash.Scope(2026)
    _edit(client, establishment, 0b011, communes)
    assert dash.beneficiaries(scope) == dash.Beneficiaries(
        total=1, women_owned=1, ethnic_minority_owned=1
    )
    _edit(client, establishment, 0b100, communes)
    assert dash.beneficiaries(scope) == dash.Beneficiaries(total=1, mountain=1)
    _assert_the_supported_years_are_kept()


def test_an_import_changing_a_beneficiary_s_flags_moves_the_beneficiaries_card(
    staff, reviewer, commune
):
    named = make_establishment(commune, tax_code="2800000001")
    plan = make_plan(Source.LOCAL, 2026, allocated=1_000 * M)
    running(staff, reviewer, plan, named, amount=120 * M)
    scope = dash.Scope(2026)
    assert dash.beneficiaries(scope) == dash.Beneficiaries(total=1)
    # The file's row says the establishment is women-owned.
    result = establishment_import(
        file=registry_xlsx([registry_row(1, commune)]), user=staff
    )
    assert result.updated == 1
    assert dash.beneficiaries(scope) == dash.Beneficiaries(total=1, women_owned=1)
    _assert_the_supported_years_are_kept()
