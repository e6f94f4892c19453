"""The dashboard's cache lives in Redis when the stack runs one (shared by
every web worker) and is retired by writes to the data it reads, not by age
(issue 20). Without Redis each process keeps its own (LocMem); a cache that
cannot be reached is skipped and the board is computed live.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from dashboard import board as dash
from projects.models import Disbursement, DisbursementKind, Plan

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:dashboard")
# This suite's own Redis database (helpers share the server).
REDIS_TEST_URL = os.environ.get("KC_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def redis_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True)
def long_lived_cache(settings):
    settings.KC_DASHBOARD_CACHE_SECONDS = 24 * 3600
    cache.clear()
    yield
    with contextlib.suppress(redis.RedisError):  # a test pointed it nowhere
        cache.clear()


def disbursed(client, year: int) -> int:
    return client.get(URL, {"year": year}).context["board"].budget[-1].disbursed


def test_a_payment_retires_the_cached_board(
    as_user, manager, staff, dataset, django_capture_on_commit_callbacks
):
    client = as_user(manager)
    before = disbursed(client, dataset.year)
    assert disbursed(client, dataset.year) == before  # served from the cache
    project = dataset.projects["running"]
    with django_capture_on_commit_callbacks(execute=True):
        Disbursement(
            funding=project.fundings.get(),
            kind=DisbursementKind.PAYMENT,
            amount=5_000_000,
            date=dt.date(2026, 5, 11),  # after the contract of 1 April 2026
            voucher_no="PC-77",
            recorded_by=staff,
        ).save()
    assert disbursed(client, dataset.year) == before + 5_000_000


def test_an_update_around_the_models_keeps_the_cached_board(as_user, manager, dataset):
    """Only writes through the models retire the board; the age limit is
    the backstop for the rest."""
    client = as_user(manager)
    first = client.get(URL, {"year": dataset.year}).context["board"]
    Plan.objects.filter(pk=dataset.plans["local"].pk).update(allocated=1)
    again = client.get(URL, {"year": dataset.year}).context["board"]
    assert again.computed_at == first.computed_at


@pytest.mark.skipif(not redis_up(), reason="no Redis at KC_TEST_REDIS_URL")
def test_the_board_is_kept_in_redis_for_every_worker(
    as_user, manager, dataset, settings
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": "kc-test",
        }
    }
    from django.core.cache import caches

    shared = caches["default"]
    shared.clear()
    try:
        client = as_user(manager)
        first = client.get(URL, {"year": dataset.year}).context["board"]
        # Another process reading the same Redis finds the same board.
        key = dash.cache_key(dash.Scope(dataset.year))
        raw = redis.Redis.from_url(REDIS_TEST_URL)
        assert any(key in k.decode() for k in raw.keys("kc-test:*"))
        assert shared.get(key).computed_at == first.computed_at
        dash.data_changed()
        assert shared.get(dash.cache_key(dash.Scope(dataset.year))) is None
    finally:
        shared.clear()


def test_an_unreachable_cache_leaves_the_board_computed_live(
    as_user, manager, dataset, settings
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = as_user(manager).get(URL, {"year": dataset.year})
    assert response.status_code == 200
    assert response.context["board"].budget[-1].allocated > 0


@pytest.mark.parametrize(
    "environment, backend, location",
    [
        ({}, "django.core.cache.backends.locmem.LocMemCache", None),
        (
            {"CELERY_BROKER_URL": "redis://redis:6379/0"},
            "django.core.cache.backends.redis.RedisCache",
            "redis://redis:6379/1",
        ),
        (
            {
                "CELERY_BROKER_URL": "redis://redis:6379/0",
                "CACHE_URL": "redis://c:6379/3",
            },
            "django.core.cache.backends.redis.RedisCache",
            "redis://c:6379/3",
        ),
    ],
)
def test_the_settings_choose_redis_when_the_stack_has_it(
    environment, backend, location
):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CELERY_BROKER_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(environment)
    env["DJANGO_SETTINGS_MODULE"] = "khuyencong.settings.base"
    env.setdefault("SECRET_KEY", "x" * 50)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings; "
            "print(json.dumps(settings.CACHES['default']))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    chosen = json.loads(out)
    assert chosen["BACKEND"] == backend
    assert chosen.get("LOCATION") == location
