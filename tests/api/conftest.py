from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.models import ApiToken, Scope


@pytest.fixture
def api() -> APIClient:
    cache.clear()  # throttle counters
    return APIClient()


@pytest.fixture
def token_for(admin_user) -> Callable[..., str]:
    """A key for `user` with `scope`, as an administrator creates it."""

    def make(user, scope: str = Scope.READ) -> str:
        token = ApiToken(
            user=user, name="Hệ thống Bộ", scope=scope, created_by=admin_user
        )
        key = token.set_new_key()
        token.save()
        return key

    return make


@pytest.fixture
def as_token(api, token_for):
    def use(user, scope: str = Scope.READ) -> APIClient:
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user, scope)}")
        return api

    return use
