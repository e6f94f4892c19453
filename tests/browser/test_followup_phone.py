"""Issue 21, point 5 on a phone (360 x 740): a year after settlement the
establishment answers its follow-up — a yes/no per machine, the figures, a
photo from the camera — and the centre's list shows it done.

With KC_SHOTS=<dir> the pages are also saved as PNGs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from enterprises.roles import Role
from followups.models import FollowUp
from followups.services import followup_open_due
from projects.models import Source
from tests.builders import make_establishment, make_plan, settled
from tests.factories import home_commune, make_applicant, make_user, png

from .phone import PHONE, fits_the_phone

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_establishment_answers_its_followup_from_its_phone(
    open_page, login, signed_in, tmp_path
):
    staff = make_user("chuyenvien", Role.STAFF)
    reviewer = make_user("thamdinh", Role.REVIEWER)
    establishment = make_establishment(home_commune(), "Cơ sở mộc Hoằng Hóa")
    project = settled(staff, reviewer, make_plan(Source.LOCAL), establishment)
    followup_open_due(today=dt.date(2027, 12, 1))
    applicant = make_applicant("coso-moc", establishment)

    phone = open_page("co-so")
    phone.set_viewport_size(PHONE)
    login(phone, applicant.username, "pw-" + applicant.username)
    phone.goto(phone.base_url + "/thu-huong/theo-doi/")
    fits_the_phone(phone, "21-theo-doi")
    phone.get_by_role("link", name="Trả lời ngay").click()
    expect(
        phone.get_by_role("heading", name=f"Theo dõi sau hỗ trợ: {project.code}")
    ).to_be_visible()
    fits_the_phone(phone, "22-phieu-theo-doi")

    # Sent without the answers: every missing one is named, nothing stored.
    phone.get_by_role("button", name="Gửi phiếu theo dõi").click()
    expect(phone.get_by_test_id("error-summary")).to_be_visible()
    assert not FollowUp.objects.get(project=project).is_done

    machine = phone.get_by_test_id("machine").first
    yes = machine.get_by_text("Còn dùng")
    assert yes.bounding_box()["height"] >= 44
    yes.click()
    phone.fill("#id_jobs", "31")
    phone.fill("#id_revenue", "1500000000")
    photo = tmp_path / "may.png"
    photo.write_bytes(png().read())
    phone.set_input_files("#id_photo", str(photo))
    phone.get_by_role("button", name="Gửi phiếu theo dõi").click()
    expect(phone.get_by_text("Đã ghi nhận phiếu theo dõi. Xin cảm ơn.")).to_be_visible()
    fits_the_phone(phone, "23-da-gui")

    followup = FollowUp.objects.get(project=project)
    assert followup.is_done and followup.jobs == 31
    assert followup.revenue == 1_500_000_000
    assert list(followup.equipment.values_list("in_use", flat=True)) == [True]
    assert followup.photos.count() == 1

    desk = signed_in(staff)
    desk.goto(desk.base_url + "/theo-doi-sau-ho-tro/?state=done")
    row = desk.locator(f"tr[data-pk='{followup.pk}']")
    expect(row).to_contain_text("Hoàn thành")
    expect(row).to_contain_text("Cơ sở khai trực tuyến")
