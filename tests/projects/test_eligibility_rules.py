"""Eligibility as dated rules, judged on the date that matters; the dossier
cites the decree version in force then; repeat support is shown to the
reviewer (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from enterprises.models import EligibilityRule, EstablishmentKind
from projects import services
from projects.models import ActivityContent, Source, Status
from projects.rule_check import earlier_support, project_rule_check
from reports.dossier import TEMPLATE, DossierReport
from tests.builders import advance, make_establishment, make_plan, make_project, review

pytestmark = pytest.mark.django_db

M = 1_000_000
IN_2018 = dt.date(2018, 3, 1)
IN_2026 = dt.date(2026, 3, 2)


def test_the_2012_and_the_2025_rules_are_shipped_and_dated():
    old = EligibilityRule.in_force(IN_2018)
    new = EligibilityRule.in_force(IN_2026)
    assert "Nghị định 45/2012/NĐ-CP" in old.legal_basis and old.verified
    assert "235/2025/NĐ-CP" in new.legal_basis and not new.verified
    assert old.valid_to == dt.date(2025, 10, 14)
    assert new.valid_from == dt.date(2025, 10, 15)


def test_a_union_of_cooperatives_became_eligible_with_the_2025_decree(commune):
    union = make_establishment(
        commune, "Liên hiệp HTX Mây tre", kind=EstablishmentKind.COOPERATIVE_UNION
    )
    with translation.override("vi"):
        before = union.eligibility(IN_2018)
        after = union.eligibility(IN_2026)
    assert not before and "45/2012/NĐ-CP" in before.reason
    assert after and "235/2025/NĐ-CP" in after.reason


def test_a_legacy_urban_ward_was_not_eligible_before_2025(commune):
    commune.legacy_urban_ward = True
    commune.save()
    household = make_establishment(commune)
    assert not household.eligibility(IN_2018)
    assert household.eligibility(IN_2026)


def test_the_size_limit_is_data_and_checked_for_enterprises(commune):
    rule = EligibilityRule.in_force(IN_2026)
    big = make_establishment(
        commune,
        "Công ty CP Chế biến gỗ lớn",
        kind=EstablishmentKind.SMALL_ENTERPRISE,
        tax_code="2800123456",
        workers_total=250,
    )
    assert big.eligibility(IN_2026)  # no limit entered yet
    rule.max_workers = 200
    rule.save()
    with translation.override("vi"):
        verdict = big.eligibility(IN_2026)
    assert not verdict and "doanh nghiệp nhỏ và vừa" in verdict.reason


def test_a_cleaner_production_project_takes_any_kind(staff, commune):
    other = make_establishment(commune, "Nhà máy giấy", kind=EstablishmentKind.OTHER)
    plan = make_plan(Source.NATIONAL)
    machinery = make_project(staff, {plan: 100 * M}, beneficiaries=[other])
    assert not project_rule_check(machinery, step="submit", day=IN_2026)
    cleaner = make_project(
        staff,
        {make_plan(Source.LOCAL): 100 * M},
        content=ActivityContent.objects.get(code=5),
        beneficiaries=[other],
    )
    assert project_rule_check(cleaner, step="submit", day=IN_2026)


def test_no_rule_in_force_refuses_with_how_to_add_one(commune):
    EligibilityRule.objects.all().delete()
    with translation.override("vi"):
        verdict = make_establishment(commune).eligibility(IN_2026)
    assert not verdict
    assert "Quy định đối tượng thụ hưởng" in verdict.reason


# --- the dossier ---------------------------------------------------------------


def _dossier_html(project) -> str:
    report = DossierReport(project)
    with translation.override("vi"):
        return render_to_string(TEMPLATE, report.context())


def test_a_2018_dossier_cites_the_2018_basis_and_the_old_address(
    staff, reviewer, commune
):
    establishment = make_establishment(
        commune, legacy_address="Thôn 3, xã Hoằng Lộc, huyện Hoằng Hóa"
    )
    plan = make_plan(Source.LOCAL, year=2018)
    project = make_project(staff, {plan: 100 * M}, beneficiaries=[establishment])
    services.project_submit(project=project, by=staff, day=IN_2018)
    review(project, reviewer)
    services.project_approve(
        project=project,
        by=reviewer,
        decision_no="1020/QĐ-UBND",
        decision_date=dt.date(2018, 4, 10),
        approved={Source.LOCAL: 100 * M},
    )
    html = _dossier_html(project)
    assert "Nghị định 45/2012/NĐ-CP; Điều 3 Thông tư 46/2012/TT-BCT" in html
    assert "235/2025" not in html
    assert "huyện Hoằng Hóa" in html
    assert commune.name in html


def test_a_2026_dossier_cites_the_amended_decree_and_todays_commune_only(
    staff, reviewer, commune
):
    establishment = make_establishment(
        commune, legacy_address="Thôn 3, xã Hoằng Lộc, huyện Hoằng Hóa"
    )
    project = make_project(
        staff, {make_plan(Source.LOCAL): 100 * M}, beneficiaries=[establishment]
    )
    advance(project, Status.APPROVED, staff=staff, reviewer=reviewer)
    html = _dossier_html(project)
    assert "Nghị định 235/2025/NĐ-CP" in html
    assert "chưa xác minh" in html
    assert "huyện Hoằng Hóa" not in html


# --- repeat support -------------------------------------------------------------


def test_earlier_support_of_the_same_content_is_shown_to_the_reviewer(
    staff, reviewer, establishment, as_user
):
    earlier = make_project(
        staff,
        {make_plan(Source.LOCAL, year=2024): 100 * M},
        beneficiaries=[establishment],
        title="Máy cưa vòng 2024",
    )
    services.project_submit(project=earlier, by=staff, day=dt.date(2024, 3, 1))
    review(earlier, reviewer)
    services.project_approve(
        project=earlier,
        by=reviewer,
        decision_no="77/QĐ-UBND",
        decision_date=dt.date(2024, 4, 1),
        approved={Source.LOCAL: 100 * M},
    )
    other_content = make_project(
        staff,
        {make_plan(Source.LOCAL, year=2025): 50 * M},
        content=ActivityContent.objects.get(code=1),
        beneficiaries=[establishment],
    )
    advance(other_content, Status.APPROVED, staff=staff, reviewer=reviewer)
    project = make_project(
        staff, {make_plan(Source.LOCAL): 120 * M}, beneficiaries=[establishment]
    )
    services.project_submit(project=project, by=staff, day=IN_2026)

    found = earlier_support(project)
    assert [(s.project, s.year, s.support) for s in found] == [(earlier, 2024, 100 * M)]
    with translation.override("vi"):
        page = as_user(reviewer).get(reverse("projects:detail", args=[project.pk]))
    html = page.content.decode()
    assert 'data-testid="earlier-support"' in html
    assert earlier.code in html and other_content.code not in html
    assert "Quy định đã áp dụng" in html

    # A look-back of one year leaves the 2024 project out; 0 turns it off.
    content = project.content
    content.repeat_lookback_years = 1
    content.save()
    project.refresh_from_db()
    assert earlier_support(project) == []
    content.repeat_lookback_years = 0
    content.save()
    project.refresh_from_db()
    assert earlier_support(project) == []
