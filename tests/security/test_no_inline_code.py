"""No template served to a browser carries inline script or style.

The Content-Security-Policy (khuyencong/middleware.py) refuses them, so any
that slipped in would silently not work (issue 17: the budget page's year
select did nothing, photo thumbnails showed at full width). PDF templates are
rendered by WeasyPrint, not by a browser, and may style inline.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NOT_FOR_BROWSERS = {TEMPLATES / "reports" / "pdf"}

INLINE = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style[\s>]", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def browser_templates() -> list[Path]:
    return sorted(
        p
        for p in TEMPLATES.rglob("*.html")
        if not any(parent in NOT_FOR_BROWSERS for parent in p.parents)
    )


@pytest.mark.parametrize("kind", sorted(INLINE))
def test_no_template_has_inline_code(kind):
    found = [
        f"{path.relative_to(TEMPLATES)}:{text[: m.start()].count(chr(10)) + 1}"
        for path in browser_templates()
        for text in [path.read_text(encoding="utf-8")]
        for m in INLINE[kind].finditer(text)
    ]
    assert found == []


def test_the_walk_covers_templates():
    # The check above must look at something.
    assert len(browser_templates()) > 30
