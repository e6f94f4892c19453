"""What every phone page must do (the establishments' portal): fit 360 CSS px
without sideways scrolling, with finger-sized buttons."""

from __future__ import annotations

from .shots import shot

PHONE = {"width": 360, "height": 740}
# A finger-sized target (WCAG 2.5.5 asks 44 CSS px).
TOUCH_PX = 44


def fits_the_phone(page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (name, width)
    for button in page.locator("main button[type=submit]:visible").all():
        box = button.bounding_box()
        assert box["height"] >= TOUCH_PX, (name, button.inner_text(), box)
    shot(page, name)
