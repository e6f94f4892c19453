"""The public page's situation (tests.builders.disclosure_world) takes a few
seconds to build through the services and the tests here read it or change
it in their own savepoint: it is built once per module, in a transaction
rolled back after the module's last test (tests.builders.shared_for_the_scope),
and each test gets its records read afresh."""

import pytest
from django.core.cache import cache

from tests.builders import (
    Disclosure,
    disclosure_world,
    reloaded,
    shared_for_the_scope,
)
from tests.factories import reviewer_user, staff_user


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker) -> Disclosure:
    with shared_for_the_scope(django_db_blocker):
        yield disclosure_world(staff_user(), reviewer_user())


@pytest.fixture
def world(shared_world, db) -> Disclosure:
    cache.clear()
    return reloaded(shared_world)
