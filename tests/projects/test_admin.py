"""Reference data is kept in the admin by the administrator."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "programme",
        "plan",
        "activitycontent",
        "supportrule",
        "route",
        "issuingauthority",
    ],
)
def test_the_administrator_keeps_reference_data_in_the_admin(
    as_user, admin_user, model, local_plan
):
    client = as_user(admin_user)
    assert client.get(reverse(f"admin:projects_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:projects_{model}_add")).status_code == 200


def test_projects_are_read_only_in_the_admin(as_user, admin_user, local_project):
    client = as_user(admin_user)
    url = reverse("admin:projects_project_change", args=[local_project.pk])
    response = client.post(url, {"title": "Đổi tên"})
    local_project.refresh_from_db()
    assert local_project.title != "Đổi tên"
    assert response.status_code == 403
