"""A real Celery worker runs a real task against the real broker and database.

Needs CELERY_BROKER_URL (Redis in CI) and a server database (PostgreSQL): the
worker is a separate process and must see the rows this test commits.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from reports.models import WorkerHeartbeat
from reports.tasks import heartbeat

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return (
        f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


@pytest.fixture
def worker():
    if not settings.CELERY_BROKER_URL:
        pytest.skip(
            "không có CELERY_BROKER_URL: bỏ qua kiểm thử với Celery worker thật"
        )
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL (DATABASE_URL) để worker dùng chung cơ sở dữ liệu")
    queue = f"kc-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "khuyencong",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    try:
        yield queue
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_real_worker_runs_a_task_and_writes_to_the_database(worker):
    name = f"{worker}-probe"
    heartbeat.apply_async(kwargs={"worker": name}, queue=worker)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if WorkerHeartbeat.objects.filter(worker=name).exists():
            break
        time.sleep(0.3)
    row = WorkerHeartbeat.objects.get(worker=name)
    assert row.seen_at is not None
