"""Three spreadsheet bombs at once leave a real gunicorn answering.

Before the import read its sheet in a bounded way, three uploads of a 5 KB
file naming row 100,000,000 each held a worker for its whole timeout (and
gigabytes of memory), and the login page did not answer for about a minute.
This test starts gunicorn as the Dockerfile does (3 sync workers), on a free
loopback port, sharing this test's PostgreSQL database.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from enterprises.models import Establishment

from .forged import row_gap_file

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Seconds: bounds on waiting, never assertions about speed.
START_TIMEOUT = 60
REQUEST_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(database_url):
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL (DATABASE_URL): gunicorn dùng chung cơ sở dữ liệu")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": "",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "khuyencong.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            try:
                urllib.request.urlopen(base + reverse("login"), timeout=2)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def session_cookie(user) -> str:
    """A session of `user`, made by Django's test client in the shared database."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies['sessionid'].value}"


def upload(base: str, cookie: str, payload: bytes) -> str:
    url = base + reverse("enterprises:establishment_import")
    get = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(get, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
        page = response.read().decode()
        csrf = re.search(
            rf"{settings.CSRF_COOKIE_NAME}=([^;]+)", response.headers["Set-Cookie"]
        ).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    boundary = uuid.uuid4().hex
    body = b"".join(
        [
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n',
            token.encode(),
            f"\r\n--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="file"; filename="co-so.xlsx"\r\n',
            b"Content-Type: application/octet-stream\r\n\r\n",
            payload,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    post = urllib.request.Request(  # noqa: S310
        url,
        data=body,
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": f"{cookie}; {settings.CSRF_COOKIE_NAME}={csrf}",
            "Referer": url,
        },
    )
    with urllib.request.urlopen(post, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
        return response.read().decode()


def test_three_row_gap_uploads_at_once_leave_the_login_page_answering(server, staff):
    payload = row_gap_file(dimension="")  # no declared size: read to find out
    cookie = session_cookie(staff)
    with ThreadPoolExecutor(max_workers=3) as pool:
        uploads = [pool.submit(upload, server, cookie, payload) for _ in range(3)]
        # Asked while the three uploads are in the workers' hands.
        login = urllib.request.urlopen(  # noqa: S310
            server + reverse("login"), timeout=REQUEST_TIMEOUT
        )
        pages = [u.result() for u in uploads]
    assert login.status == 200
    # Each upload became an import job (run in-process here, without a
    # broker) whose page, followed after the redirect, shows the refusal; or,
    # while the same person's first one still ran, was refused as a second
    # import at once.
    refused = [p for p in pages if "vượt quá dòng 20.000" in p]
    busy = [p for p in pages if "Lượt nhập trước của bạn vẫn đang chạy" in p]
    assert refused
    assert len(refused) + len(busy) == 3
    assert Establishment.objects.count() == 0
