"""A real Celery worker runs a real task against the real broker and database.

Needs CELERY_BROKER_URL (Redis in CI) and a server database (PostgreSQL): the
worker is a separate process and must see the rows this test commits.
"""

from __future__ import annotations

import time

import pytest

from reports.models import WorkerHeartbeat
from reports.tasks import heartbeat

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_runs_a_task_and_writes_to_the_database(
    worker_queue, start_worker
):
    start_worker()
    name = f"{worker_queue}-probe"
    heartbeat.apply_async(kwargs={"worker": name}, queue=worker_queue)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if WorkerHeartbeat.objects.filter(worker=name).exists():
            break
        time.sleep(0.3)
    row = WorkerHeartbeat.objects.get(worker=name)
    assert row.seen_at is not None
