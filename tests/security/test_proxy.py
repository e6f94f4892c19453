"""Behind the TLS proxy, lockout and the login log see each client's address.

Every request reaches gunicorn from the proxy (REMOTE_ADDR 10.0.0.2), which
appends the address it received the request from to X-Forwarded-For. Without
TRUSTED_PROXY_COUNT every client shares the proxy's address, so five wrong
passwords from anyone lock the named user out for everyone.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ATTACKER = "198.51.100.9"
OWNER = "203.0.113.7"


def through_proxy(client, client_address: str, password: str, forged: str = ""):
    """A login POST as the proxy relays it for `client_address`."""
    forwarded = f"{forged}, {client_address}" if forged else client_address
    return client.post(
        reverse("login"),
        {"username": "staff", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_an_attacker_behind_the_proxy_does_not_lock_the_owner_out(
    client, staff, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(6):
        # Forged entries to the left change nothing: the proxy's is the last.
        through_proxy(client, ATTACKER, "wrong", forged=f"192.0.2.{n}")
    assert through_proxy(client, ATTACKER, "pw-staff").status_code == 429

    response = through_proxy(client, OWNER, "pw-staff")
    assert response.status_code == 302
    assert AccessLog.objects.get().ip_address == OWNER
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_without_a_trusted_proxy_everyone_shares_the_proxys_address(
    client, staff, settings
):
    """Why the setting matters: the documented stack sets it to 1."""
    settings.TRUSTED_PROXY_COUNT = 0
    for _ in range(5):
        through_proxy(client, ATTACKER, "wrong")
    assert through_proxy(client, OWNER, "pw-staff").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


def test_docker_compose_trusts_one_proxy_and_publishes_on_loopback(settings):
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    assert "TRUSTED_PROXY_COUNT: ${TRUSTED_PROXY_COUNT:-1}" in compose
    assert '"${WEB_BIND:-127.0.0.1}:8000:8000"' in compose
