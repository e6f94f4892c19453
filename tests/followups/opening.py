"""The follow-up tests' figures and day (tests/followups/conftest.py)."""

from __future__ import annotations

import datetime as dt

M = 1_000_000
# A year after the settlements of tests/followups/conftest.py.
OPENING_DAY = dt.date(2027, 12, 1)
