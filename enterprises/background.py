"""What every background job of the portal (report jobs, establishment
imports) shares: the database errors a worker rides out, and the heartbeat a
job row carries while its worker is alive.

It lives in the bottom app so that both the registry's imports and the
reports can use it (enterprises ← projects ← reports)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Model
from django.utils import timezone

# A database that does not answer for a moment: the step is tried again later.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


@contextlib.contextmanager
def heartbeat(
    model: type[Model], *, job_id: int, running: str, every: float | None = None
) -> Iterator[None]:
    """Write the job row's `heartbeat_at` every `every` seconds while the
    block runs and the row is still `running`.

    A thread, because one step (WeasyPrint laying out a long PDF, the
    transaction writing an import) may take minutes without reporting
    progress. It has its own database connection and closes it; a database
    that does not answer only skips a beat. When the whole worker dies, the
    beats stop and the job goes stale (and is sent again)."""
    interval = every if every is not None else settings.KC_REPORT_HEARTBEAT_SECONDS
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(interval):
                with contextlib.suppress(*TRANSIENT_ERRORS):
                    model.objects.filter(pk=job_id, status=running).update(
                        heartbeat_at=timezone.now()
                    )
        finally:
            connection.close()

    name = f"{model._meta.model_name}-{job_id}-heartbeat"
    thread = threading.Thread(target=beat, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 10)
