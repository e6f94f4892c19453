"""Report periods: a year, a half-year, a quarter or a month, or a range of them.

Written the way operators type them (`2018`, `2018-H1`, `2018-Q3`, `2018-07`,
`2017..2018-H1`) or the way Vietnamese papers write them, with or without
accents and in any case ("Năm 2018", "6 tháng đầu năm 2018", "6 tháng cuối
năm 2018", "Quý 3/2018", "Quý III năm 2018", "Tháng 7/2018", "Từ năm 2017 đến
6 tháng đầu năm 2018"), and labelled the way Vietnamese reports name them
("Quý III năm 2018", "Từ năm 2017 đến 6 tháng đầu năm 2018").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<half>[Hh][12])|(?P<quarter>[Qq][1-4])|(?P<month>\d{2})))?$"
)
# Two periods joined by this make a range: 2017..2018-H1.
RANGE_SEPARATOR = ".."
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_FROM_ROMAN = {roman.lower(): number for number, roman in _ROMAN.items()}
# The Vietnamese forms, matched on the text folded by `_fold` (lowercase, no
# accents, đ as d, single spaces): "năm 2018", "6 tháng đầu năm 2018",
# "quý 3/2018", "quý iii năm 2018", "tháng 7/2018", "tháng 07 năm 2018".
_OF_YEAR = r"\s*(?:/|-|nam)\s*(?P<year>\d{4})"
_WORDS = (
    ("year", re.compile(r"^nam\s*(?P<year>\d{4})$")),
    (
        "half",
        re.compile(r"^(?:6|sau) thang (?P<half>dau|cuoi)(?: nam)?\s*(?P<year>\d{4})$"),
    ),
    ("quarter", re.compile(r"^quy\s*(?P<quarter>[1-4]|iv|i{1,3})" + _OF_YEAR + "$")),
    ("month", re.compile(r"^thang\s*(?P<month>\d{1,2})" + _OF_YEAR + "$")),
)
_WORD_RANGE = re.compile(r"^tu (?P<first>.+) den (?P<last>.+)$")


def _fold(text: str) -> str:
    """Lowercase, without accents (đ as d), one space between words: "Quý
    3/2018" and "quy 3/2018" read the same."""
    text = text.lower().replace("đ", "d")
    text = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )
    return " ".join(text.split())


# Periods outside this range are typing mistakes, not reports anyone needs.
MIN_YEAR, MAX_YEAR = 2000, 2100


class Frequency(models.TextChoices):
    """How often a schedule runs; each produces one kind of period."""

    MONTHLY = "monthly", gettext_lazy("Monthly")
    QUARTERLY = "quarterly", gettext_lazy("Quarterly")
    HALF_YEARLY = "half_yearly", gettext_lazy("Every six months")
    YEARLY = "yearly", gettext_lazy("Yearly")


@dataclass(frozen=True)
class Period:
    """A closed date range [start, end] with its canonical code."""

    code: str
    start: dt.date
    end: dt.date

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read `2018`, `2018-H1`, `2018-Q3`, `2018-07` or a range of two of
        them joined by `..` (`2017..2018-H1`); ValidationError else."""
        value = (text or "").strip()
        if RANGE_SEPARATOR in value:
            return cls._parse_range(value)
        words = _WORD_RANGE.match(_fold(value))
        if words:
            return cls._parse_range(
                f"{words['first']}{RANGE_SEPARATOR}{words['last']}", shown=value
            )
        return cls._parse_one(value)

    @classmethod
    def _parse_range(cls, value: str, shown: str = "") -> Period:
        """From the start of the first period to the end of the second.

        The canonical code joins the two canonical codes; a range of one
        period is that period (`2018..2018` is `2018`).
        """
        parts = [part.strip() for part in value.split(RANGE_SEPARATOR)]
        if len(parts) != 2 or not all(parts):
            raise ValidationError(
                _(
                    "“%(value)s” is not a period range. Join two periods with "
                    "“..”, e.g. 2017..2018-H1."
                ),
                code="period_range",
                params={"value": value},
            )
        first, last = cls._parse_one(parts[0]), cls._parse_one(parts[1])
        if first == last:
            return first
        if first.start > last.start or first.end > last.end:
            raise ValidationError(
                _(
                    "The range “%(value)s” must go forward in time: “%(first)s” "
                    "comes after “%(last)s”."
                ),
                code="period_range_order",
                params={
                    "value": shown or value,
                    "first": first.label,
                    "last": _lower_first(last.label),
                },
            )
        return cls(f"{first.code}{RANGE_SEPARATOR}{last.code}", first.start, last.end)

    @classmethod
    def _parse_one(cls, value: str) -> Period:
        match = _PATTERN.match(value) or cls._match_words(value)
        if not match:
            raise ValidationError(
                _(
                    "“%(value)s” is not a period. Write a year (Năm 2018 or 2018), "
                    "a half-year (6 tháng đầu năm 2018 or 2018-H1), a quarter "
                    "(Quý 3/2018 or 2018-Q3) or a month (Tháng 7/2018 or 2018-07)."
                ),
                code="period",
                params={"value": value},
            )
        year = int(match["year"])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValidationError(
                _("The year must lie between %(min)s and %(max)s."),
                code="period_year",
                params={"min": MIN_YEAR, "max": MAX_YEAR},
            )
        if match["half"]:
            half = int(match["half"][1])
            return cls.half(year, half)
        if match["quarter"]:
            return cls.quarter(year, int(match["quarter"][1]))
        if match["month"]:
            month = int(match["month"])
            if not 1 <= month <= 12:
                raise ValidationError(
                    _("A month is written 01 to 12."), code="period_month"
                )
            return cls.month(year, month)
        return cls.year(year)

    @staticmethod
    def _match_words(value: str) -> dict[str, str | None] | None:
        """The parts of a period written in words, in the names `_PATTERN`
        gives them (half "H1", quarter "Q3", month "07"), or None."""
        folded = _fold(value)
        for kind, pattern in _WORDS:
            found = pattern.match(folded)
            if not found:
                continue
            parts: dict[str, str | None] = {
                "year": found["year"],
                "half": None,
                "quarter": None,
                "month": None,
            }
            if kind == "half":
                parts["half"] = "H1" if found["half"] == "dau" else "H2"
            elif kind == "quarter":
                number = found["quarter"]
                parts["quarter"] = f"Q{_FROM_ROMAN.get(number, number)}"
            elif kind == "month":
                parts["month"] = f"{int(found['month']):02d}"
            return parts
        return None

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        start = dt.date(year, 1 if half == 1 else 7, 1)
        end = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
        return cls(f"{year}-H{half}", start, end)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        last = first + 2
        end = dt.date(year, last, calendar.monthrange(year, last)[1])
        return cls(f"{year}-Q{quarter}", dt.date(year, first, 1), end)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
        return cls(f"{year}-{month:02d}", dt.date(year, month, 1), end)

    @classmethod
    def last_complete(cls, frequency: str, today: dt.date) -> Period:
        """The latest period of this frequency that ended before `today`."""
        if frequency == Frequency.MONTHLY:
            previous = today.replace(day=1) - dt.timedelta(days=1)
            return cls.month(previous.year, previous.month)
        if frequency == Frequency.QUARTERLY:
            quarter = (today.month - 1) // 3 + 1
            if quarter == 1:
                return cls.quarter(today.year - 1, 4)
            return cls.quarter(today.year, quarter - 1)
        if frequency == Frequency.HALF_YEARLY:
            if today.month <= 6:
                return cls.half(today.year - 1, 2)
            return cls.half(today.year, 1)
        return cls.year(today.year - 1)

    @property
    def is_range(self) -> bool:
        return RANGE_SEPARATOR in self.code

    @property
    def bounds(self) -> tuple[Period, Period]:
        """The first and last period of a range; (self, self) otherwise."""
        if not self.is_range:
            return self, self
        first, last = self.code.split(RANGE_SEPARATOR)
        return self._parse_one(first), self._parse_one(last)

    @property
    def whole_years(self) -> bool:
        """True when the period is made of whole calendar years (2018, 2017..2018)."""
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (
            1,
            1,
            12,
            31,
        )

    @property
    def label(self) -> str:
        """The period as a Vietnamese report names it, in the active language."""
        if self.is_range:
            first, last = self.bounds
            # "Từ năm 2017 đến 6 tháng đầu năm 2018": the parts run on inside
            # a sentence, so they lose their capital.
            return _("From %(first)s to %(last)s") % {
                "first": _lower_first(first.label),
                "last": _lower_first(last.label),
            }
        year = self.start.year
        if "-H" in self.code:
            if self.start.month == 1:
                return _("First half of %(year)s") % {"year": year}
            return _("Second half of %(year)s") % {"year": year}
        if "-Q" in self.code:
            quarter = _ROMAN[(self.start.month - 1) // 3 + 1]
            return _("Quarter %(quarter)s of %(year)s") % {
                "quarter": quarter,
                "year": year,
            }
        if "-" in self.code:
            return _("Month %(month)s of %(year)s") % {
                "month": self.start.month,
                "year": year,
            }
        return _("Year %(year)s") % {"year": year}

    def __str__(self) -> str:
        return self.code


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
