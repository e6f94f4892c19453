"""A database that drops its connections (restart, failover) costs no request."""

from __future__ import annotations

import psycopg2
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def kill_sessions(pid: int) -> int:
    """Terminate a server session from outside, as a restart would, and
    wait until it has ended (PostgreSQL 14+: the call otherwise returns once
    the signal is sent, and a request quick enough finds the session still
    answering its health check, then losing it mid-request)."""
    s = connection.settings_dict
    admin = psycopg2.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname=s["NAME"],
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(
            "SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "
            "WHERE pid = %s",
            [pid],
        )
        (killed,) = cur.fetchone()
    admin.close()
    return killed


def serve(path: str) -> int:
    """One request through Django's real WSGI handler.

    The test client deliberately skips close_old_connections, and the live
    server closes connections after each request; only the real handler
    shows what gunicorn does with a persistent, health-checked connection.
    """
    status = []
    environ = RequestFactory()._base_environ(PATH_INFO=path)
    handler = WSGIHandler()
    body = handler(environ, lambda s, h, *a: status.append(s))
    b"".join(body)
    body.close()  # fires request_finished, as a server would
    return int(status[0].split()[0])


def test_the_next_request_succeeds_after_the_database_drops_connections(settings):
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL để cắt kết nối phía máy chủ")
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert serve("/healthz") == 200
    old_pid = connection.connection.info.backend_pid
    # What a server restart does to every open session, ours included.
    assert kill_sessions(old_pid) == 1
    assert serve("/healthz") == 200
    assert serve("/dang-nhap/") == 200
    assert connection.connection.info.backend_pid != old_pid
