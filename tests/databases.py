"""The test databases under pytest-xdist on PostgreSQL (tests/conftest.py).

The controller (which runs no test) migrates one database and each test
process starts from a copy of it (CREATE DATABASE … TEMPLATE, a second),
instead of every process running all the migrations at once on the same two
cores. The process finds its database made, as with --reuse-db, so its
migrate has nothing to do; the controller drops them all at the end.

The controller does it in a thread of its own while the test processes start
and collect the tests (about six seconds of each run that used to wait for
the migrations): a process waits for its copy only when its first test needs
the database, and fails with the controller's error if there is none.
"""

from __future__ import annotations

import queue
import shutil
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Any

FAILED = "failed"
# A copy takes about a second, the migrations under ten on two busy cores.
PATIENCE_SECONDS = 600


class Preparation:
    """The migrated database and its copies, made in a thread."""

    def __init__(self, blocker: Any) -> None:
        self._blocker = blocker
        self._asked: queue.Queue[str | None] = queue.Queue()
        self._folder = Path(tempfile.mkdtemp(prefix="kc-test-databases-"))
        self._thread = threading.Thread(
            target=self._run, name="kc-test-databases", daemon=True
        )
        self._thread.start()

    def copy_for(self, suffix: str) -> str:
        """Ask for a copy named after the process `suffix` (gw0, gw1…); the
        path returned is written once it is made (see `wait_for_copy`)."""
        self._asked.put(suffix)
        return str(self._folder / suffix)

    def _run(self) -> None:
        """Migrate, copy for each process as asked, and once `finish` asks
        for nothing more, drop the copies and the database (the connections
        are this thread's)."""
        from django.db import connections
        from django.test.utils import setup_databases, teardown_databases

        try:
            with self._blocker.unblock():
                prepared = setup_databases(
                    verbosity=0,
                    interactive=False,
                    aliases={"default"},
                    serialized_aliases=(),
                )
                creation = connections["default"].creation
                copies = []
                while (suffix := self._asked.get()) is not None:
                    creation.clone_test_db(suffix=suffix, verbosity=0)
                    copies.append(suffix)
                    (self._folder / suffix).write_text("ready")
                for suffix in copies:
                    creation.destroy_test_db(verbosity=0, suffix=suffix)
                teardown_databases(prepared, verbosity=0)
        except BaseException:
            (self._folder / FAILED).write_text(traceback.format_exc())
            raise
        finally:
            connections["default"].close()

    def finish(self) -> None:
        """Let the thread drop the databases; wait for it."""
        self._asked.put(None)
        self._thread.join()
        shutil.rmtree(self._folder, ignore_errors=True)


def wait_for_copy(ready: str) -> None:
    """In a test process: return once the controller has made its copy;
    raise with the controller's error if it could not."""
    path = Path(ready)
    failed = path.parent / FAILED
    deadline = time.monotonic() + PATIENCE_SECONDS
    while not path.exists():
        if failed.exists():
            raise RuntimeError(
                "the controller could not prepare the test database:\n"
                + failed.read_text()
            )
        if time.monotonic() > deadline:
            raise RuntimeError(f"no test database after {PATIENCE_SECONDS} s")
        time.sleep(0.05)
