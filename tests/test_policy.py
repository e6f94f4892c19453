"""The permission policy (enterprises.policy) answers model permissions as
Django does for the role groups, without a query, and knows every permission
the navigation names."""

from __future__ import annotations

import pytest

from enterprises.policy import can, holders
from enterprises.roles import ROLE_PERMISSIONS, Role
from khuyencong.context_processors import NAVIGATION
from tests.factories import make_user

pytestmark = pytest.mark.django_db

MODEL_PERMISSIONS = sorted({p for perms in ROLE_PERMISSIONS.values() for p in perms})


@pytest.mark.parametrize("role", [None, *Role])
def test_it_answers_model_permissions_as_the_role_groups_do(
    role, django_assert_max_num_queries
):
    user = make_user(f"policy-{role}", role)
    django = {p: user.has_perm(p) for p in MODEL_PERMISSIONS}
    with django_assert_max_num_queries(1):  # the user's groups, once
        policy = {p: can(user, p) for p in MODEL_PERMISSIONS}
    assert policy == django


def test_every_permission_the_navigation_names_is_known():
    for _label, _url, permission, *_rest in NAVIGATION:
        assert holders(permission), permission


def test_an_unknown_permission_is_an_error_not_a_refusal():
    with pytest.raises(KeyError):
        holders("record_executions")
