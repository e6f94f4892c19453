"""A report whose worker died is noticed by its silent heartbeat, said on its
page, and sent again within minutes (not after the 15-minute time limit)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportJob
from reports.services import report_heartbeat, report_parameters

pytestmark = pytest.mark.django_db


def running_job(*, silent_for: timedelta) -> ReportJob:
    now = timezone.now()
    job = ReportJob.objects.create(
        kind="establishments", parameters=report_parameters(period="2026-Q3")
    )
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING,
        progress=97,
        started_at=now - timedelta(minutes=30),
        heartbeat_at=now - silent_for,
    )
    return ReportJob.objects.get(pk=job.pk)


def test_a_job_without_a_heartbeat_for_three_minutes_is_stale(settings):
    settings.KC_REPORT_STALE_SECONDS = 180
    assert running_job(silent_for=timedelta(minutes=4)).is_stale
    assert not running_job(silent_for=timedelta(seconds=30)).is_stale


def test_the_job_page_says_when_its_worker_went_silent(as_user, manager):
    job = running_job(silent_for=timedelta(minutes=5))
    client = as_user(manager)
    page = client.get(reverse("reports:detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-stale"' in page
    assert "không còn phát tín hiệu" in page
    status = client.get(reverse("reports:status", args=[job.pk])).json()
    assert status["stale"] is True

    alive = running_job(silent_for=timedelta(seconds=10))
    page = client.get(reverse("reports:detail", args=[alive.pk])).content.decode()
    assert 'data-testid="job-stale"' not in page


@pytest.mark.django_db(transaction=True)
def test_a_running_job_beats_while_its_block_runs():
    job = running_job(silent_for=timedelta(minutes=10))
    before = job.heartbeat_at
    with report_heartbeat(job_id=job.pk, every=0.05):
        deadline = time.monotonic() + 30  # a bound on waiting, not on speed
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.heartbeat_at != before:
                break
            time.sleep(0.05)
    assert job.heartbeat_at > before
    assert not job.is_stale
    # Once the block is left, the beats stop. The last beat is read after
    # leaving it: one may land between the loop's read and the block's end.
    job.refresh_from_db()
    last = job.heartbeat_at
    time.sleep(0.2)
    job.refresh_from_db()
    assert job.heartbeat_at == last
