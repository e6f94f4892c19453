"""Accepted demo projects record the beneficiary's own money contributed
(issue 13, point 8): as planned for most, a little below for some."""

from __future__ import annotations

import pytest

from projects.models import Acceptance

pytestmark = pytest.mark.django_db


def test_every_demo_acceptance_records_what_was_contributed(demo):
    rows = list(
        Acceptance.objects.values_list(
            "counterpart_contributed",
            "project__counterpart",
            "other_sources_contributed",
            "project__other_sources",
        )
    )
    assert rows
    assert all(
        done is not None for done, _p, other, _o in rows for done in (done, other)
    )
    assert all(done <= planned for done, planned, _d, _p in rows)
    as_planned = sum(done == planned for done, planned, _d, _p in rows)
    below = sum(done < planned for done, planned, _d, _p in rows)
    assert as_planned > below > 0
