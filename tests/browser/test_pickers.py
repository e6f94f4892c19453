"""Searchable pickers: staff add two beneficiaries and a commune to a draft by
typing their names without accents, and pick dates the Vietnamese way
(issue 17)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprises.models import Commune
from enterprises.roles import Role
from projects.models import Project, Source
from tests.builders import make_establishment, make_plan
from tests.factories import make_user

from .walk import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_pick_beneficiaries_and_a_commune_by_typing_without_accents(signed_in):
    user = make_user("picker", Role.STAFF)
    make_plan(Source.LOCAL, year=timezone.localdate().year)
    communes = Commune.objects.filter(province_id=38)
    commune = communes.filter(name__contains="Đ").order_by("name").first()
    first = make_establishment(commune, name="Cơ sở mây tre Đông Sơn")
    second = make_establishment(
        commune, name="Hợp tác xã gốm Đồng Tiến", business_registration_no="HKD-2"
    )
    make_establishment(
        commune, name="Cơ sở dệt Bát Tràng", business_registration_no="HKD-3"
    )
    # Signed in once the user menu shows: a page opened before the login's
    # answer arrived would be the login page again.
    page = signed_in(user)
    page.goto(page.base_url + "/de-an/moi/")
    page.get_by_label("Tên đề án").fill("Hỗ trợ máy dệt")
    page.get_by_label("Nội dung khuyến công").select_option(index=1)
    pick(page, "Địa điểm (xã / phường)", commune.name)
    pick(page, "Đơn vị thụ hưởng", first.name, typed="dong son")
    pick(page, "Đơn vị thụ hưởng", second.name, typed="DONG TIEN")
    # Dates: dd/mm/yyyy text whatever the browser's language, with a calendar.
    start = page.get_by_label("Ngày bắt đầu")
    assert start.get_attribute("type") == "text"
    assert start.get_attribute("placeholder") == "dd/mm/yyyy"
    start.locator("xpath=..").get_by_role("button", name="Mở lịch").click()
    days = page.locator(".kc-calendar-grid")
    expect(days).to_be_visible()
    days.get_by_role("button", name="15/").click()
    expect(start).to_have_value(re.compile(r"15/\d\d/\d{4}"))
    end = page.get_by_label("Ngày kết thúc")
    # Into the field as a user does (the click also closes the calendar),
    # then typed: a fill racing the calendar's closing was lost under load.
    end.click()
    end.press_sequentially("31/12/" + str(timezone.localdate().year))
    expect(end).to_have_value("31/12/" + str(timezone.localdate().year))
    page.get_by_label("Tổng kinh phí (đồng)").fill("300000000")
    page.get_by_label("Vốn đối ứng (đồng)").fill("180000000")
    page.get_by_label("Kế hoạch").first.select_option(index=1)
    page.get_by_label("Kinh phí đề nghị hỗ trợ (đồng)").first.fill("120000000")
    # Both dates still as typed when the form goes (the calendar closed).
    expect(page.locator(".kc-calendar-grid")).to_be_hidden()
    expect(end).to_have_value(re.compile(r"31/12/\d{4}"))
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu đề án.")).to_be_visible()
    project = Project.objects.get(title="Hỗ trợ máy dệt")
    assert set(project.beneficiaries.all()) == {first, second}
    assert project.commune == commune
    assert project.start_date.day == 15
    assert (project.end_date.day, project.end_date.month) == (31, 12)
