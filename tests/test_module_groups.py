"""Under `make test` (pytest-xdist with --dist loadgroup) the tests of a
module sharing records built once for it go to one process, so they are
built once in the run (tests/conftest.py): the scheduler knows them by the
group their id ends with, the module and pytest-django's class."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def built_once() -> object:
    return object()


@pytest.mark.parametrize("n", range(3))
def test_the_modules_tests_are_sent_to_one_process(request, built_once, n):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("một tiến trình: không cần nhóm (not under --dist loadgroup)")
    assert request.node.nodeid.endswith("@tests/test_module_groups.py-2")


def test_a_test_without_them_is_sent_alone(request):
    assert "@" not in request.node.nodeid
