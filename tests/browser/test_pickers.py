"""Searchable pickers: staff add two beneficiaries and a commune to a draft by
typing their names without accents (issue 17)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from enterprises.models import Commune
from enterprises.roles import Role
from projects.models import Project, Source
from tests.conftest import make_user
from tests.projects.conftest import make_establishment, make_plan

from .conftest import login, pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_pick_beneficiaries_and_a_commune_by_typing_without_accents(page):
    make_user("picker", Role.STAFF)
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
    login(page, "picker", "pw-picker")
    page.goto(page.base_url + "/de-an/moi/")
    page.get_by_label("Tên đề án").fill("Hỗ trợ máy dệt")
    page.get_by_label("Nội dung khuyến công").select_option(index=1)
    pick(page, "Đơn vị thụ hưởng", first.name, typed="dong son")
    pick(page, "Đơn vị thụ hưởng", second.name, typed="DONG TIEN")
    pick(page, "Địa điểm (xã / phường)", commune.name)
    page.get_by_label("Tổng kinh phí (đồng)").fill("300000000")
    page.get_by_label("Vốn đối ứng (đồng)").fill("180000000")
    page.get_by_label("Kế hoạch").first.select_option(index=1)
    page.get_by_label("Kinh phí đề nghị hỗ trợ (đồng)").first.fill("120000000")
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.get_by_text("Đã lưu đề án.").wait_for()
    project = Project.objects.get(title="Hỗ trợ máy dệt")
    assert set(project.beneficiaries.all()) == {first, second}
    assert project.commune == commune
