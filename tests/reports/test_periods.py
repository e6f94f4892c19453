"""Periods as operators type them, and as Vietnamese reports name them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reports.periods import Frequency, Period


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2018", dt.date(2018, 1, 1), dt.date(2018, 12, 31), "Năm 2018"),
        ("2018-H1", dt.date(2018, 1, 1), dt.date(2018, 6, 30), "6 tháng đầu năm 2018"),
        (
            "2018-h2",
            dt.date(2018, 7, 1),
            dt.date(2018, 12, 31),
            "6 tháng cuối năm 2018",
        ),
        ("2018-Q3", dt.date(2018, 7, 1), dt.date(2018, 9, 30), "Quý III năm 2018"),
        ("2018-Q1", dt.date(2018, 1, 1), dt.date(2018, 3, 31), "Quý I năm 2018"),
        ("2018-07", dt.date(2018, 7, 1), dt.date(2018, 7, 31), "Tháng 7 năm 2018"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "Tháng 2 năm 2024"),
        (" 2018-q4 ", dt.date(2018, 10, 1), dt.date(2018, 12, 31), "Quý IV năm 2018"),
    ],
)
def test_it_parses_every_period_form(text, start, end, label):
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)
    with translation.override("vi"):
        assert period.label == label


def test_it_normalises_the_code():
    assert Period.parse("2018-q3").code == "2018-Q3"
    assert Period.parse("2018-h1").code == "2018-H1"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "không phải là kỳ báo cáo hợp lệ"),
        ("18", "không phải là kỳ báo cáo hợp lệ"),
        ("2018-Q5", "không phải là kỳ báo cáo hợp lệ"),
        ("2018-H3", "không phải là kỳ báo cáo hợp lệ"),
        ("2018/07", "không phải là kỳ báo cáo hợp lệ"),
        ("2018-13", "Tháng được ghi từ 01 đến 12"),
        ("2018-00", "Tháng được ghi từ 01 đến 12"),
        ("1899", "Năm phải nằm trong khoảng"),
    ],
)
def test_it_refuses_bad_periods_in_vietnamese(text, fragment):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        Period.parse(text)
    assert fragment in caught.value.messages[0]


@pytest.mark.parametrize(
    ("frequency", "today", "code"),
    [
        (Frequency.MONTHLY, dt.date(2026, 1, 3), "2025-12"),
        (Frequency.MONTHLY, dt.date(2026, 11, 25), "2026-10"),
        (Frequency.QUARTERLY, dt.date(2026, 2, 1), "2025-Q4"),
        (Frequency.QUARTERLY, dt.date(2026, 11, 25), "2026-Q3"),
        (Frequency.HALF_YEARLY, dt.date(2026, 7, 1), "2026-H1"),
        (Frequency.HALF_YEARLY, dt.date(2026, 3, 1), "2025-H2"),
        (Frequency.YEARLY, dt.date(2026, 1, 1), "2025"),
    ],
)
def test_the_last_complete_period_ends_before_today(frequency, today, code):
    period = Period.last_complete(frequency, today)
    assert period.code == code
    assert period.end < today


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Quý 3/2018", "2018-Q3"),
        ("quy 3/2018", "2018-Q3"),
        ("QUÝ III năm 2018", "2018-Q3"),
        ("Quý IV/2018", "2018-Q4"),
        ("6 tháng đầu năm 2018", "2018-H1"),
        ("6 thang cuoi nam 2018", "2018-H2"),
        ("Sáu tháng cuối năm 2018", "2018-H2"),
        ("Tháng 7/2018", "2018-07"),
        ("tháng 07 năm 2018", "2018-07"),
        ("Năm 2018", "2018"),
        ("  năm   2018 ", "2018"),
        ("Từ năm 2017 đến 6 tháng đầu năm 2018", "2017..2018-H1"),
        ("Năm 2017..Quý 2/2018", "2017..2018-Q2"),
    ],
)
def test_it_reads_periods_written_in_vietnamese_with_or_without_accents(text, code):
    assert Period.parse(text).code == code


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Quý 5/2018", "không phải là kỳ báo cáo hợp lệ"),
        ("6 tháng giữa năm 2018", "không phải là kỳ báo cáo hợp lệ"),
        ("Tháng 13/2018", "Tháng được ghi từ 01 đến 12"),
        ("Năm 1899", "Năm phải nằm trong khoảng"),
        ("Từ năm 2019 đến năm 2018", "phải đi từ kỳ trước đến kỳ sau"),
    ],
)
def test_it_refuses_bad_vietnamese_periods_in_vietnamese(text, fragment):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        Period.parse(text)
    assert fragment in caught.value.messages[0]
