"""What the page walk checks on every page (tests/demo/test_page_walk.py), and
the English-speaking office window it looks through.

A page fails when it overflows a 1366-pixel screen horizontally, when the
console shows an error, when the Content-Security-Policy refuses anything,
when it is not in Vietnamese or when English words of the interface show.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import polib

from .chromium import TIMEOUT_MS

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/vi/LC_MESSAGES/django.po"

# Runs before any page script, outside the CSP's reach (the browser injects
# it), so that a violation is recorded even when the console says nothing.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline")
    + " " + (e.sourceFile || "") + ":" + (e.lineNumber || ""));
});
"""

# Elements wider than the window, each named by tag, id and class; nothing
# when the page fits (a table scrolling inside its own box fits).
FIND_OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.dataset.testid ? "[" + el.dataset.testid + "]" : "");
  const found = [];
  // Content that sticks out of its card, whether or not the page grows.
  for (const card of document.querySelectorAll("main .card, main .card-body")) {
    if (card.scrollWidth > card.clientWidth + 1) {
      const inner = card.querySelector("table, pre, img, svg") || card;
      found.push("card " + name(card) + " holds " + name(inner) + " "
        + card.scrollWidth + " > " + card.clientWidth);
    }
  }
  if (document.documentElement.scrollWidth > width) {
    found.push("page " + document.documentElement.scrollWidth + " > " + width);
    for (const el of document.body.querySelectorAll("main *")) {
      if (el.getBoundingClientRect().right > width + 1) {
        found.push("wide " + name(el) + " in " + name(el.parentElement));
        break;
      }
    }
  }
  return found.slice(0, 6);
}
"""

WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    """Plain ASCII words of three letters or more (Vietnamese words with
    marks never match)."""
    return [
        w for w in WORD.findall(text) if len(w) >= 3 and w.isascii() and w.isalpha()
    ]


@cache
def english_words() -> frozenset[str]:
    """Words of the interface's English msgids that never occur in its
    Vietnamese translations: seen on a page, they are untranslated text."""
    catalogue = polib.pofile(str(CATALOGUE))
    english: set[str] = set()
    vietnamese: set[str] = set()
    for entry in catalogue:
        if entry.obsolete:
            continue
        texts = [entry.msgid, entry.msgid_plural or ""]
        english.update(w.lower() for t in texts for w in _words(_plain(t)))
        translations = [entry.msgstr, *entry.msgstr_plural.values()]
        vietnamese.update(w.lower() for t in translations for w in _words(_plain(t)))
    # Words that are also Vietnamese syllables, names or units.
    vietnamese.update(
        {"tin", "can", "hon", "tan", "than", "son", "ban", "van", "may", "men"}
    )
    return frozenset(english - vietnamese)


def _plain(text: str) -> str:
    """A msgid without its placeholders and markup."""
    text = re.sub(r"%\([a-z_]+\)[sdf]|%[sd]|\{[^}]*\}|<[^>]+>|&[a-z]+;", " ", text)
    return text


def english_on(text: str) -> list[str]:
    vocabulary = english_words()
    # E-mail addresses and links are data ("…@khuyencong.local").
    text = re.sub(r"\S+@\S+|\S+://\S+", " ", text)
    return sorted({w for w in _words(text) if w.lower() in vocabulary})


# What problems_of reads of the page, in one round trip to the browser rather
# than one for each (the walk opens some 400 pages); after the tasks already
# queued, so that a violation the page just met has been recorded.
READ_PAGE = f"""
async () => ({{
  settled: await new Promise((resolve) => setTimeout(resolve, 0)),
  lang: document.documentElement.getAttribute("lang"),
  overflow: ({FIND_OVERFLOW.strip()})(),
  violations: window.__cspViolations || [],
  text: document.body.innerText,
}})
"""


def problems_of(page, url: str, console: list[str]) -> list[str]:
    """Everything wrong with the page the browser shows now."""
    found: list[str] = []
    seen = page.evaluate(READ_PAGE)
    if seen["lang"] != "vi":
        found.append(f"lang={seen['lang']}")
    if seen["overflow"]:
        found.append("overflow: " + "; ".join(seen["overflow"]))
    if seen["violations"]:
        found.append("CSP: " + "; ".join(seen["violations"]))
    if console:
        found.append("console: " + "; ".join(console))
    words = english_on(seen["text"])
    if words:
        found.append("English: " + ", ".join(words[:20]))
    return [f"{url}: {p}" for p in found]


def pick(scope, label: str, option: str, typed: str | None = None) -> None:
    """Choose `option` in the searchable picker labelled `label` by typing
    (by default the option's text without accents, as people type) and
    clicking the match, as a user does (static/js/pickers.js).

    Every step waits on what the page shows, never on time, so a slow
    machine only makes it slower: the picker is built (Tom Select's own
    combobox, not the bare select it replaces while the script loads), its
    own list shows the match, the chosen item sits in the field; then the
    field is left."""
    from playwright.sync_api import expect

    from enterprises.text import fold

    # A required field's label ends in "*": the name is matched as a prefix.
    control = scope.locator("input[id$='-ts-control']").and_(
        scope.get_by_role("combobox", name=label)
    )
    expect(control).to_be_attached()
    wrapper = control.locator("xpath=ancestor::div[contains(@class,'ts-wrapper')]")
    dropdown = wrapper.locator(".ts-dropdown")
    match = dropdown.locator(".option", has_text=option).first
    chosen = wrapper.locator(".ts-control .item", has_text=option)
    control.click()
    control.press_sequentially(typed if typed is not None else fold(option))
    expect(match).to_be_attached()
    if not dropdown.is_visible():
        # The list closed under the typing (focus came back from the last
        # picker): open it again, as a user clicks the field once more.
        control.click()
    expect(match).to_be_visible()
    match.click()
    expect(chosen).to_have_count(1)
    # Tom Select ends a click in its list in deferred steps: the typing's
    # throttled read (refreshTimeout) and focus() handing over to onFocus in
    # a timer (ignoreFocus until it runs). Either one, run after the field is
    # left, opens the list again, and open() focuses the picker: it takes
    # the focus from the next field, whose typing then lands in the picker
    # (seen under load: an end date typed as "31/1"). Wait for both, leave
    # the field as a user moving on does, and wait until the picker knows.
    page = getattr(scope, "page", scope)
    handle = control.element_handle()
    page.wait_for_function(PICKER_SETTLED, arg=handle)
    control.evaluate("el => el.blur()")
    page.wait_for_function(PICKER_LEFT, arg=handle)


# The Tom Select whose typed-in input is `el`.
_PICKER_OF = """(el) => Array.from(document.querySelectorAll("select"))
  .map((s) => s.tomselect).find((t) => t && t.control_input === el)"""

# True once that picker has no deferred step pending.
PICKER_SETTLED = f"""(el) => {{
  const t = ({_PICKER_OF})(el);
  return !!t && !t.refreshTimeout && !t.ignoreFocus;
}}"""

# True once that picker has been left: nothing pending, closed, unfocused.
PICKER_LEFT = f"""(el) => {{
  const t = ({_PICKER_OF})(el);
  return !!t && !t.refreshTimeout && !t.ignoreFocus && !t.isFocused
    && !t.isOpen && document.activeElement !== el;
}}"""


def window(browser):
    """A new window of a Vietnamese officer's English-language Chrome on a
    1366×768 office screen: (context, page, the console's errors)."""
    context = browser.new_context(
        locale="en-US",
        extra_http_headers={"Accept-Language": "en-US,en;q=0.9"},
        viewport={"width": 1366, "height": 768},
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    # The console's "Failed to load resource" does not say which: this does.
    page.on(
        "response",
        lambda r: (
            console.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    return context, page, console


def visit(page, console: list[str], url: str, label: str) -> tuple[int, list[str]]:
    """Open `url`: its status, and its problems when it opened."""
    console.clear()
    response = page.goto(url)  # returns once the page has loaded
    if response.status != 200:
        # Refused pages are the permission matrix's business; their status
        # line in the console is not a fault of the page.
        return response.status, []
    return 200, problems_of(page, label, console)
