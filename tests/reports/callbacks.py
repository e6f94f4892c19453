"""What a request left to run once its transaction commits."""

from __future__ import annotations

from reports.services import report_enqueue


def enqueued(callbacks) -> int:
    """How many report jobs the callbacks send to the workers (other writes,
    such as a notice to an inbox, commit callbacks of their own)."""
    return sum(getattr(c, "func", None) is report_enqueue for c in callbacks)
