"""Money checks at submission and approval, and what the database holds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from projects import services
from projects.models import (
    ActivityContent,
    Plan,
    Project,
    ProjectCodeCounter,
    ProjectFunding,
    Refused,
    Source,
    Status,
    SupportRule,
)
from tests.builders import (
    SUBMIT_DAY,
    advance,
    decision,
    make_establishment,
    make_plan,
    make_project,
    review,
)

pytestmark = pytest.mark.django_db

# The machinery rule in force in 2026 (see docs/rules.md).
BASIS = "Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC"


def refused_submission(project, staff, day=SUBMIT_DAY) -> str:
    with translation.override("vi"), pytest.raises(Refused) as refused:
        services.project_submit(project=project, by=staff, day=day)
    project.refresh_from_db()
    assert project.status == Status.DRAFT
    assert project.transitions.count() == 0
    return str(refused.value)


# --- the seeded reference data -------------------------------------------------


def test_the_eleven_activity_contents_are_seeded_in_vietnamese():
    names = list(ActivityContent.objects.values_list("name", flat=True))
    assert len(names) == 11
    assert names[0] == "Đào tạo nghề, truyền nghề"
    assert "Chuyển đổi số" in names


def test_the_machinery_rule_is_seeded_with_its_legal_basis():
    rule = SupportRule.objects.get(
        content__code=4, variant="", source="KCQG", valid_from=dt.date(2018, 5, 11)
    )
    assert rule.share_cap == Decimal("50")
    assert rule.absolute_cap == 300_000_000
    assert rule.unit == "establishment"
    assert rule.legal_basis == "Điều 8 khoản 4 Thông tư 28/2018/TT-BTC"
    assert rule.verified


# --- support rules at submission -----------------------------------------------


def test_support_above_the_share_cap_is_refused_naming_the_legal_basis(
    staff, national_plan, establishment
):
    # 160 of 300 million is 53 % > 50 %.
    project = make_project(
        staff,
        {national_plan: 160_000_000},
        counterpart=140_000_000,
        beneficiaries=[establishment],
    )
    message = refused_submission(project, staff)
    assert "vượt quá 50% tổng kinh phí" in message
    assert BASIS in message


def test_exactly_half_is_allowed(staff, national_plan, establishment):
    project = make_project(
        staff,
        {national_plan: 150_000_001},
        counterpart=150_000_001,
        beneficiaries=[establishment],
    )
    services.project_submit(project=project, by=staff, day=SUBMIT_DAY)
    assert project.status == Status.SUBMITTED


def test_support_above_the_absolute_cap_is_refused_naming_the_legal_basis(
    staff, national_plan, establishment
):
    project = make_project(
        staff,
        {national_plan: 350_000_000},
        counterpart=400_000_000,
        beneficiaries=[establishment],
    )
    message = refused_submission(project, staff)
    assert "vượt quá mức tối đa 300.000.000 đ" in message
    assert BASIS in message


def test_the_per_establishment_cap_grows_with_the_beneficiaries(
    staff, national_plan, commune
):
    two = [
        make_establishment(commune, "Cơ sở A", business_registration_no="A"),
        make_establishment(commune, "Cơ sở B", business_registration_no="B"),
    ]
    project = make_project(
        staff, {national_plan: 350_000_000}, counterpart=400_000_000, beneficiaries=two
    )
    services.project_submit(project=project, by=staff, day=SUBMIT_DAY)
    assert project.status == Status.SUBMITTED


def test_the_rule_valid_on_the_submission_date_applies_not_a_later_one(
    staff, national_plan, establishment
):
    seeded = SupportRule.objects.get(
        content__code=4, variant="", source="KCQG", valid_from=dt.date(2024, 10, 15)
    )
    seeded.valid_to = dt.date(2026, 6, 30)
    seeded.save()
    SupportRule.objects.create(
        content=seeded.content,
        source="both",
        share_cap=Decimal("30"),
        absolute_cap=100_000_000,
        unit="establishment",
        legal_basis="Thông tư 99/2026/TT-BTC",
        valid_from=dt.date(2026, 7, 1),
    )
    project = make_project(
        staff, {national_plan: 120_000_000}, beneficiaries=[establishment]
    )
    # Submitted in March: the later, stricter circular does not apply yet.
    services.project_submit(project=project, by=staff, day=SUBMIT_DAY)
    assert project.status == Status.SUBMITTED

    later = make_project(
        staff, {national_plan: 120_000_000}, beneficiaries=[establishment]
    )
    message = refused_submission(later, staff, day=dt.date(2026, 7, 2))
    assert "Thông tư 99/2026/TT-BTC" in message
    assert BASIS not in message


def test_a_variant_has_its_own_rule(staff, national_plan, establishment):
    # 400 million is above the machinery cap but within the production line's.
    project = make_project(
        staff,
        {national_plan: 400_000_000},
        counterpart=450_000_000,
        beneficiaries=[establishment],
        support_variant="dây chuyền công nghệ",
    )
    services.project_submit(project=project, by=staff, day=SUBMIT_DAY)
    assert project.status == Status.SUBMITTED


# --- other checks at submission ------------------------------------------------


def test_parts_that_do_not_add_up_are_refused(staff, local_plan, establishment):
    project = make_project(
        staff,
        {local_plan: 120_000_000},
        total_cost=310_000_000,
        beneficiaries=[establishment],
    )
    assert "không khớp tổng kinh phí" in refused_submission(project, staff)


def test_a_missing_counterpart_is_refused(staff, local_plan, establishment):
    project = make_project(
        staff,
        {local_plan: 120_000_000},
        counterpart=0,
        other=120_000_000,
        beneficiaries=[establishment],
    )
    assert "vốn đối ứng" in refused_submission(project, staff)


def test_an_ineligible_beneficiary_is_refused_with_the_reason(
    staff, local_plan, commune
):
    other = make_establishment(commune, "Công ty lớn", kind="other")
    project = make_project(staff, {local_plan: 120_000_000}, beneficiaries=[other])
    assert "Công ty lớn không đủ điều kiện" in refused_submission(project, staff)


def test_only_a_group_project_may_name_beneficiaries_later(staff, local_plan):
    project = make_project(staff, {local_plan: 120_000_000})
    assert "đơn vị thụ hưởng" in refused_submission(project, staff)
    group = make_project(staff, {local_plan: 120_000_000}, is_group=True)
    services.project_submit(project=group, by=staff, day=SUBMIT_DAY)
    assert group.status == Status.SUBMITTED


# --- approval against the plan -------------------------------------------------


def approve(project, reviewer, amount: int):
    if project.status == Status.SUBMITTED:
        review(project, reviewer)  # to the decision step of its route
    return services.project_approve(
        project=project,
        by=reviewer,
        decision_no="5/QĐ-UBND",
        decision_date=dt.date(2026, 3, 25),
        approved={Source.LOCAL: amount},
    )


def test_approvals_beyond_the_plan_allocation_are_refused(
    staff, reviewer, establishment
):
    plan = make_plan(Source.LOCAL, allocated=200_000_000)
    first = make_project(staff, {plan: 120_000_000}, beneficiaries=[establishment])
    second = make_project(staff, {plan: 120_000_000}, beneficiaries=[establishment])
    for p in (first, second):
        services.project_submit(project=p, by=staff, day=SUBMIT_DAY)
    approve(first, reviewer, 120_000_000)
    with translation.override("vi"), pytest.raises(Refused) as refused:
        approve(second, reviewer, 100_000_000)
    assert "sẽ vượt kế hoạch" in str(refused.value)
    assert "còn lại 80.000.000 đ" in str(refused.value)
    second.refresh_from_db()
    assert second.status == Status.APPRAISED
    assert second.fundings.get().approved is None
    # What is left may still be approved.
    approve(second, reviewer, 80_000_000)
    assert Plan.objects.with_money().get(pk=plan.pk).remaining == 0


def test_approving_more_than_requested_is_refused(local_project, staff, reviewer):
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    with pytest.raises(Refused):
        approve(local_project, reviewer, 120_000_001)
    assert local_project.status == Status.APPRAISED


def test_budget_left_counts_only_committed_projects(
    staff, reviewer, local_plan, establishment
):
    approved = make_project(
        staff, {local_plan: 120_000_000}, beneficiaries=[establishment]
    )
    advance(approved, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    make_project(staff, {local_plan: 100_000_000}, beneficiaries=[establishment])
    cancelled = make_project(
        staff, {local_plan: 100_000_000}, beneficiaries=[establishment]
    )
    advance(cancelled, Status.APPROVED, staff=staff, reviewer=reviewer)
    services.project_cancel(
        project=cancelled, by=reviewer, reason="Rút", **decision(cancelled)
    )
    plan = Plan.objects.with_money().get(pk=local_plan.pk)
    assert plan.approved_sum == 120_000_000
    # The cancelled project's support went back to the plan.
    assert plan.released_sum == 100_000_000
    assert plan.remaining == 2_000_000_000 - 120_000_000


# --- codes and database constraints ----------------------------------------------


def test_codes_count_per_source_and_year(staff, local_plan, national_plan):
    codes = [
        make_project(staff, {local_plan: 1}).code,
        make_project(staff, {national_plan: 1}).code,
        make_project(staff, {local_plan: 1}).code,
        make_project(staff, {make_plan(Source.LOCAL, year=2027): 1}).code,
    ]
    assert codes == ["KCĐP-2026-001", "KCQG-2026-001", "KCĐP-2026-002", "KCĐP-2027-001"]
    assert ProjectCodeCounter.objects.get(source="KCDP", year=2026).last_number == 2


def test_the_database_refuses_negative_and_over_approved_amounts(local_project):
    funding = local_project.fundings.get()
    for field, value in (("requested", -1), ("approved", 120_000_001)):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProjectFunding.objects.filter(pk=funding.pk).update(**{field: value})


def test_the_database_refuses_parts_that_do_not_add_up_once_submitted(
    local_project, staff
):
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=local_project.pk).update(counterpart=1)


def test_a_beneficiary_no_longer_eligible_blocks_the_approval(
    local_project, staff, reviewer, establishment
):
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    review(local_project, reviewer)
    establishment.kind = "other"
    establishment.save()
    with translation.override("vi"), pytest.raises(Refused) as refused:
        approve(local_project, reviewer, 120_000_000)
    assert "không đủ điều kiện" in str(refused.value)
    local_project.refresh_from_db()
    assert local_project.status == Status.APPRAISED


def test_every_change_to_a_funding_row_names_who_made_it(
    local_project, staff, reviewer
):
    advance(local_project, Status.SETTLED, staff=staff, reviewer=reviewer)
    history = local_project.fundings.get().history.order_by("history_date")
    assert [(h.history_user.username, h.approved, h.settled) for h in history] == [
        ("staff", None, None),
        ("reviewer", 120_000_000, None),
        ("staff", 120_000_000, 120_000_000),
    ]
