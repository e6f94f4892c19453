"""Support rules as dated data: every content and variant, both sources, the
date that decides, per-establishment yearly sums, re-checks at every change
(issue 15; the rows and their texts are listed in docs/rules.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from projects import rule_data, services
from projects.models import (
    PER_BENEFICIARY_UNITS,
    ActivityContent,
    Plan,
    Refused,
    RuleApplication,
    RuleSource,
    Source,
    Status,
    SupportRule,
)
from projects.rule_check import project_rule_check
from tests.builders import (
    advance,
    decision,
    make_establishment,
    make_plan,
    make_project,
    review,
)

pytestmark = pytest.mark.django_db

M = 1_000_000
# One day inside each national period (docs/rules.md).
PERIODS = {
    "TTLT 26/2014": dt.date(2016, 6, 1),
    "TT 28/2018": dt.date(2019, 6, 3),
    "TT 64/2024": dt.date(2025, 6, 2),
}


def plan_of(source: str, year: int = 2026):
    """The source's plan of `year`, made once."""
    return Plan.objects.filter(
        programme__source=source, year=year
    ).first() or make_plan(source, year=year)


def _capped(day: dt.date) -> list[SupportRule]:
    return [
        rule
        for rule in SupportRule.objects.valid_on(day)
        .filter(source=RuleSource.NATIONAL)
        .select_related("content")
        if rule.absolute_cap is not None or rule.share_cap is not None
    ]


def _project(staff, day, rule, support, beneficiaries):
    """A draft of the rule's content and variant, `support` from the national
    plan of the day's year, with a total cost at which the share cap is just
    met (or far from binding when only an amount is capped)."""
    plan = plan_of(Source.NATIONAL, year=day.year)
    if rule.share_cap is not None:
        total = -(-support * 100 // int(rule.share_cap))  # ceil: at the share cap
    else:
        total = support * 3
    return make_project(
        staff,
        {plan: support},
        content=rule.content,
        support_variant=rule.variant,
        counterpart=total - support,
        beneficiaries=beneficiaries,
    )


@pytest.mark.parametrize("period", list(PERIODS))
def test_each_capped_content_passes_at_its_cap_and_not_one_dong_above(
    period, staff, establishment
):
    day = PERIODS[period]
    rules = _capped(day)
    assert len(rules) >= 15
    for rule in rules:
        cap = rule.absolute_cap or 100 * M
        beneficiaries = [establishment] if rule.unit in PER_BENEFICIARY_UNITS else []
        at_cap = _project(staff, day, rule, cap, beneficiaries)
        verdict = project_rule_check(at_cap, step="submit", day=day)
        assert verdict.problems == [], (rule, verdict.problems)
        assert verdict.rules[Source.NATIONAL] == rule

        above = _project(staff, day, rule, cap + 1, beneficiaries)
        if rule.absolute_cap is None:
            # Only a share: one đồng more support on the same total cost.
            above.total_cost = at_cap.total_cost
            above.save()
        with translation.override("vi"):
            problems = project_rule_check(above, step="submit", day=day).problems
        assert problems, rule
        assert all(rule.legal_basis in p for p in problems), problems


def test_the_2018_circular_raised_the_machinery_cap_on_its_date(staff, establishment):
    content = ActivityContent.objects.get(code=4)
    for day, basis, ok in (
        (dt.date(2018, 5, 10), "Điều 6 khoản 2 điểm c Thông tư liên tịch 26/2014", 0),
        (dt.date(2018, 5, 11), "Điều 8 khoản 4 Thông tư 28/2018/TT-BTC", 1),
    ):
        plan = plan_of(Source.NATIONAL, year=2018)
        project = make_project(
            staff,
            {plan: 250 * M},
            counterpart=300 * M,
            content=content,
            beneficiaries=[establishment],
        )
        with translation.override("vi"):
            verdict = project_rule_check(project, step="submit", day=day)
        assert basis in verdict.rules[Source.NATIONAL].legal_basis
        assert bool(verdict) == bool(ok), verdict.problems


def test_after_the_2024_amendment_the_rule_cites_it_and_is_flagged_unverified(
    staff, establishment
):
    plan = plan_of(Source.NATIONAL, year=2025)
    project = make_project(
        staff, {plan: 300 * M}, counterpart=300 * M, beneficiaries=[establishment]
    )
    before = project_rule_check(project, step="submit", day=dt.date(2024, 10, 14))
    after = project_rule_check(project, step="submit", day=dt.date(2024, 10, 15))
    assert before and after
    assert before.rules[Source.NATIONAL].verified
    assert "64/2024/TT-BTC" in after.rules[Source.NATIONAL].legal_basis
    assert not after.rules[Source.NATIONAL].verified
    assert after.notes


# --- variants cannot escape -----------------------------------------------------


def test_the_line_variant_has_its_own_cap(staff, establishment):
    plan = plan_of(Source.NATIONAL, year=2019)
    line = make_project(
        staff,
        {plan: 450 * M},
        counterpart=450 * M,
        support_variant="dây chuyền công nghệ",
        beneficiaries=[establishment],
    )
    assert project_rule_check(line, step="submit", day=PERIODS["TT 28/2018"])
    line.fundings.update(requested=450 * M + 1)
    line.counterpart = 450 * M - 1
    line.save()
    with translation.override("vi"):
        problems = project_rule_check(
            line, step="submit", day=PERIODS["TT 28/2018"]
        ).problems
    assert any("450.000.000 đ" in p for p in problems), problems
    # Before 2018 a line was held to the machinery cap.
    assert not project_rule_check(line, step="submit", day=PERIODS["TTLT 26/2014"])


def test_a_variant_without_a_rule_is_refused_with_how_to_add_one(staff, establishment):
    plan = plan_of(Source.NATIONAL, year=2026)
    # A production line is a machinery variant: for a demonstration model it
    # has no row, and 90 % support does not slip through.
    project = make_project(
        staff,
        {plan: 900 * M},
        counterpart=100 * M,
        content=ActivityContent.objects.get(code=3),
        support_variant="dây chuyền công nghệ",
        beneficiaries=[establishment],
    )
    with translation.override("vi"), pytest.raises(Refused) as refused:
        services.project_submit(project=project, by=staff, day=dt.date(2026, 3, 2))
    message = str(refused.value)
    assert "không có quy định áp dụng" in message.lower()
    assert "Định mức hỗ trợ" in message
    project.refresh_from_db()
    assert project.status == Status.DRAFT


def test_a_project_dated_before_any_rule_is_refused(staff, establishment):
    plan = plan_of(Source.NATIONAL, year=2013)
    project = make_project(staff, {plan: 100 * M}, beneficiaries=[establishment])
    with translation.override("vi"):
        verdict = project_rule_check(project, step="submit", day=dt.date(2013, 6, 1))
    assert any("không có quy định áp dụng" in p.lower() for p in verdict.problems)


# --- per establishment, per year --------------------------------------------------


def test_the_per_establishment_cap_sums_the_years_projects_of_the_content(
    staff, reviewer, establishment
):
    plan = plan_of(Source.NATIONAL, year=2026)
    first = make_project(
        staff, {plan: 200 * M}, counterpart=300 * M, beneficiaries=[establishment]
    )
    services.project_submit(project=first, by=staff, day=dt.date(2026, 3, 2))
    second = make_project(
        staff, {plan: 150 * M}, counterpart=200 * M, beneficiaries=[establishment]
    )
    with translation.override("vi"), pytest.raises(Refused) as refused:
        services.project_submit(project=second, by=staff, day=dt.date(2026, 3, 3))
    message = str(refused.value)
    assert first.code in message
    assert "350.000.000 đ" in message and "300.000.000 đ" in message
    # The same amount the next year, or for another content, is its own.
    next_year = make_project(
        staff,
        {plan_of(Source.NATIONAL, year=2027): 150 * M},
        counterpart=200 * M,
        beneficiaries=[establishment],
    )
    assert project_rule_check(next_year, step="submit", day=dt.date(2026, 3, 3))
    # A rejected project no longer counts.
    services.project_reject(project=first, by=reviewer, reason="Không phù hợp")
    services.project_submit(project=second, by=staff, day=dt.date(2026, 3, 3))
    assert second.status == Status.SUBMITTED


def test_a_project_with_two_beneficiaries_splits_the_support(staff, commune):
    two = [
        make_establishment(commune, "Cơ sở A", business_registration_no="A"),
        make_establishment(commune, "Cơ sở B", business_registration_no="B"),
    ]
    plan = plan_of(Source.NATIONAL, year=2026)
    project = make_project(
        staff, {plan: 600 * M}, counterpart=600 * M, beneficiaries=two
    )
    assert project_rule_check(project, step="submit", day=dt.date(2026, 3, 2))
    # 300.000.001 đ each: the share (50 % of the total) still holds.
    project.fundings.update(requested=600 * M + 2)
    project.counterpart = 600 * M + 2
    project.total_cost = 1200 * M + 4
    project.save()
    assert not project_rule_check(project, step="submit", day=dt.date(2026, 3, 2))


# --- sources ----------------------------------------------------------------------


def test_a_local_rule_can_differ_from_the_national_one(staff, establishment):
    content = ActivityContent.objects.get(code=4)
    local = SupportRule.objects.get(
        content=content,
        variant="",
        source=RuleSource.LOCAL,
        valid_from=rule_data.D_2024,
    )
    assert local.absolute_cap is None and local.legal_basis == ""
    local.share_cap = Decimal("40")
    local.absolute_cap = 100 * M
    local.legal_basis = "Nghị quyết thử nghiệm của HĐND tỉnh"
    local.verified = True
    local.save()
    day = dt.date(2026, 3, 2)
    national = make_project(
        staff,
        {plan_of(Source.NATIONAL): 150 * M},
        counterpart=200 * M,
        beneficiaries=[establishment],
    )
    assert project_rule_check(national, step="submit", day=day)
    local_project = make_project(
        staff,
        {plan_of(Source.LOCAL): 150 * M},
        counterpart=200 * M,
        beneficiaries=[establishment],
    )
    with translation.override("vi"):
        problems = project_rule_check(local_project, step="submit", day=day).problems
    assert len(problems) == 2  # 43 % > 40 %, and 150 > 100 million
    assert all("Nghị quyết thử nghiệm của HĐND tỉnh" in p for p in problems)


def test_a_local_rule_without_figures_passes_but_says_it_is_unverified(
    staff, establishment
):
    project = make_project(
        staff,
        {plan_of(Source.LOCAL): 150 * M},
        counterpart=100 * M,
        beneficiaries=[establishment],
    )
    verdict = project_rule_check(project, step="submit", day=dt.date(2026, 3, 2))
    assert verdict and verdict.notes
    assert verdict.rules[Source.LOCAL].source == RuleSource.LOCAL


def test_a_project_on_both_sources_meets_each_sources_rule(staff, establishment):
    project = make_project(
        staff,
        {plan_of(Source.NATIONAL): 200 * M, plan_of(Source.LOCAL): 150 * M},
        counterpart=400 * M,
        beneficiaries=[establishment],
    )
    with translation.override("vi"):
        verdict = project_rule_check(project, step="submit", day=dt.date(2026, 3, 2))
    # 350 million in all is above the national 300 million per establishment.
    assert set(verdict.rules) == {Source.NATIONAL, Source.LOCAL}
    assert any("300.000.000 đ" in p for p in verdict.problems)


# --- which date decides, and what is recorded ------------------------------------


def test_approval_applies_the_rule_of_the_decision_date_and_records_it(
    staff, reviewer, establishment
):
    content = ActivityContent.objects.get(code=4)
    SupportRule.objects.create(
        content=content,
        source=RuleSource.BOTH,
        share_cap=Decimal("50"),
        absolute_cap=100 * M,
        unit="establishment",
        legal_basis="Thông tư 99/2026/TT-BTC",
        verified=True,
        valid_from=dt.date(2026, 3, 15),
    )
    plan = plan_of(Source.NATIONAL)
    project = make_project(staff, {plan: 150 * M}, beneficiaries=[establishment])
    # Submitted before the stricter row: held to the national one of that day.
    services.project_submit(project=project, by=staff, day=dt.date(2026, 3, 2))
    review(project, reviewer)  # proposed, appraised by the ministry
    applied = RuleApplication.objects.filter(project=project).order_by("pk")
    assert [(a.step, a.day) for a in applied] == [
        ("submit", dt.date(2026, 3, 2)),
        ("appraise", dt.date(2026, 3, 2)),
    ]
    assert "Thông tư 28/2018/TT-BTC" in applied[0].legal_basis
    with translation.override("vi"), pytest.raises(Refused) as refused:
        services.project_record_decision(
            project=project,
            by=reviewer,
            decision_no="12/QĐ-BCT",
            decision_date=dt.date(2026, 3, 20),
            approved={Source.NATIONAL: 150 * M},
        )
    assert "Thông tư 99/2026/TT-BTC" in str(refused.value)
    project.refresh_from_db()
    assert project.status == Status.APPRAISED
    assert project.fundings.get().approved is None


def test_an_adjustment_that_leaves_one_establishment_above_its_cap_is_refused(
    staff, reviewer, commune
):
    two = [
        make_establishment(commune, "Cơ sở A", business_registration_no="A"),
        make_establishment(commune, "Cơ sở B", business_registration_no="B"),
    ]
    plan = plan_of(Source.NATIONAL)
    project = make_project(
        staff, {plan: 580 * M}, counterpart=600 * M, beneficiaries=two
    )

    advance(project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    services.project_request_adjustment(
        project=project,
        by=staff,
        reason="Cơ sở B xin rút",
        changes={"beneficiaries": [two[0]]},
    )
    with translation.override("vi"), pytest.raises(Refused) as refused:
        services.project_decide_adjustment(
            project=project,
            by=reviewer,
            approve=True,
            **decision(project, "adjustment"),
        )
    assert "580.000.000 đ" in str(refused.value)
    assert "Thông tư 28/2018/TT-BTC" in str(refused.value)
    project.refresh_from_db()
    assert project.beneficiaries.count() == 2
    assert project.adjustments.get().status == "pending"


def test_equipment_support_above_an_establishments_cap_is_refused(
    staff, reviewer, commune
):
    from projects.models import EquipmentInvestment, Refused

    two = [
        make_establishment(commune, "Cơ sở A", business_registration_no="A"),
        make_establishment(commune, "Cơ sở B", business_registration_no="B"),
    ]
    # 600 million đ approved for two: 300 million đ each, the cap.
    project = make_project(
        staff,
        {plan_of(Source.NATIONAL): 600 * M},
        counterpart=700 * M,
        beneficiaries=two,
    )
    advance(project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    row = EquipmentInvestment(
        project=project,
        establishment=two[0],
        item="Máy bào 4 mặt",
        supplier_name="Công ty Máy gỗ Đức Thành",
        supplier_tax_code="0101234567",
        quantity=1,
        unit_price=700 * M,
        # Within the project's approved support, above Cơ sở A's cap.
        supported=300 * M + 1,
        invoice_no="0000123",
        invoice_date=dt.date(2026, 5, 2),
    )
    with translation.override("vi"), pytest.raises(Refused) as refused:
        row.store(serials=["MB-1"], by=staff)
    message = str(refused.value)
    assert "Cơ sở A" in message and "300.000.001 đ" in message, message
    assert not EquipmentInvestment.objects.filter(project=project).exists()
    row.pk = None
    row.supported = 300 * M
    row.store(serials=["MB-1"], by=staff)
    assert EquipmentInvestment.objects.filter(project=project).count() == 1


# --- the shipped rows and their documentation ---------------------------------------


def test_every_content_and_variant_has_a_national_and_a_local_row_today():
    today = dt.date(2026, 12, 1)
    rows = SupportRule.objects.valid_on(today)
    national = {(r.content.code, r.variant) for r in rows if r.source == "KCQG"}
    local = {(r.content.code, r.variant) for r in rows if r.source == "KCDP"}
    assert national == local
    assert {code for code, _v in national} == set(range(1, 12))


def test_docs_list_every_shipped_row_with_its_basis():
    text = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text()
    for shipped in rule_data.shipped_rules():
        row = shipped.row
        assert row.variant in text, row
        if shipped.source == rule_data.NATIONAL and row.verified:
            # The clause ("art. 6 cl. 2 c", "art. 8 cl. 4") is named in the doc.
            clause = row.basis.split(" Thông tư")[0].split(" Nghị định")[0]
            english = (
                clause.replace("Điều ", "art. ")
                .replace(" khoản ", " cl. ")
                .replace(" điểm ", " ")
            )
            assert english in text or clause in text, (row, english)
