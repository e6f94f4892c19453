"""Money fields in a real browser (issue 13, point 1).

The page's helper (static/js/money-input.js) must read amounts and write them
in words exactly as the server (enterprises.money) does, and amounts typed the
Vietnamese way must be saved as typed.
"""

from __future__ import annotations

import random
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from playwright.sync_api import expect

from enterprises.money import MAX_AMOUNT, amount_in_words, parse_amount
from projects.models import Project
from tests.builders import make_establishment
from tests.factories import home_commune

from .walk import pick

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


def field(scope, label: str):
    """The input labelled exactly `label`; a required one's label ends in "*"."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}(\s*\*)?$"))


def test_the_page_reads_and_words_amounts_as_the_server_does(signed_in, staff):
    page = signed_in(staff)
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


def near(page, label: str):
    """The block of one form field: its label, box, words and errors."""
    return page.locator("div.mb-3").filter(has=field(page, label))


def test_amounts_typed_the_vietnamese_way_are_saved_as_typed(
    signed_in, staff, local_plan
):
    make_establishment(home_commune(), "Cơ sở mộc Đông Sơn")
    s = signed_in(staff)
    s.goto(s.base_url + reverse("projects:create"))
    field(s, "Tên đề án").fill("Hỗ trợ máy chạm khắc gỗ")
    field(s, "Nội dung khuyến công").select_option(
        label="4. Ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ"
    )
    pick(s, "Đơn vị thụ hưởng", "Cơ sở mộc Đông Sơn")
    field(s, "Ngày bắt đầu").fill("2026-04-01")
    field(s, "Ngày kết thúc").fill("2026-11-30")
    # Typed key by key, dots included: the page keeps the grouping and says
    # the amount in words under the field.
    total = field(s, "Tổng kinh phí (đồng)")
    total.press_sequentially("370.000.000")
    expect(total).to_have_value("370.000.000")
    expect(near(s, "Tổng kinh phí (đồng)").locator(".money-words")).to_have_text(
        "Bằng chữ: Ba trăm bảy mươi triệu đồng"
    )
    field(s, "Vốn đối ứng (đồng)").fill("120 000 000")
    field(s, "Nguồn khác (đồng)").fill("0")
    field(s, "Kế hoạch").first.select_option(index=1)
    requested = field(s, "Kinh phí đề nghị hỗ trợ (đồng)").first
    baseline = field(s, "Hiện trạng: doanh thu năm (đồng)")
    requested.fill("250,5")
    baseline.fill("abc")
    s.get_by_role("button", name="Lưu dự thảo").click()

    # Refused next to each field, as typed, and nothing saved.
    expect(near(s, "Kinh phí đề nghị hỗ trợ (đồng)").first).to_contain_text(
        "Không phải số đồng nguyên"
    )
    expect(near(s, "Hiện trạng: doanh thu năm (đồng)")).to_contain_text(
        "Nhập số tiền bằng chữ số, ví dụ 250.000.000."
    )
    expect(requested).to_have_value("250,5")
    expect(field(s, "Vốn đối ứng (đồng)")).to_have_value("120.000.000")
    assert not Project.objects.exists()

    requested.fill("250.000.000")
    baseline.fill("250.000.000")
    expect(near(s, "Kinh phí đề nghị hỗ trợ (đồng)").first).to_contain_text(
        "Bằng chữ: Hai trăm năm mươi triệu đồng"
    )
    s.get_by_role("button", name="Lưu dự thảo").click()
    expect(s.get_by_role("alert").first).to_contain_text("Đã lưu đề án.")
    budget = s.get_by_test_id("budget")
    expect(budget.locator("tbody tr").first).to_contain_text("250.000.000 đ")
    expect(budget).to_contain_text("370.000.000 đ")
    expect(budget).to_contain_text("120.000.000 đ")
    expect(s.get_by_text("doanh thu 250.000.000 đ")).to_be_visible()
    project = Project.objects.get()
    assert (project.total_cost, project.counterpart, project.baseline_revenue) == (
        370_000_000,
        120_000_000,
        250_000_000,
    )
    assert project.fundings.get().requested == 250_000_000
