"""Vietnamese đồng as people type it, print it and read it aloud.

Every money field of the portal (pages, admin, spreadsheet imports) reads its
input with `parse_amount`, the one source of truth; static/js/money-input.js
only helps while typing (groups the digits, shows the amount in words) and a
page without JavaScript works the same.

What `parse_amount` accepts, the way amounts are written in Vietnam:
- digits, grouped by threes with dots or spaces (ordinary, no-break, thin,
  narrow no-break or figure spaces), one kind of separator per number:
  ``250.000.000``, ``250 000 000``, ``250000000``;
- surrounding spaces and a trailing unit: ``250.000.000 đ``, ``… đồng``,
  ``… VNĐ``, ``… VND`` (what the portal prints can be pasted back);
- leading zeros, ignored (``0250000000`` is 250,000,000): the value is not
  ambiguous, and codes copied from other systems are often zero-padded;
- a leading minus, returned as a negative number for the field to refuse.

What it refuses, each with its own Vietnamese message: a comma anywhere
(``250,5``: đồng have no decimals, and ``250,000`` would mean 250 to a
Vietnamese reader and 250 thousand to an English one), groups that are not
threes (``2.50.000``, ``1.5``), anything that is not a number, and amounts
above MAX_AMOUNT.

This module lives in `enterprises`, the app every other app may depend on.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .text import strip_invisible

# 999,999 billion đồng: far above any budget the portal handles (a province's
# whole yearly budget is in the tens of thousands of billions), inside
# BigIntegerField, and an exact integer for JavaScript (below 2**53), so the
# page's helper computes the same words as the server.
MAX_AMOUNT = 999_999_999_999_999
_MAX_DIGITS = len(str(MAX_AMOUNT))

_SPACES = " \u00a0\u2007\u2009\u202f"
_SEPARATORS = "." + _SPACES
_MINUS = "-\u2212\u2013"
_UNIT = re.compile(r"\s*(?:đồng|đ|vnđ|vnd)\.?$", re.IGNORECASE)
# ASCII digits only: \d would also take Arabic-Indic and other digits.
_SEPARATOR_CLASS = "[" + re.escape(_SEPARATORS) + "]"
_GROUPED = re.compile(
    r"[0-9]{1,3}(?:(" + _SEPARATOR_CLASS + r")[0-9]{3})(?:\1[0-9]{3})*"
)
_DIGITS_AND_SEPARATORS = re.compile("(?:[0-9]|" + _SEPARATOR_CLASS + ")+")

MESSAGES = {
    "invalid": _("Enter the amount in digits, for example 250.000.000."),
    "not_whole": _(
        "Not a whole number of đồng: đồng have no decimal part, and a comma is "
        "not a thousands separator. Group thousands with dots: 250.000.000."
    ),
    "misgrouped": _(
        "The digits are not grouped by threes. Write for example 2.500.000 or 2500000."
    ),
    "too_large": _("The amount is too large: at most %(max)s đ."),
    "negative": _("The amount cannot be negative."),
    "min_value": _("The amount must be at least %(limit)s đ."),
    "max_value": _("The amount must be at most %(limit)s đ."),
}


def _error(code: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def format_amount(value: int) -> str:
    """250000000 -> '250.000.000': how an amount is typed and shown in a field."""
    return f"{value:,}".replace(",", ".")


def parse_amount(value: Any) -> int:
    """The whole number of đồng in `value`, or a ValidationError saying why not.

    `value` is usually text from a form or a spreadsheet cell; numbers from
    spreadsheet cells are accepted when whole. See the module docstring for
    the rules. Negative amounts are returned: the field decides whether they
    are allowed.
    """
    if isinstance(value, bool):
        raise _error("invalid")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        if value != value or value in (float("inf"), float("-inf")):
            raise _error("invalid")
        if value != int(value):
            raise _error("not_whole")
        number = int(value)
    elif isinstance(value, str):
        number = _parse_text(value)
    else:
        raise _error("invalid")
    if abs(number) > MAX_AMOUNT:
        raise _error("too_large", max=format_amount(MAX_AMOUNT))
    return number


def _parse_text(text: str) -> int:
    # Zero-width characters come with amounts pasted from PDFs and chats.
    text = _UNIT.sub("", strip_invisible(text).strip()).strip()
    negative = bool(text) and text[0] in _MINUS
    if negative:
        text = text[1:]
    if "," in text:
        raise _error("not_whole")
    if text.isascii() and text.isdigit():
        digits = text
    elif _GROUPED.fullmatch(text):
        digits = re.sub(r"[^0-9]", "", text)
    elif _DIGITS_AND_SEPARATORS.fullmatch(text) and text[0] in "0123456789":
        raise _error("misgrouped")
    else:
        raise _error("invalid")
    # Checked on the text, before int(): a pasted thousand-digit number is
    # refused at once instead of being converted.
    digits = digits.lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS:
        raise _error("too_large", max=format_amount(MAX_AMOUNT))
    number = int(digits)
    return -number if negative else number


# --- the amount in words -------------------------------------------------------

_DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 10**9


def _three_digits(number: int, full: bool) -> list[str]:
    """Words for 0 < number < 1000. `full`: a higher group was read before, so
    the hundreds are spoken even when zero (1.005 = một nghìn không trăm linh
    năm)."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if full or hundreds:
        words += [_DIGIT_WORDS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGIT_WORDS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 4 and tens >= 2:
        words.append("tư")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units:
        words.append(_DIGIT_WORDS[units])
    return words


def _below_billion(number: int, full: bool) -> list[str]:
    words: list[str] = []
    for scale, name in ((10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        group = number // scale % 1000
        if group:
            words += _three_digits(group, full or bool(words))
            if name:
                words.append(name)
    return words


def _number_words(number: int, full: bool = False) -> list[str]:
    if number < _BILLION:
        return _below_billion(number, full)
    # Above a billion the reading repeats: 10**12 is "một nghìn tỷ", 10**18
    # "một tỷ tỷ".
    high, low = divmod(number, _BILLION)
    words = [*_number_words(high, full), "tỷ"]
    if low:
        words += _below_billion(low, True)
    return words


def amount_in_words(value: int) -> str:
    """The amount as written on Vietnamese financial papers, for example
    250000000 -> 'Hai trăm năm mươi triệu đồng'.

    Northern usage, as in Thanh Hóa's documents: "linh" (not "lẻ"), "nghìn"
    (not "ngàn"), "tỷ"; "mốt", "tư" and "lăm" after a tens word.
    """
    words = _number_words(abs(value)) or ["không"]
    if value < 0:
        words.insert(0, "âm")
    text = " ".join([*words, "đồng"])
    return text[0].upper() + text[1:]


# --- forms, admin and models ------------------------------------------------------


class MoneyInput(forms.TextInput):
    """A text box showing the grouped amount and, under it, the amount in
    words; static/js/money-input.js keeps both current while typing."""

    words_label = _("In words:")

    class Media:
        # Pages of the portal load the script from base.html; the admin reads
        # it from here.
        js = ["js/money-input.js"]

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {"inputmode": "numeric", "autocomplete": "off", "data-money": ""}
            | (attrs or {})
        )

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return format_amount(value)
        # Text posted back after an error is shown as the user typed it.
        return super().format_value(value)

    def render(self, name: str, value: Any, attrs=None, renderer=None) -> str:
        box = super().render(name, value, attrs, renderer)
        try:
            amount = parse_amount(value) if value not in (None, "") else None
        except ValidationError:
            amount = None
        words = (
            f"{self.words_label} {amount_in_words(amount)}"
            if amount is not None and amount >= 0
            else ""
        )
        field_id = (attrs or {}).get("id") or self.attrs.get("id") or ""
        return format_html(
            '{}<div class="form-text money-words" data-money-words-for="{}" '
            'data-label="{}" aria-live="polite">{}</div>',
            box,
            field_id,
            self.words_label,
            words,
        )


class MoneyFormField(forms.Field):
    """A whole number of đồng read by `parse_amount`; at least `min_value`
    (0 by default: no money field of the portal holds a negative amount)."""

    widget = MoneyInput

    def __init__(
        self,
        *,
        min_value: int | None = 0,
        max_value: int | None = MAX_AMOUNT,
        **kwargs: Any,
    ) -> None:
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        return parse_amount(value)

    def validate(self, value: int | None) -> None:
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            if value < 0 <= self.min_value:
                raise _error("negative")
            raise _error("min_value", limit=format_amount(self.min_value))
        if self.max_value is not None and value > self.max_value:
            raise _error("max_value", limit=format_amount(self.max_value))


class MoneyField(models.BigIntegerField):
    """Whole đồng in the database; in every form, admin included, a
    MoneyFormField. Never negative, at most MAX_AMOUNT."""

    description = _("Amount in đồng")
    default_validators = [MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)]

    def formfield(self, **kwargs: Any) -> forms.Field:
        # BigIntegerField would pass its own bounds, and the admin a number
        # box that reads 250.000.000 as 250: the amount's own bounds and a
        # MoneyInput win.
        widget = kwargs.get("widget")
        if not (
            isinstance(widget, MoneyInput)
            or (isinstance(widget, type) and issubclass(widget, MoneyInput))
        ):
            kwargs.pop("widget", None)
        return super().formfield(
            **{
                "min_value": 0,
                "max_value": MAX_AMOUNT,
                **kwargs,
                "form_class": MoneyFormField,
            }
        )
