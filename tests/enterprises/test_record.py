"""One establishment: detail page, registering and editing it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enterprises.models import Establishment, EstablishmentKind
from tests.builders import establishment_form_data as form_data
from tests.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("enterprises:establishment_create")
IMPORT = reverse("enterprises:establishment_import")
TEMPLATE = reverse("enterprises:establishment_import_template")


def detail(est: Establishment) -> str:
    return reverse("enterprises:establishment_detail", args=[est.pk])


def edit(est: Establishment) -> str:
    return reverse("enterprises:establishment_update", args=[est.pk])


def test_staff_register_an_establishment(staff, as_user, commune, sector):
    client = as_user(staff)
    assert client.get(CREATE).status_code == 200
    response = client.post(
        CREATE, form_data(commune, name="  Cơ sở Đông Sơn ", sectors=[sector.pk])
    )
    est = Establishment.objects.get()
    assert response.status_code == 302
    assert response.url == detail(est)
    assert est.name == "Cơ sở Đông Sơn"
    assert list(est.sectors.all()) == [sector]
    assert "dong son" in est.search_text
    assert est.history.get().history_user == staff


def test_reviewers_managers_and_users_without_role_cannot_register(
    reviewer, manager, nobody, client, commune
):
    est = EstablishmentFactory()
    for user in (reviewer, manager, nobody):
        client.force_login(user)
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, form_data(commune)).status_code == 403
        assert client.get(edit(est)).status_code == 403
        assert client.get(IMPORT).status_code == 403
        assert client.get(TEMPLATE).status_code == 403
    assert Establishment.objects.count() == 1


def test_the_administrator_may_register_too(admin_user, as_user, commune):
    response = as_user(admin_user).post(CREATE, form_data(commune))
    assert response.status_code == 302


def test_it_explains_errors_in_vietnamese(staff, as_user, commune):
    response = as_user(staff).post(
        CREATE,
        form_data(commune, name="", tax_code="12345", workers_women=30),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Trường này là bắt buộc" in body or "không được để trống" in body
    assert "Mã số thuế gồm 10 chữ số" in body
    assert "Số lao động nữ không được lớn hơn tổng số lao động." in body
    assert Establishment.objects.count() == 0


def test_an_existing_tax_code_is_refused_with_a_link_to_the_record(
    staff, as_user, commune
):
    existing = EstablishmentFactory(tax_code="2801234567", name="Công ty gốm Lam")
    response = as_user(staff).post(CREATE, form_data(commune, name="Khác hẳn"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mã số thuế này đã được đăng ký cho cơ sở:" in body
    assert f'<a href="{detail(existing)}">Công ty gốm Lam</a>' in body
    assert Establishment.objects.count() == 1


def test_a_very_similar_name_in_the_same_commune_needs_confirmation(
    staff, as_user, commune
):
    existing = EstablishmentFactory(
        name="Hợp tác xã mây tre đan Hoằng Lộc", commune=commune
    )
    client = as_user(staff)
    data = form_data(commune, name="Hop tac xa may tre dan Hoang Loc.")
    response = client.post(CREATE, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Trong xã/phường này đã có cơ sở với tên rất giống:" in body
    assert f'<a href="{detail(existing)}">' in body
    assert 'type="checkbox" class="form-check-input" name="confirm_similar"' in body
    assert Establishment.objects.count() == 1

    response = client.post(CREATE, {**data, "confirm_similar": "on"})
    assert response.status_code == 302
    assert Establishment.objects.count() == 2


def test_a_similar_name_in_another_commune_is_no_concern(staff, as_user, commune):
    from tests.factories import home_commune

    EstablishmentFactory(name="Hợp tác xã mây tre đan Hoằng Lộc", commune=commune)
    response = as_user(staff).post(
        CREATE, form_data(home_commune(2), tax_code="2807654321")
    )
    assert response.status_code == 302


def test_staff_edit_and_the_change_is_in_the_history(staff, as_user, commune):
    est = EstablishmentFactory(commune=commune, tax_code="2801234567")
    client = as_user(staff)
    assert client.get(edit(est)).status_code == 200
    response = client.post(
        edit(est),
        form_data(commune, name=est.name, representative_name="Trần Văn Cường"),
    )
    assert response.status_code == 302
    est.refresh_from_db()
    assert est.representative_name == "Trần Văn Cường"
    assert "tran van cuong" in est.search_text
    body = client.get(detail(est)).content.decode()
    history = body[body.index('data-testid="history"') :]
    changed = history[history.index("Sửa đổi:") :].split("\n")[0]
    assert "người đại diện" in changed
    assert "tên" not in changed.split(": ")[1].split(", ")
    assert "Tạo mới" in body


def test_the_detail_page_shows_the_record_eligibility_and_empty_sections(
    manager, as_user, commune, sector
):
    est = EstablishmentFactory(
        commune=commune,
        yearly_revenue=1_350_000_000,
        workers_total=20,
        workers_women=12,
    )
    est.sectors.add(sector)
    response = as_user(manager).get(detail(est))
    assert response.status_code == 200
    body = response.content.decode()
    assert est.name in body
    assert "1.350.000.000 đ" in body
    assert sector.name in body
    assert "Thuộc đối tượng được hỗ trợ khuyến công" in body
    assert "hoạt động tại tỉnh" in body
    assert "Chưa có." in body  # projects and equipment, until projects exist
    assert edit(est) not in body  # managers read, they do not edit


def test_an_ineligible_kind_is_shown_with_its_reason(staff, as_user):
    est = EstablishmentFactory(kind=EstablishmentKind.OTHER)
    body = as_user(staff).get(detail(est)).content.decode()
    assert "Không thuộc đối tượng được hỗ trợ khuyến công" in body
    assert "Nghị định 45/2012/NĐ-CP" in body


def test_the_import_page_writes_all_rows_and_reports(
    staff, as_user, commune, django_capture_on_commit_callbacks, in_process
):
    from tests.builders import registry_row as row
    from tests.builders import registry_xlsx as xlsx

    client = as_user(staff)
    assert client.get(TEMPLATE)["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    bad = xlsx([row(1, commune), row(2, commune, kind="???")])
    # The upload becomes a job, run once the row is committed (in-process
    # here, as without a broker), and the page follows it.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"file": bad})
    assert response.status_code == 302
    body = client.get(response.url).content.decode()
    assert "Tệp có 1 lỗi; chưa ghi dữ liệu nào." in body
    assert "Chọn loại hình trong danh sách thả xuống." in body
    assert Establishment.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            IMPORT, {"file": xlsx([row(1, commune), row(2, commune)])}
        )
    assert response.status_code == 302
    assert Establishment.objects.count() == 2
    page = client.get(response.url).content.decode()
    assert "Đã nhập 2 dòng: 2 mới, 0 cập nhật, 0 không thay đổi." in page


def test_the_import_page_refuses_a_file_that_is_not_an_xlsx(staff, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("co-so.xlsx", b"%PDF-1.4 not a workbook")
    response = as_user(staff).post(IMPORT, {"file": fake})
    body = response.content.decode()
    assert "Tệp không phải là sổ tính Excel (.xlsx)." in body


def test_a_craft_village_must_lie_in_the_chosen_commune(staff, as_user, commune):
    from enterprises.models import CraftVillage
    from tests.factories import home_commune

    village = CraftVillage.objects.create(name="Làng đá Nhồi", commune=home_commune(4))
    response = as_user(staff).post(CREATE, form_data(commune, craft_village=village.pk))
    assert "Làng nghề này thuộc xã/phường khác." in response.content.decode()
    assert Establishment.objects.count() == 0


def test_editing_other_fields_does_not_warn_about_a_similar_name_again(
    staff, as_user, commune
):
    EstablishmentFactory(name="Hợp tác xã mây tre đan Hoằng Lộc 1", commune=commune)
    est = EstablishmentFactory(
        name="Hợp tác xã mây tre đan Hoằng Lộc 2",
        commune=commune,
        tax_code="2801234567",
    )
    response = as_user(staff).post(
        edit(est), form_data(commune, name=est.name, notes="Đã kiểm tra")
    )
    assert response.status_code == 302
    response = as_user(staff).post(
        edit(est), form_data(commune, name="Hợp tác xã mây tre đan Hoằng Lộc 3")
    )
    assert response.status_code == 200
    assert "tên rất giống" in response.content.decode()
