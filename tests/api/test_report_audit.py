"""A report asked for through the API lands in the audit trail, with the key's
user, like every other API write (issue 19)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from api.models import Scope
from khuyencong.audit import audit_entries
from reports.models import ReportJob

pytestmark = pytest.mark.django_db


def test_a_report_requested_through_the_api_is_in_the_audit_trail(
    as_token, staff, admin_user, client, django_capture_on_commit_callbacks, in_process
):
    client = as_token(staff, Scope.WRITE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/report-jobs/",
            {"kind": "establishments", "period": "2026-H1", "formats": ["xlsx"]},
            format="json",
        )
    assert response.status_code == 201, response.json()
    job = ReportJob.objects.get()
    created = job.history.earliest()
    assert created.history_type == "+"
    # No session on an API request: the key's user is named all the same.
    assert created.history_user == staff
    # The worker produced it; the trail holds the request, once, by its user.
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    (entry,) = audit_entries(model="reports.reportjob")
    assert (entry.action, entry.user, entry.object_id) == ("+", staff, job.pk)
    assert "2026-H1" in entry.object_repr
    # The administrators' page shows it.
    client.force_login(admin_user)
    page = client.get(reverse("audit"), {"model": "reports.reportjob"})
    html = page.content.decode()
    assert "2026-H1" in html and staff.get_full_name() in html


def test_a_refused_report_request_leaves_no_trace(as_token, staff):
    client = as_token(staff, Scope.WRITE)
    response = client.post(
        "/api/v1/report-jobs/",
        {"kind": "establishments", "period": "2026-H3"},
        format="json",
    )
    assert response.status_code == 400
    assert not ReportJob.history.exists()
