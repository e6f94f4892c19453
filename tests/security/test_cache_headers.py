"""Pages and files shown to a signed-in user are stored by no cache.

An office computer is shared and a proxy may sit between it and the portal:
`Cache-Control: no-store, private` keeps names, tax codes and money out of
both once the user has left.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import ReportJob
from reports.services import report_generate, report_parameters
from tests.builders import make_establishments

pytestmark = pytest.mark.django_db


def assert_not_stored(response) -> None:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives, response["Cache-Control"]


def test_authenticated_pages_are_not_stored(as_user, staff):
    client = as_user(staff)
    for url in [
        reverse("home"),
        reverse("enterprises:establishment_list"),
        reverse("projects:list"),
        reverse("enterprises:establishment_export"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_not_stored(response)


def test_a_private_download_is_not_stored(as_user, manager):
    make_establishments(2)
    job = report_generate(
        job=ReportJob.objects.create(
            kind="establishments",
            parameters=report_parameters(period="2026"),
            requested_by=manager,
        )
    )
    response = as_user(manager).get(reverse("reports:download", args=[job.pk, "xlsx"]))
    assert response.status_code == 200
    assert_not_stored(response)


def test_static_files_stay_cacheable_for_signed_in_users(as_user, staff):
    """Static files are the same for everyone: whitenoise answers them before
    the session is read, so they keep their own caching."""
    response = as_user(staff).get("/static/css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
