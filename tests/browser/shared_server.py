"""A live server that answers on the test's own database connection, inside
its transaction, one request at a time.

pytest-django's `live_server` needs a transactional test: the server thread has
a connection of its own, so it only sees committed rows, and the test ends by
emptying every table. The page walk reads the demo data, which tests/demo
seeds once in a transaction that stays open for the whole package: this server
lets the browser see that data, and whatever the walk writes (sessions, login
records) goes with the test's savepoint.

Two things keep the shared connection whole:
- a single-threaded server, so requests never use it at the same time (each
  reply closes its HTTP connection, as Django's own server does unthreaded);
- no `close_old_connections` at the start and end of a request, which would
  close a connection that is, by design here, inside a transaction (Django's
  test client disconnects it the same way).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.test.testcases import (
    LiveServerThread,
    QuietWSGIRequestHandler,
    _MediaFilesHandler,
)


class _OnTheTestsConnection(LiveServerThread):
    def run(self) -> None:
        connections["default"] = self.connections_override["default"]
        try:
            handler = self.static_handler(_MediaFilesHandler(WSGIHandler()))
            self.httpd = WSGIServer(
                (self.host, self.port),
                QuietWSGIRequestHandler,
                allow_reuse_address=False,
            )
            self.port = self.httpd.server_address[1]
            self.httpd.set_app(handler)
            self.is_ready.set()
            self.httpd.serve_forever()
        except Exception as error:  # handed to the test, as Django's thread does
            self.error = error
            self.is_ready.set()
        # Unlike Django's thread, no connections.close_all(): the connection
        # is the test's.


@contextmanager
def serving_the_test_transaction() -> Iterator[str]:
    """Start the server; the block gets its address.

    Enter it before Playwright starts: with Playwright's event loop running in
    the thread, Django hands the thread's code a connection of the loop's own,
    outside the test's transaction."""
    shared = connections["default"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    shared.inc_thread_sharing()
    thread = _OnTheTestsConnection(
        "localhost", StaticFilesHandler, connections_override={"default": shared}
    )
    thread.daemon = True
    try:
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()
        shared.dec_thread_sharing()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
