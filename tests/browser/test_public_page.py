"""The public page as a visitor sees it: no login, Vietnamese whatever the
browser's language, nothing refused by the Content-Security-Policy, and no
sideways scrolling on a phone (360 px) or a laptop (1366 px).

Set KC_SHOTS to keep a screenshot of each size (tests/browser/shots.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.browser.shots import shot
from tests.builders import disclosure_world

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"laptop": (1366, 768), "phone": (360, 740)}


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_public_page_fits_and_obeys_the_policy(
    browser, live_server, staff, reviewer, size
):
    cache.clear()
    world = disclosure_world(staff, reviewer)
    width, height = SIZES[size]
    context = browser.new_context(
        locale="en-US", viewport={"width": width, "height": height}
    )
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda m: (
            refused.append(m.text)
            if "Content Security Policy" in m.text or m.type == "error"
            else None
        ),
    )
    page.goto(live_server.url + "/cong-khai/")
    assert page.locator("h1").inner_text().startswith("Hỗ trợ khuyến công")
    assert page.get_by_test_id("public-projects").locator("li").count() == 3
    assert world.hidden.code not in page.content()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px of sideways scrolling at {width}px"
    shot(page, f"public-{size}", full_page=False)
    shot(page, f"public-{size}-full")
    # The filter by search, accents left out, as people type on a phone.
    page.fill("input[name=q]", "may say")
    page.get_by_role("button", name="Lọc").click()
    assert page.get_by_test_id("public-projects").locator("li").count() == 1
    assert refused == []
    context.close()


def test_the_api_reference_loads_under_the_policy(browser, live_server):
    context = browser.new_context(
        locale="en-US", viewport={"width": 1366, "height": 768}
    )
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda m: (
            refused.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    page.goto(live_server.url + "/api/v1/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Cổng Khuyến công" in page.locator(".swagger-ui .info .title").inner_text()
    shot(page, "api-docs", full_page=False)
    assert refused == []
    context.close()
