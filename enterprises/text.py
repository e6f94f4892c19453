"""Text helpers for Vietnamese: NFC normalisation and accent folding."""

import unicodedata

# NFD decomposition strips tone marks and most vowel marks, but đ/Đ are letters
# of their own (U+0111/U+0110), not d + a mark: they must be mapped explicitly.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value: str) -> str:
    """Trim and compose: text typed on different keyboards compares equal."""
    return unicodedata.normalize("NFC", value or "").strip()


def fold(value: str) -> str:
    """Lower-case, accent-free form used for search: 'Đông Sơn' -> 'dong son'."""
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_EXTRA))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())
