"""Money fields in a real browser (issue 13, point 1).

The page's helper (static/js/money-input.js) must read amounts and write them
in words exactly as the server (enterprises.money) does, and amounts typed the
Vietnamese way must be saved as typed.
"""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError

from enterprises.money import MAX_AMOUNT, amount_in_words, parse_amount

from .test_workflow import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = [
    "250.000.000",
    "250000000",
    "250 000 000",
    "250\u00a0000\u00a0000",
    "250\u202f000\u202f000",
    " 1.350.000.000 đ ",
    "1.350.000.000 đồng",
    "0250000000",
    "0",
    "-5.000",
    "250,5",
    "250,000,000",
    "abc",
    "2.50.000",
    "1.5",
    "250.000 000",
    "250.",
    ".250",
    "1.000.000.000.000.000",
    "999.999.999.999.999",
    "١٢٣",
    "",
]


def server_reading(text: str) -> int | None:
    try:
        return parse_amount(text)
    except ValidationError:
        return None


def test_the_page_reads_and_words_amounts_as_the_server_does(open_page, staff):
    page = signed_in(open_page, staff)
    chance = random.Random(13)
    numbers = [0, 1, 4, 5, 10, 11, 14, 15, 21, 24, 25, 101, 105, 1_005, MAX_AMOUNT]
    numbers += [chance.randint(0, 10 ** chance.randint(1, 15)) for _ in range(400)]
    numbers += [chance.randint(0, MAX_AMOUNT) for _ in range(100)]
    in_browser = page.evaluate(
        "([numbers, texts]) => ({"
        " words: numbers.map(kcMoney.words),"
        " format: numbers.map(kcMoney.format),"
        " parse: texts.map(kcMoney.parse) })",
        [numbers, TEXTS],
    )
    assert in_browser["words"] == [amount_in_words(n) for n in numbers]
    assert in_browser["format"] == [f"{n:,}".replace(",", ".") for n in numbers]
    assert in_browser["parse"] == [server_reading(t) for t in TEXTS]
