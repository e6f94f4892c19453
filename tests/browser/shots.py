"""Screenshots for a person to look at, kept only when KC_SHOTS names a
folder (`KC_SHOTS=/tmp/shots make test`): the browser tests check the pages
themselves; the pictures are for reading them as a user does."""

from __future__ import annotations

import os
from pathlib import Path

# The office screen the staff's pages are looked at on.
OFFICE_SCREEN = {"width": 1366, "height": 768}


def folder() -> Path | None:
    """Where screenshots go, made if missing; None when they are not kept."""
    name = os.environ.get("KC_SHOTS")
    if not name:
        return None
    path = Path(name)
    path.mkdir(parents=True, exist_ok=True)
    return path


def shot(page, name: str, *, office_screen: bool = False, full_page: bool = True):
    """`name`.png of the page, at the 1366×768 office screen when asked
    (the window keeps that size afterwards)."""
    where = folder()
    if where is None:
        return
    if office_screen:
        page.set_viewport_size(OFFICE_SCREEN)
    page.screenshot(path=str(where / f"{name}.png"), full_page=full_page)
