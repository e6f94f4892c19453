"""PostgreSQL as Django's backend, with a health check that costs no round
trip while the connection is quiet.

Persistent connections are health-checked (CONN_HEALTH_CHECKS) so that a
restarted database does not fail the next request. Django checks with a
`SELECT 1` at the first query of every request: a round trip and a
statement on the server each time (issue 20). Between requests an idle
connection receives nothing, unless the server ends the session — a restart
or pg_terminate_backend sends its notice and closes the socket — so the
socket is polled first (no wait): nothing to read, the connection is as good
as a `SELECT 1` would show; something to read, or an error in the last
request, and Django's own check decides.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        if not self.errors_occurred:
            try:
                readable, _w, _x = select.select([self.connection.fileno()], [], [], 0)
            except (OSError, ValueError, base.Database.Error):
                return False
            if not readable:
                return True
        return super().is_usable()
