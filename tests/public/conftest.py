import pytest
from django.core.cache import cache

from tests.builders import Disclosure, disclosure_world


@pytest.fixture
def world(staff, reviewer) -> Disclosure:
    cache.clear()
    return disclosure_world(staff, reviewer)
