"""A payment voided from its row, and an adjustment's versions on the project
page, in a real browser (issue 14, points 4 and 6).

Set KC_SHOTS to a folder to keep the pages' screenshots (tests/browser/shots.py).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from projects import services
from projects.models import Disbursement, Source
from tests.browser.shots import shot
from tests.builders import M, decision, pay, running

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_void_a_payment_and_the_page_shows_the_versions(
    signed_in, staff, reviewer, local_plan, establishment
):
    p = running(staff, reviewer, local_plan, establishment)
    services.project_request_adjustment(
        project=p,
        by=staff,
        reason="Bổ sung một máy bào",
        changes={
            "approved": {Source.LOCAL: 140 * M},
            "total_cost": 320 * M,
            "target_machines": 3,
        },
    )
    services.project_decide_adjustment(
        project=p,
        by=reviewer,
        approve=True,
        comment="Đồng ý",
        **decision(p, "adjustment"),
    )
    pay(p, staff, 30 * M, kind="advance")
    wrong = pay(p, staff, 20 * M, voucher_no="PC-TRUNG")

    page = signed_in(staff)
    page.goto(page.base_url + reverse("money:project", args=[p.pk]))
    row = page.locator(f"#disbursement-{wrong.pk}")
    row.get_by_text("Hủy bỏ", exact=True).first.click()
    row.get_by_label("Lý do hủy bỏ").fill("Nhập trùng chứng từ PC-TRUNG")
    row.get_by_role("button", name="Hủy bỏ").click()
    expect(page.get_by_text("Đã hủy bỏ khoản giải ngân.")).to_be_visible()
    voided = page.locator(f"#disbursement-{wrong.pk}")
    expect(voided).to_have_class("voided")
    expect(voided).to_contain_text("Nhập trùng chứng từ PC-TRUNG")
    # The figures above drop it: 30 M disbursed, not 50 M.
    expect(page.get_by_test_id(f"paid-{Source.LOCAL}")).to_contain_text("30.000.000")
    assert Disbursement.objects.get(pk=wrong.pk).state == "voided"
    shot(page, "execution-voided-payment", office_screen=True)

    page.goto(page.base_url + p.get_absolute_url())
    versions = page.get_by_test_id("support-versions")
    expect(versions).to_contain_text("120.000.000")
    expect(versions).to_contain_text("140.000.000")
    expect(page.get_by_test_id("decisions")).to_contain_text("Ủy ban nhân dân tỉnh")
    page.get_by_test_id("decisions").scroll_into_view_if_needed()
    shot(page, "project-adjustment-versions", office_screen=True)
