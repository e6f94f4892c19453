"""The administrators' audit page shows who changed what, with before/after."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enterprises.models import Commune, Establishment

pytestmark = pytest.mark.django_db


def register(client, name: str) -> Establishment:
    commune = Commune.objects.filter(province_id=38).order_by("code").first()
    client.post(
        reverse("enterprises:establishment_create"),
        {
            "name": name,
            "kind": "cooperative",
            "tax_code": "2800000009",
            "representative_name": "Lê Văn Tâm",
            "commune": commune.pk,
            "workers_total": "10",
            "workers_women": "4",
            "workers_ethnic_minority": "0",
            "is_active": "on",
        },
    )
    return Establishment.objects.get(tax_code="2800000009")


def test_it_lists_a_change_with_author_and_before_after(client, staff, admin_user):
    client.force_login(staff)
    est = register(client, "Hợp tác xã chiếu cói Nga Sơn")
    Establishment.history.filter(id=est.pk).update(history_user=staff)
    est.name = "Hợp tác xã chiếu cói Nga Sơn mới"
    est._history_user = staff
    est.save()

    client.force_login(admin_user)
    body = client.get(reverse("audit")).content.decode()
    assert "Hợp tác xã chiếu cói Nga Sơn</span> → " in body
    assert "Hợp tác xã chiếu cói Nga Sơn mới" in body
    assert "Lê Thị Hoa" in body  # the staff member's full name


def test_it_filters_by_author(client, staff, admin_user):
    client.force_login(staff)
    register(client, "Cơ sở mộc Đông Sơn")
    client.force_login(admin_user)
    mine = client.get(reverse("audit"), {"user": admin_user.pk}).content.decode()
    assert "Cơ sở mộc Đông Sơn" not in mine
    theirs = client.get(reverse("audit"), {"user": staff.pk}).content.decode()
    assert "Cơ sở mộc Đông Sơn" in theirs


def test_the_audit_costs_the_same_queries_for_few_or_many_changes(
    client, admin_user, django_assert_max_num_queries
):
    commune = Commune.objects.filter(province_id=38).first()
    for i in range(60):
        e = Establishment(
            name=f"Cơ sở {i}",
            kind="household",
            business_registration_no=f"H{i}",
            representative_name="A",
            commune=commune,
        )
        e.save()
        e.name += " (sửa)"
        e.save()
    client.force_login(admin_user)
    # One query per tracked model for its newest rows, whatever their number
    # (public.Withholding and api.ApiToken are tracked too).
    with django_assert_max_num_queries(22):
        assert client.get(reverse("audit")).status_code == 200


def test_a_bulk_import_is_in_the_audit_with_its_author_and_reason(
    client, staff, admin_user, django_capture_on_commit_callbacks, in_process
):
    from tests.builders import registry_row as row
    from tests.builders import registry_xlsx as xlsx
    from tests.factories import home_commune

    place = home_commune()
    client.force_login(staff)
    # The upload's job runs once committed (in-process, as without a broker).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("enterprises:establishment_import"),
            {"file": xlsx([row(n, place) for n in range(1, 4)])},
        )
    assert response.status_code == 302
    assert Establishment.objects.count() == 3

    client.force_login(admin_user)
    body = client.get(reverse("audit"), {"user": staff.pk}).content.decode()
    for n in range(1, 4):
        assert f"Hợp tác xã mây tre đan số {n}" in body
    assert body.count("Nhập từ Excel") == 3  # the bulk operation says what it was
    assert "Lê Thị Hoa" in body
