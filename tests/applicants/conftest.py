"""Two establishments and their accounts: `coso_a` speaks for A, `coso_b`
for B. Every scoping test opens B's records as A."""

from __future__ import annotations

import pytest

from tests.builders import make_establishment
from tests.factories import make_applicant


@pytest.fixture
def est_a(commune):
    return make_establishment(
        commune, "Cơ sở mây tre A", business_registration_no="HKD-A"
    )


@pytest.fixture
def coso_a(est_a):
    return make_applicant("coso-a", est_a)


@pytest.fixture
def est_b(commune):
    return make_establishment(commune, "Cơ sở mộc B", business_registration_no="HKD-B")


@pytest.fixture
def coso_b(est_b):
    return make_applicant("coso-b", est_b)
