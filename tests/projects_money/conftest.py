"""Projects in progress for the money and equipment tests (issue 5)."""

from __future__ import annotations

import pytest
from django.utils import translation

from projects.models import Project
from tests.builders import running


@pytest.fixture
def project(staff, reviewer, local_plan, establishment) -> Project:
    """A local machinery project in progress: 120,000,000 đ approved."""
    return running(staff, reviewer, local_plan, establishment)


@pytest.fixture(autouse=True)
def english():
    """Model-layer messages are matched in English; view tests check Vietnamese."""
    with translation.override("en"):
        yield
