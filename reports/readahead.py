"""A report's rows read in a thread of their own while the writer writes them.

A long report's rows come from a few hundred queries run one after another
(the progress report: a server-side cursor read 500 projects at a time, and
each chunk's details); read in the writer's thread, the writer waits for each
of them, and the job took 1.6 times its writer's time on 95,000 projects
where its CPU took 1.15 times (issue 20). Read in a thread with its own
database connection, each query runs while the writer writes the rows before
it: psycopg2 lets go of the GIL while it waits for the server.

Only where it helps and is right: on PostgreSQL (SQLite reads in the
process, so there is nothing to wait for), and outside a transaction — a
second connection does not see what the caller's transaction has written
and not committed (a test's rows, or an atomic block around the report).
The thread closes its connection when it ends, is joined before the rows'
iterator is done (a writer's failure or a time limit included: its running
query is cancelled), and is started by the task itself, never before a
Celery worker forks.
"""

from __future__ import annotations

import contextlib
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, connections
from django.utils import timezone, translation

# Rows handed over at a time, and batches the reading may be ahead of the
# writer: a bounded queue keeps the memory flat whatever the report's length.
BATCH = 500
AHEAD = 2
# How long the writer may hold the GIL while the reading thread waits for it
# (Python's default: 5 ms). The reader takes the GIL back after each of its
# round trips; at the default it waited a whole interval each time behind
# the writer (the convoy effect): the job took 97 s instead of 64 s at
# 0.5 ms (95,000 projects, load 4-5). Set while the thread runs.
SWITCH_INTERVAL = 0.0005


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def can_read_ahead() -> bool:
    """Whether rows read on another connection are those the caller would read."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def read_ahead(produce: Callable[[], Iterator[Any]]) -> Iterator[Any]:
    """What `produce()` yields, produced in a thread with its own database
    connection, in the caller's language and time zone; its exceptions are
    raised here."""
    handed: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    language = translation.get_language()
    zone = timezone.get_current_timezone()
    running: list[Any] = []  # the thread's psycopg2 connection, to cancel

    def hand(item: Any) -> bool:
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.1)
                return True
            except queue.Full:
                pass
        return False

    def run() -> None:
        outcome: Any = _END
        try:
            connection.ensure_connection()
            running.append(connection.connection)
            with translation.override(language), timezone.override(zone):
                batch: list[Any] = []
                for item in produce():
                    batch.append(item)
                    if len(batch) == BATCH:
                        if not hand(batch):
                            return
                        batch = []
                if batch and not hand(batch):
                    return
        except BaseException as error:  # handed over, raised in the caller
            outcome = _Failed(error)
        finally:
            running.clear()
            connections.close_all()
        hand(outcome)

    thread = threading.Thread(target=run, name="report-rows", daemon=True)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
    thread.start()
    try:
        while True:
            item = handed.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield from item
    finally:
        stop.set()
        for raw in list(running):
            # Its query, if any: a long one need not run to its end for
            # nothing (psycopg2's cancel may be called from any thread).
            with contextlib.suppress(connection.Database.Error):
                raw.cancel()  # it may have just ended: nothing to cancel
        thread.join()
        sys.setswitchinterval(interval)
