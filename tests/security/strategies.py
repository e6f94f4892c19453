"""Hypothesis strategies shared by the bad-input sweeps of this package."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SWEEP = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any Unicode (including NFD-decomposed Vietnamese and control characters),
# numbers far outside any sane range, negative money, odd dates.
texts = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["Hợp tác xã", "Đông Sơn", '=HYPERLINK("x")', "   ", "\x00"]).map(
        lambda s: unicodedata.normalize("NFD", s)
    ),
)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1.234.567", "1,5", "-0", "", "١٢٣", "9" * 40]),
)
