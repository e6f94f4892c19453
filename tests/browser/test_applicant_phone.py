"""Acceptance 1 of issue 21 on a phone (360 x 740): an establishment signs
up, the centre verifies it, it files a request with two uploads (the rules
checked as it types), the centre asks for a missing document, the
establishment answers, the request becomes a project, the project is
approved along the local route (received, council, appraisal, decision:
tests.builders.approve_and_pay, through the lifecycle services as the Sở
would) and paid, and the establishment sees each step explained, downloads
the decision and sees the money received.

Every applicant page is checked for sideways scrolling and touch-sized
buttons. With KC_SHOTS=<dir> the pages are also saved as PNGs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from applicants.models import SupportRequest
from enterprises.roles import Role
from projects.models import ActivityContent, Source, Status
from tests.builders import approve_and_pay, make_establishment, make_plan
from tests.factories import home_commune, make_user

from .phone import PHONE, fits_the_phone

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
    # Content 4 (machinery) by its number: its key differs once the
    # reference data has been restored after another test's flush.
    machinery = ActivityContent.objects.get(code=4)
    phone.select_option("#id_content", str(machinery.pk))
    phone.fill("#id_items", "01 máy chẻ nan: 250.000.000 đ")
    # The rules are checked as the amounts are typed, before any save.
    phone.fill("#id_total_cost", "250.000.000")
    phone.fill("#id_requested", "100.000.000")
    phone.fill("#id_counterpart", "100.000.000")
    expect(phone.get_by_test_id("live-total_cost")).to_contain_text("không khớp")
    fits_the_phone(phone, "03b-kiem-tra-khi-nhap")
    phone.fill("#id_counterpart", "150.000.000")
    expect(phone.get_by_test_id("live-total_cost")).to_be_empty()
    expect(phone.get_by_test_id("live-ok")).to_be_visible()
    phone.get_by_role("button", name="Lưu nháp và kiểm tra quy định").click()
    expect(phone.get_by_test_id("rule-ok")).to_be_visible()
    # The file inputs offer the camera and the types the centre accepts.
    photo = phone.locator("#id_photo")
    assert photo.get_attribute("capture") == "environment"
    assert "application/pdf" in phone.locator("#id_file").get_attribute("accept")
    # Their buttons speak Vietnamese whatever the browser's language (this
    # browser's is English, whose own control says "Choose File").
    for field in ("#id_file", "#id_photo"):
        button = phone.locator(f"label[for='{field[1:]}'].btn")
        expect(button).to_have_text("Chọn tệp")
        assert button.bounding_box()["height"] >= 44
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

    approve_and_pay(
        item.project, staff=staff, reviewer=make_user("pheduyet", Role.REVIEWER)
    )
    phone.reload()
    phone.get_by_role("link", name="Mua máy chẻ nan mây").click()
    expect(phone.get_by_test_id("where-it-stands")).to_contain_text("Hợp đồng đã ký")
    # The local route's steps, each in plain words: received, the council,
    # the Sở's appraisal, the decision, the contract.
    steps = phone.get_by_test_id("steps")
    for meaning in (
        "Sở đã tiếp nhận hồ sơ đầy đủ",
        "Hội đồng xét chọn đã chấm điểm đề án",
        "Đề án đã được thẩm định; chờ",
        "Đề án đã được phê duyệt",
    ):
        expect(steps).to_contain_text(meaning)
    expect(phone.get_by_test_id("decision")).to_contain_text(
        "Phê duyệt · Quyết định số 123/QĐ ngày 20/03/2026"
    )
    expect(phone.get_by_test_id("payments")).to_contain_text("40.000.000")
    fits_the_phone(phone, "08-theo-doi-du-an")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="quyet-dinh-phe-duyet.pdf").click()
    assert download.value.suggested_filename == "quyet-dinh-phe-duyet.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    # The menu opens without JavaScript on the light pages.
    phone.get_by_test_id("applicant-menu").click()
    expect(phone.get_by_role("link", name="Đề án của tôi", exact=True)).to_be_visible()
    fits_the_phone(phone, "09-menu")
