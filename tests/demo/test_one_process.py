"""The demo data is seeded once per run: under `make test` (pytest-xdist with
--dist loadgroup) every test of this package goes to the same process, which
the scheduler knows by the "@demo" its id ends with (tests/conftest.py)."""

from __future__ import annotations

import pytest


def test_every_test_here_is_sent_to_one_process(request):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("một tiến trình: không cần nhóm (not under --dist loadgroup)")
    assert request.node.nodeid.endswith("@demo")
