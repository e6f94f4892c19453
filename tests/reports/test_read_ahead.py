"""A report's rows read in a thread with its own connection while the writer
writes them (reports.readahead, issue 20): the same rows, totals and progress
as read in the caller's transaction, none of the reading on the caller's
connection, and the thread's connection closed however the reading ends.

Transactional: another connection sees only committed rows, so the world is
committed here, and flushed after each test."""

from __future__ import annotations

import sys
import threading

import pytest
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.utils import translation

from enterprises.roles import Role
from reports.exporters import get_exporter, progress
from reports.exporters.base import ReportError
from reports.models import ReportJob
from reports.periods import Period
from reports.services import report_generate, report_parameters
from tests.builders import reports_world
from tests.factories import make_user
from tests.readers import read_xlsx

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="rows are read ahead on PostgreSQL"
    ),
    pytest.mark.usefixtures("in_process"),
]


@pytest.fixture
def world():
    staff = make_user("staff", Role.STAFF)
    return reports_world(staff, make_user("reviewer", Role.REVIEWER))


@pytest.fixture
def opened():
    """The database connections opened while the test runs, in any thread."""
    wrappers: list = []

    def record(sender, connection, **kwargs) -> None:
        wrappers.append((threading.current_thread().name, connection))

    connection_created.connect(record)
    yield wrappers
    connection_created.disconnect(record)


def read(period: str) -> tuple[list, tuple | None, list]:
    seen: list = []
    exporter = get_exporter("progress")(
        period=Period.parse(period),
        on_progress=lambda done, expected: seen.append((done, expected)),
    )
    rows = list(exporter.iter_rows())
    return rows, exporter.totals(), seen


def readers_closed(opened: list) -> bool:
    return all(w.connection is None for name, w in opened if name == "report-rows")


@pytest.mark.parametrize("period", ["2026", "2025..2026", "2026-H2"])
def test_rows_read_ahead_are_those_read_in_the_callers_transaction(
    world, period, monkeypatch, opened, django_assert_num_queries
):
    # Chunks of two projects: several queries for the thread to run ahead.
    monkeypatch.setattr(progress, "CHUNK", 2)
    interval = sys.getswitchinterval()
    with translation.override("vi"):
        with django_assert_num_queries(0):  # all of it on the thread's connection
            ahead = read(period)
        with transaction.atomic():
            here = read(period)
    assert ahead == here
    assert sys.getswitchinterval() == interval  # lowered while reading only
    rows, _totals, seen = ahead
    assert sum(1 for r in rows if r[0] is not None) >= 2
    assert seen[-1] == (len(rows), len(rows))
    assert [name for name, _w in opened] == ["report-rows"]
    assert readers_closed(opened)
    assert "report-rows" not in {t.name for t in threading.enumerate()}


def test_a_job_read_ahead_writes_the_rows_read_in_a_transaction(world, opened):
    job = ReportJob.objects.create(
        kind="progress", parameters=report_parameters(period="2026", formats=["xlsx"])
    )
    job = report_generate(job=job)
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.progress == 100
    _ws, _header, rows, _totals = read_xlsx(job.file_for("xlsx").path)
    with translation.override("vi"), transaction.atomic():
        expected, _t, _s = read("2026")
    # Numbers, codes, Vietnamese stages: the thread wrote in the job's language.
    assert [[c.value for c in r[:2]] + [r[8].value] for r in rows] == [
        [r[0], r[1], r[8]] for r in expected
    ]
    assert "report-rows" in {name for name, _w in opened}
    assert readers_closed(opened)


class Failing(progress.ProgressExporter):
    """A report whose reading fails after its first rows."""

    def rows(self):
        for index, row in enumerate(super().rows()):
            if index == 2:
                raise ReportError("the reading failed")
            yield row


def test_a_failure_while_reading_ahead_reaches_the_writer(world, opened, monkeypatch):
    monkeypatch.setattr(progress, "CHUNK", 1)
    exporter = Failing(period=Period.parse("2026"))
    with pytest.raises(ReportError, match="the reading failed"):
        list(exporter.iter_rows())
    assert readers_closed(opened)
    assert "report-rows" not in {t.name for t in threading.enumerate()}


def test_a_writer_that_stops_early_ends_the_reading(world, opened, monkeypatch):
    monkeypatch.setattr(progress, "CHUNK", 1)
    rows = get_exporter("progress")(period=Period.parse("2026")).iter_rows()
    assert next(rows)[0] == 1
    rows.close()
    assert readers_closed(opened)
    assert "report-rows" not in {t.name for t in threading.enumerate()}
    # The caller's connection goes on as before.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
