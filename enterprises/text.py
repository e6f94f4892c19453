"""Text helpers for Vietnamese: the one canonical form of typed text, and
accent folding for search.

Every text a user types or imports goes through `clean_text` (forms and the
spreadsheet import call it; the form middleware applies `strip_invisible` to
everything posted or searched), and every search key through `fold`, which
applies it too.
"""

import re
import unicodedata

# NFD decomposition strips tone marks and most vowel marks, but đ/Đ are letters
# of their own (U+0111/U+0110), not d + a mark: they must be mapped explicitly.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})

# Characters that print as nothing: the Unicode format characters (category
# Cf: soft hyphen, zero-width space/joiners, direction marks and overrides,
# word joiner, byte-order mark, tag characters) and the blank "filler" letters
# used to fake an empty or different name. A name carrying one looks like
# another name yet never matches it in search or duplicate checks.
INVISIBLE = re.compile(
    "["
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001-\U000e007f\U000e0100-\U000e01ef"
    "]"
)
# Other spaces (no-break, thin, ideographic...) are plain spaces in a name.
_SPACES = re.compile(r"[^\S\n\r\t ]")


def strip_invisible(value: str) -> str:
    """`value` in NFC without characters that print as nothing."""
    return unicodedata.normalize("NFC", INVISIBLE.sub("", value or ""))


def clean_text(value: str) -> str:
    """Trimmed, composed, visible text: what looks the same compares equal.

    Text typed on different keyboards (NFD from macOS, Telex/VNI settings) or
    pasted from PDFs and chat messages (no-break spaces, zero-width spaces)
    looks identical on screen; stored as typed it would not match in search,
    sorting or duplicate checks.
    """
    return _SPACES.sub(" ", strip_invisible(value)).strip()


def fold(value: str) -> str:
    """Lower-case, accent-free form used for search: 'Đông Sơn' -> 'dong son'."""
    visible = INVISIBLE.sub("", value or "").translate(_EXTRA)
    decomposed = unicodedata.normalize("NFD", visible)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())
