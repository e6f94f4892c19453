"""Amounts of đồng as typed: the parser every money field uses, its inverse,
the amount in words, and the form field (issue 13, point 1).

Property-based (hypothesis) where a rule holds for every number; tables where
the Vietnamese reading has a case of its own."""

from __future__ import annotations

import itertools
import unicodedata
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from enterprises.money import (
    MAX_AMOUNT,
    MoneyFormField,
    MoneyInput,
    amount_in_words,
    format_amount,
    parse_amount,
)

amounts = st.integers(min_value=0, max_value=MAX_AMOUNT)
spaces = st.sampled_from([" ", "\u00a0", "\u2009", "\u202f", "\u2007"])


def refused(text: object) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_amount(text)
    return caught.value.code


# --- parsing --------------------------------------------------------------------


@given(amounts)
@example(0)
@example(MAX_AMOUNT)
def test_it_reads_back_what_it_formats(n):
    assert parse_amount(format_amount(n)) == n


@given(amounts)
def test_it_reads_ungrouped_digits(n):
    assert parse_amount(str(n)) == n


@given(amounts, spaces)
def test_it_reads_digits_grouped_by_spaces(n, space):
    assert parse_amount(format_amount(n).replace(".", space)) == n


@given(
    amounts,
    st.sampled_from(["", " ", "  ", "\t", "\u00a0"]),
    st.sampled_from(["", " đ", "đ", " đồng", " VNĐ", " vnd", " Đ"]),
)
def test_it_ignores_surrounding_spaces_and_the_unit(n, pad, unit):
    assert parse_amount(f"{pad}{format_amount(n)}{unit}{pad}") == n


def test_it_reads_the_unit_written_in_decomposed_unicode():
    assert parse_amount(unicodedata.normalize("NFD", "250.000.000 đồng")) == 250_000_000


def test_it_ignores_invisible_characters_pasted_with_the_amount():
    assert parse_amount("\u200b250.000.000\u200b") == 250_000_000


@given(amounts, st.integers(min_value=1, max_value=5))
def test_it_ignores_leading_zeros(n, zeros):
    assert parse_amount("0" * zeros + str(n)) == n


@pytest.mark.parametrize(
    "text, value",
    [
        ("250.000.000", 250_000_000),
        ("250000000", 250_000_000),
        ("250 000 000", 250_000_000),
        ("1.350.000.000 đ", 1_350_000_000),
        ("0", 0),
        ("0.250.000", 250_000),
        ("999.999.999.999.999", MAX_AMOUNT),
    ],
)
def test_it_reads_the_vietnamese_ways(text, value):
    assert parse_amount(text) == value


@given(st.integers(min_value=1, max_value=MAX_AMOUNT), st.sampled_from("-\u2212"))
def test_it_returns_negatives_for_the_field_to_refuse(n, minus):
    assert parse_amount(minus + format_amount(n)) == -n


@given(amounts, st.integers(min_value=0, max_value=10**6))
@example(250, 5)
def test_it_refuses_decimals(n, decimals):
    assert refused(f"{format_amount(n)},{decimals}") == "not_whole"


@given(amounts)
def test_it_refuses_commas_as_thousands_separators(n):
    text = f"{n:,}"
    if "," in text:
        assert refused(text) == "not_whole"


@given(st.integers(min_value=MAX_AMOUNT + 1, max_value=10**40))
def test_it_refuses_amounts_above_the_maximum(n):
    assert refused(str(n)) == "too_large"
    assert refused(format_amount(n)) == "too_large"
    assert refused(n) == "too_large"


def test_it_refuses_a_thousand_digit_paste_without_converting_it():
    assert refused("9" * 5000) == "too_large"
    # Leading zeros do not count: the value is what matters.
    assert parse_amount("0" * 5000 + "7") == 7


groups = st.lists(
    st.text(alphabet="0123456789", min_size=1, max_size=5), min_size=2, max_size=6
)


@given(groups, st.sampled_from([".", " "]))
@example(["2", "50", "000"], ".")
@example(["1", "5"], ".")
@example(["1234", "567"], ".")
@example(["1", "000", "000", "000", "000", "000"], ".")
def test_it_refuses_digits_not_grouped_by_threes(parts, separator):
    well_grouped = len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])
    text = separator.join(parts)
    if well_grouped and int("".join(parts)) > MAX_AMOUNT:
        assert refused(text) == "too_large"
    elif well_grouped:
        assert parse_amount(text) == int("".join(parts))
    else:
        assert refused(text) == "misgrouped"


def test_it_refuses_mixed_separators():
    assert refused("250.000 000") == "misgrouped"


@pytest.mark.parametrize(
    "text",
    ["abc", "", "   ", "đ", "-", "12a", "1e6", "+5", "0x10", "١٢٣", "½", ".5", "5 tr"],
)
def test_it_refuses_what_is_not_a_number(text):
    assert refused(text) == "invalid"


@given(st.text(max_size=40))
def test_any_text_is_read_or_refused_with_a_message(text):
    try:
        value = parse_amount(text)
    except ValidationError as error:
        assert error.code in {"invalid", "not_whole", "misgrouped", "too_large"}
    else:
        assert abs(value) <= MAX_AMOUNT
        # Whatever is accepted is made of the value's own digits.
        digits = "".join(c for c in text if c.isascii() and c.isdigit())
        assert int(digits) == abs(value)


@pytest.mark.parametrize(
    "cell, value",
    [(250000000, 250_000_000), (250000000.0, 250_000_000), (Decimal(1500), 1500)],
)
def test_it_reads_numbers_from_spreadsheet_cells(cell, value):
    assert parse_amount(cell) == value


@pytest.mark.parametrize(
    "cell, code",
    [
        (250.5, "not_whole"),
        (Decimal("0.5"), "not_whole"),
        (float("nan"), "invalid"),
        (float("inf"), "invalid"),
        (True, "invalid"),
        (1e30, "too_large"),
        (None, "invalid"),
    ],
)
def test_it_refuses_cells_that_are_not_whole_amounts(cell, code):
    assert refused(cell) == code


# --- the amount in words -------------------------------------------------------

WORDS = [
    (0, "Không đồng"),
    (1, "Một đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"),
    (25, "Hai mươi lăm đồng"),
    (100, "Một trăm đồng"),
    (101, "Một trăm linh một đồng"),
    (104, "Một trăm linh bốn đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (115, "Một trăm mười lăm đồng"),
    (1_005, "Một nghìn không trăm linh năm đồng"),
    (1_050, "Một nghìn không trăm năm mươi đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"),
    (1_000_005, "Một triệu không trăm linh năm đồng"),
    (250_000_000, "Hai trăm năm mươi triệu đồng"),
    (1_350_000_000, "Một tỷ ba trăm năm mươi triệu đồng"),
    (1_472_000_000, "Một tỷ bốn trăm bảy mươi hai triệu đồng"),
    (
        3_001_004_025,
        "Ba tỷ không trăm linh một triệu không trăm linh bốn nghìn "
        "không trăm hai mươi lăm đồng",
    ),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (2 * 10**18, "Hai tỷ tỷ đồng"),
    (-5_000, "Âm năm nghìn đồng"),
]


@pytest.mark.parametrize("n, words", WORDS)
def test_it_reads_amounts_in_words(n, words):
    assert amount_in_words(n) == words


_VALUES = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}


def read_back(text: str) -> int:
    """A listener's reading of the words, written independently of the
    module: digits add, "trăm"/"mươi" scale the last digit, "nghìn"/"triệu"
    close a group, "tỷ" multiplies all read so far."""
    total = below = small = last = 0
    for word in text.lower().removesuffix(" đồng").split():
        if word in _VALUES:
            last = _VALUES[word]
            small += last
        elif word == "trăm":
            small += last * 99
        elif word == "mươi":
            small += last * 9
        elif word == "mười":
            small += 10
        elif word == "nghìn":
            below, small = below + small * 1000, 0
        elif word == "triệu":
            below, small = below + small * 10**6, 0
        elif word == "tỷ":
            total, below, small = (total + below + small) * 10**9, 0, 0
        else:
            assert word == "linh", word
    return total + below + small


@given(st.integers(min_value=0, max_value=10**24))
@example(10**18 + 5 * 10**9)
def test_the_words_read_back_to_the_amount(n):
    assert read_back(amount_in_words(n)) == n


@given(st.integers(min_value=1, max_value=10**24))
def test_the_words_follow_the_spoken_rules(n):
    words = amount_in_words(n).lower().split()
    assert words[-1] == "đồng"
    for before, word in itertools.pairwise(words):
        if word in {"mốt", "tư"}:
            assert before == "mươi", words
        if word == "lăm":
            assert before in {"mươi", "mười"}, words
        if before == "linh":
            assert word in _VALUES and word not in {"không", "mốt", "tư", "lăm"}
        if before == "không":
            assert word == "trăm", words
    assert words[0] not in {"không", "linh", "mốt", "tư", "lăm"}


# --- the form field --------------------------------------------------------------


class AmountForm(forms.Form):
    amount = MoneyFormField(label="Kinh phí")
    payment = MoneyFormField(label="Số tiền", min_value=1, required=False)


def errors_for(data: dict) -> dict:
    with translation.override("vi"):
        form = AmountForm(data)
        form.is_valid()
        return {name: list(errors) for name, errors in form.errors.items()}


def test_the_field_saves_what_was_typed_the_vietnamese_way():
    form = AmountForm({"amount": "250.000.000", "payment": "250 000 000"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"amount": 250_000_000, "payment": 250_000_000}


def test_the_field_explains_each_refusal_in_vietnamese():
    assert errors_for({"amount": "250,5"}) == {
        "amount": [
            "Không phải số đồng nguyên: đồng không có phần thập phân, và dấu phẩy "
            "không phải dấu tách hàng nghìn. Tách hàng nghìn bằng dấu chấm: "
            "250.000.000."
        ]
    }
    assert errors_for({"amount": "abc"}) == {
        "amount": ["Nhập số tiền bằng chữ số, ví dụ 250.000.000."]
    }
    assert errors_for({"amount": "2.50.000"}) == {
        "amount": [
            "Các chữ số chưa được tách thành nhóm ba chữ số. Viết ví dụ 2.500.000 "
            "hoặc 2500000."
        ]
    }
    assert errors_for({"amount": "-5"}) == {"amount": ["Số tiền không được âm."]}
    assert errors_for({"amount": "1" + "0" * 15}) == {
        "amount": ["Số tiền quá lớn: tối đa 999.999.999.999.999 đ."]
    }
    assert errors_for({"amount": "1", "payment": "0"}) == {
        "payment": ["Số tiền phải từ 1 đ trở lên."]
    }
    assert errors_for({"amount": ""}) == {"amount": ["Trường này là bắt buộc."]}


def test_the_field_renders_the_grouped_amount_and_its_words():
    with translation.override("vi"):
        html = str(AmountForm(initial={"amount": 250_000_000})["amount"])
    assert 'value="250.000.000"' in html
    assert 'inputmode="numeric"' in html
    assert 'type="text"' in html
    assert "Bằng chữ: Hai trăm năm mươi triệu đồng" in html
    assert 'data-money-words-for="id_amount"' in html


def test_after_a_failed_submit_the_field_shows_what_was_typed():
    with translation.override("vi"):
        form = AmountForm({"amount": "250,5", "payment": "1.500.000"})
        form.is_valid()
        amount, payment = str(form["amount"]), str(form["payment"])
    assert 'value="250,5"' in amount
    assert 'aria-live="polite"></div>' in amount  # no words for a refused amount
    assert 'value="1.500.000"' in payment
    assert "Bằng chữ: Một triệu năm trăm nghìn đồng" in payment


def test_an_unchanged_amount_typed_differently_is_not_a_change():
    form = AmountForm(
        {"amount": "250000000", "payment": ""}, initial={"amount": 250_000_000}
    )
    assert not form.has_changed()


def test_the_widget_asks_for_its_script_in_the_admin():
    assert "js/money-input.js" in str(MoneyInput().media)
