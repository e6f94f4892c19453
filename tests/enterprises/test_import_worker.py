"""A real Celery worker imports an uploaded workbook while its page follows.

Needs CELERY_BROKER_URL (Redis in CI) and PostgreSQL: the worker is another
process and must see the rows this test commits.
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from enterprises.importing.jobs import import_job_start
from enterprises.models import Establishment, ImportJob
from tests.builders import registry_row as row
from tests.builders import registry_xlsx as xlsx

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_imports_the_file_and_the_page_follows(
    worker_queue, start_worker, staff, commune, client
):
    from enterprises.tasks import run_import

    start_worker()
    job = import_job_start(
        file=xlsx([row(n, commune) for n in range(300)]),
        file_name="co-so.xlsx",
        dry_run=False,
        user=staff,
    )
    run_import.apply_async(args=[job.pk], queue=worker_queue)
    client.force_login(staff)
    seen = []
    deadline = time.monotonic() + 90  # a bound on waiting, not on speed
    while time.monotonic() < deadline:
        status = client.get(
            reverse("enterprises:import_job_status", args=[job.pk])
        ).json()
        seen.append(status["rows_read"])
        if status["finished"]:
            break
        time.sleep(0.2)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Establishment.objects.count() == 300
    assert seen == sorted(seen)
