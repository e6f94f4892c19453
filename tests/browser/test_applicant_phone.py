"""Acceptance 1 of issue 21, as far as built, on a phone (360 x 740): an
establishment signs up, the centre verifies it, it files a request with two
uploads, the centre asks for a missing document, the establishment answers,
and the request becomes a draft project the establishment then follows.

Every applicant page is checked for sideways scrolling and touch-sized
buttons. With KC_SCREENSHOTS=<dir> the pages are also saved as PNGs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from applicants.models import SupportRequest
from enterprises.roles import Role
from projects.models import Source, Status
from tests.builders import make_establishment, make_plan
from tests.factories import home_commune, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
SHOTS = os.environ.get("KC_SCREENSHOTS")
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A finger-sized target (WCAG 2.5.5 asks 44 CSS px).
TOUCH_PX = 44


def fits_the_phone(page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (name, width)
    for button in page.locator("main button[type=submit]:visible").all():
        box = button.bounding_box()
        assert box["height"] >= TOUCH_PX, (name, button.inner_text(), box)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def a_file(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(PDF)
    return str(path)


def test_an_establishment_files_a_request_from_its_phone(open_page, login, tmp_path):
    establishment = make_establishment(
        home_commune(), "Cơ sở mây tre Hà Trung", business_registration_no="HKD-2026-77"
    )
    staff = make_user("chuyenvien", Role.STAFF)
    plan = make_plan(Source.LOCAL)

    phone = open_page("co-so")
    phone.set_viewport_size(PHONE)
    phone.goto(phone.base_url + "/dang-nhap/")
    phone.get_by_role("link", name="Là cơ sở? Đăng ký để đề nghị hỗ trợ").click()
    fits_the_phone(phone, "01-dang-ky")
    phone.fill("#id_claimed_code", "HKD-2026-77")
    phone.fill("#id_claimed_name", "Cơ sở mây tre Hà Trung")
    phone.fill("#id_email", "maytre@example.vn")
    phone.fill("#id_phone", "0912 345 678")
    phone.fill("#id_password1", "mây-tre-2026!")
    phone.fill("#id_password2", "mây-tre-2026!")
    phone.get_by_role("button", name="Đăng ký").click()
    expect(phone.get_by_role("heading", name="Hãy kiểm tra e-mail")).to_be_visible()

    confirm = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    phone.goto(confirm)
    expect(phone.get_by_text("E-mail đã được xác nhận")).to_be_visible()
    login(phone, "maytre@example.vn", "mây-tre-2026!")
    expect(phone.get_by_test_id("waiting-verification")).to_be_visible()
    fits_the_phone(phone, "02-cho-xac-minh")

    desk = open_page("trung-tam")
    login(desk, "chuyenvien", "pw-chuyenvien")
    desk.goto(desk.base_url + "/de-nghi/tai-khoan/")
    desk.get_by_role("button", name="Xác minh: gắn với cơ sở này").click()
    expect(desk.get_by_text("từ nay được gửi đề nghị")).to_be_visible()

    phone.goto(phone.base_url + "/thu-huong/")
    phone.get_by_role("link", name="Đề nghị hỗ trợ mới").click()
    fits_the_phone(phone, "03-de-nghi-moi")
    phone.fill("#id_title", "Mua máy chẻ nan mây")
    phone.select_option("#id_content", "4")
    phone.fill("#id_items", "01 máy chẻ nan: 250.000.000 đ")
    phone.fill("#id_total_cost", "250.000.000")
    phone.fill("#id_requested", "100.000.000")
    phone.fill("#id_counterpart", "150.000.000")
    phone.get_by_role("button", name="Lưu nháp và kiểm tra quy định").click()
    expect(phone.get_by_test_id("rule-ok")).to_be_visible()
    # The file inputs offer the camera and the types the centre accepts.
    photo = phone.locator("#id_photo")
    assert photo.get_attribute("capture") == "environment"
    assert "application/pdf" in phone.locator("#id_file").get_attribute("accept")
    for kind, name in (
        ("registration", "dang-ky-kd.pdf"),
        ("quotation", "bao-gia.pdf"),
    ):
        phone.select_option("#id_kind", kind)
        phone.set_input_files("#id_file", a_file(tmp_path, name))
        phone.get_by_role("button", name="Thêm tài liệu").click()
        expect(phone.get_by_role("link", name=name)).to_be_visible()
    fits_the_phone(phone, "04-ban-nhap")
    phone.get_by_role("button", name="Gửi Trung tâm").click()
    expect(phone.get_by_text("Đã gửi đề nghị tới Trung tâm.")).to_be_visible()
    fits_the_phone(phone, "05-da-gui")

    desk.goto(desk.base_url + "/de-nghi/")
    desk.get_by_role("link", name="Mua máy chẻ nan mây").click()
    desk.fill("#id_body", "Đề nghị bổ sung báo cáo tài chính năm 2025.")
    desk.get_by_role("button", name="Gửi yêu cầu").click()
    expect(desk.get_by_test_id("request-status")).to_have_text(
        "Trung tâm yêu cầu bổ sung"
    )

    phone.goto(phone.base_url + "/thong-bao/")
    phone.goto(phone.base_url + "/thu-huong/")
    phone.get_by_role("link", name=re.compile("Mua máy chẻ nan mây")).click()
    phone.get_by_role("link", name="Xem yêu cầu của Trung tâm và trả lời").click()
    expect(phone.get_by_text("báo cáo tài chính năm 2025")).to_be_visible()
    phone.fill("#id_body", "Xin gửi báo cáo tài chính năm 2025.")
    phone.set_input_files("#id_file", a_file(tmp_path, "bao-cao-tai-chinh.pdf"))
    fits_the_phone(phone, "06-tra-loi")
    phone.get_by_role("button", name="Gửi trả lời").click()
    expect(phone.get_by_text("Đã gửi trả lời tới Trung tâm.")).to_be_visible()

    desk.reload()
    desk.select_option("#id_plan", str(plan.pk))
    desk.get_by_role("button", name="Lập dự thảo đề án").click()
    expect(desk.get_by_text("Đã lập dự thảo đề án")).to_be_visible()

    item = SupportRequest.objects.get()
    assert item.documents.count() == 3
    assert item.project.status == Status.DRAFT
    assert list(item.project.beneficiaries.all()) == [establishment]
    phone.goto(phone.base_url + "/thu-huong/du-an/")
    expect(phone.get_by_test_id("my-project")).to_contain_text(item.project.code)
    expect(phone.get_by_test_id("my-project")).to_contain_text("Chuyên viên Trung tâm")
    fits_the_phone(phone, "07-du-an-cua-toi")
    assert staff.notifications.count() == 2
