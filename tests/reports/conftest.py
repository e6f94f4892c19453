"""Fixtures for the report tests: a handful of establishments across regions."""

from __future__ import annotations

import pytest

from enterprises.models import Establishment
from tests.builders import make_establishments


@pytest.fixture
def establishments(db) -> list[Establishment]:
    return make_establishments(25)
