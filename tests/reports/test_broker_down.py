"""A broker that is down costs no page and loses no report request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from khuyencong.celery import app
from reports.models import ReportJob
from reports.services import report_requeue_stale

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker():
    """Point the Celery app at a broker of the test's choosing, then restore."""
    saved = app.conf.task_always_eager

    def use(url: str) -> None:
        # The write URL: with CELERY_BROKER_URL in Django's settings, the
        # namespaced key shadows a plain `broker_url` override.
        app.conf.broker_write_url = url
        app.conf.task_always_eager = False
        # Drop pooled connections and producers bound to the previous broker.
        app._pool = None
        app.amqp._producer_pool = None

    yield use
    app.conf.broker_write_url = None
    app.conf.task_always_eager = saved
    app._pool = None
    app.amqp._producer_pool = None


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
