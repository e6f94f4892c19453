"""Closing deadlines (issue 13, point 7): the settlement file is due a number
of days after acceptance, and national money by a day of the next year; an
overdue settlement shows in the warnings, the staff to-do list, the manager's
home page and the daily digest.

Dates are relative to today (the pages read today's date); the rule figures
are read from the shipped rows, so an administrator's edit is what counts.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.roles import Role
from projects import services
from projects.models import (
    DeadlineKind,
    Project,
    ProjectFunding,
    SettlementDeadline,
    Source,
)
from projects.models.deadlines import settlement_due_on
from tests.builders import (
    approved_amounts,
    make_establishment,
    make_plan,
    make_project,
    review,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def days_rule() -> SettlementDeadline:
    return SettlementDeadline.objects.get(kind=DeadlineKind.AFTER_ACCEPTANCE)


def next_year_rule() -> SettlementDeadline:
    return SettlementDeadline.objects.get(kind=DeadlineKind.NEXT_YEAR)


def accepted(staff, reviewer, establishment, plan, on: dt.date) -> Project:
    """A project driven through the services, accepted on `on`."""
    project = make_project(
        staff,
        {plan: 100_000_000},
        beneficiaries=[establishment],
        start_date=on - dt.timedelta(days=80),
        end_date=on,
    )
    services.project_submit(project=project, by=staff, day=on - dt.timedelta(120))
    review(project, reviewer)
    if project.is_national:
        decide = services.project_record_decision
    else:
        decide = services.project_approve
    decide(
        project=project,
        by=reviewer,
        decision_no="1/QĐ",
        decision_date=on - dt.timedelta(days=100),
        approved=approved_amounts(project),
    )
    services.project_start(
        project=project,
        by=staff,
        contract_no="1/HĐ",
        contract_date=on - dt.timedelta(days=90),
    )
    return services.project_accept(
        project=project, by=staff, acceptance_date=on, minutes_no="1/BB-NT"
    )


def overdue(day: dt.date) -> set[str]:
    return set(Project.objects.settlement_overdue(day).values_list("code", flat=True))


def test_the_shipped_rules_say_where_they_come_from_and_are_marked_unverified():
    rules = list(SettlementDeadline.objects.all())
    assert {r.kind for r in rules} == {
        DeadlineKind.AFTER_ACCEPTANCE,
        DeadlineKind.NEXT_YEAR,
    }
    assert days_rule().days == 15
    national = next_year_rule()
    assert (national.source, national.month, national.day) == (Source.NATIONAL, 1, 22)
    assert all(r.legal_basis and not r.verified for r in rules)


def test_a_settlement_is_due_the_configured_days_after_acceptance(
    staff, reviewer, establishment
):
    plan = make_plan(Source.LOCAL, year=today().year)
    late = accepted(staff, reviewer, establishment, plan, today() - dt.timedelta(20))
    rule = days_rule()
    due = late.acceptance_date + dt.timedelta(days=rule.days)
    assert late.settlement_due_on == settlement_due_on(late) == due
    assert overdue(due) == set()
    assert overdue(due + dt.timedelta(days=1)) == {late.code}


def test_an_administrator_gives_more_days_and_the_warning_goes(
    staff, reviewer, establishment, admin_user, as_user
):
    plan = make_plan(Source.LOCAL, year=today().year)
    late = accepted(staff, reviewer, establishment, plan, today() - dt.timedelta(20))
    assert overdue(today()) == {late.code}
    rule = days_rule()
    response = as_user(admin_user).post(
        reverse("admin:projects_settlementdeadline_change", args=[rule.pk]),
        {
            "kind": rule.kind,
            "source": rule.source,
            "days": "30",
            "month": "",
            "day": "",
            "legal_basis": rule.legal_basis,
            "valid_from": rule.valid_from.isoformat(),
            "valid_to": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    late.refresh_from_db()
    assert late.settlement_due_on == late.acceptance_date + dt.timedelta(days=30)
    assert overdue(today()) == set()


def test_national_money_closes_on_the_configured_day_of_the_next_year(
    staff, reviewer, establishment
):
    year = today().year - 1
    national = accepted(
        staff,
        reviewer,
        establishment,
        make_plan(Source.NATIONAL, year=year),
        dt.date(year + 1, 1, 10),
    )
    local = accepted(
        staff,
        reviewer,
        make_establishment_for(establishment),
        make_plan(Source.LOCAL, year=year),
        dt.date(year + 1, 1, 10),
    )
    # 22 January comes before "15 days after 10 January" for national money.
    assert national.settlement_due_on == dt.date(year + 1, 1, 22)
    assert local.settlement_due_on == dt.date(year + 1, 1, 25)
    assert overdue(dt.date(year + 1, 1, 22)) == set()
    assert overdue(dt.date(year + 1, 1, 23)) == {national.code}
    assert overdue(dt.date(year + 1, 1, 26)) == {national.code, local.code}


def make_establishment_for(establishment):
    return make_establishment(
        establishment.commune, name="HTX mây tre", business_registration_no="HTX-2"
    )


def test_a_settled_project_is_no_longer_overdue(staff, reviewer, establishment):
    plan = make_plan(Source.LOCAL, year=today().year)
    late = accepted(staff, reviewer, establishment, plan, today() - dt.timedelta(20))
    services.project_settle(
        project=late,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=today(),
        voucher_no="PC-QT-01",
        settled={
            f.source: f.approved for f in ProjectFunding.objects.filter(project=late)
        },
    )
    assert overdue(today()) == set()


def test_an_overdue_settlement_shows_in_the_warnings_with_its_due_date(
    staff, reviewer, manager, establishment, as_user
):
    plan = make_plan(Source.LOCAL, year=today().year)
    late = accepted(staff, reviewer, establishment, plan, today() - dt.timedelta(20))
    accepted(
        staff,
        reviewer,
        make_establishment_for(establishment),
        plan,
        today() - dt.timedelta(3),
    )
    response = as_user(manager).get(reverse("dashboard:warnings"))
    assert [p.code for p in response.context["warnings"].settlements] == [late.code]
    html = response.content.decode()
    due = late.acceptance_date + dt.timedelta(days=15)
    assert "Quyết toán quá hạn" in html
    assert due.strftime("%d/%m/%Y") in html


def test_the_staff_to_do_list_and_the_manager_home_page_show_it(
    staff, reviewer, manager, establishment, as_user
):
    plan = make_plan(Source.LOCAL, year=today().year)
    late = accepted(staff, reviewer, establishment, plan, today() - dt.timedelta(20))
    todo = as_user(staff).get(reverse("projects:todo"))
    sections = {
        key: [p.code for p in rows] for _t, key, rows in todo.context["sections"]
    }
    assert sections["settlement"] == [late.code]
    home = as_user(manager).get(reverse("home"))
    assert home.context["overdue_settlements"] == 1
    assert 'data-testid="overdue-settlements"' in home.content.decode()


def test_the_daily_digest_names_the_overdue_settlement(
    staff, reviewer, manager, establishment, mailoutbox, settings
):
    from notifications.digest import digest_send

    settings.CELERY_TASK_ALWAYS_EAGER = True
    make_user("manager_two", Role.MANAGER)
    plan = make_plan(Source.LOCAL, year=today().year)
    late = accepted(staff, reviewer, establishment, plan, today() - dt.timedelta(20))
    mailoutbox.clear()
    digest_send(today=today())
    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert f"Quyết toán đề án {late.code} quá hạn" in bodies["staff@kc.test"]
    assert f"Quyết toán đề án {late.code} quá hạn" in bodies["manager@kc.test"]
    # Made once: the next run of the same day adds nothing.
    mailoutbox.clear()
    digest_send(today=today())
    assert mailoutbox == []
