"""A broker that is down costs no page and loses no report request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import ReportJob
from reports.services import report_requeue_stale
from tests.builders import DEAD_BROKER

pytestmark = pytest.mark.django_db


def test_a_report_asked_for_while_the_broker_is_down_waits_then_goes_out(
    broker, as_user, manager, establishments, django_capture_on_commit_callbacks
):
    broker(DEAD_BROKER)
    client = as_user(manager)
    assert client.get(reverse("home")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request"),
            {"kind": "establishments", "period": "2026", "formats": ["xlsx"]},
        )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert (job.status, job.enqueued_at) == (ReportJob.Status.QUEUED, None)
    page = client.get(response.url).content.decode()
    assert 'data-testid="waiting-broker"' in page
    assert "không cần yêu cầu lại" in page

    # Nothing is sent while the broker stays down...
    assert report_requeue_stale() == []
    # ...and the next beat run after it is back sends the job, once.
    broker("memory://")
    assert report_requeue_stale() == [job.pk]
    job.refresh_from_db()
    assert job.enqueued_at is not None
    assert report_requeue_stale() == []
