"""Text helpers for Vietnamese: the one canonical form of typed text, and
accent folding for search.

Every text a user types or imports goes through `clean_text` (forms and the
spreadsheet import call it; the form middleware applies `strip_invisible` to
everything posted or searched), and every search key through `fold`, which
applies it too.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db import models
from django.db.backends.signals import connection_created
from django.db.models import Q, QuerySet

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


# --- the same folding inside the database ------------------------------------------

# Every Latin letter with a mark (Vietnamese among them), upper and lower case,
# and the combining marks text stored decomposed (NFD) would carry: PostgreSQL's
# translate() maps the first to their plain letters and deletes the second.
_LATIN = [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
_MARKED = "".join(
    c
    for c in map(chr, _LATIN)
    if c.isalpha() and fold(c) != c.lower() and len(fold(c)) == 1
)
_COMBINING = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
SQLITE_FUNCTION = "kc_fold"


def folding_letters() -> tuple[str, str]:
    """translate()'s two arguments: the marked letters and combining marks,
    and the plain letters the first map to (the marks, unmatched, vanish)."""
    return _MARKED + _COMBINING, "".join(fold(c) for c in _MARKED)


class Fold(models.Func):
    """fold() in SQL: lower-case, accents and đ folded, spaces as typed.

    SQLite runs our Python fold() (registered on every connection below);
    PostgreSQL a translate() over the Vietnamese alphabet, so that a search
    means the same on both and needs no extension. Spaces are not collapsed
    in SQL; searches match word by word, which never contain one.
    """

    output_field = models.TextField()

    function = "LOWER"  # other databases: case only

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        marked, plain = folding_letters()
        # The same text as the trigram indexes (projects migration 0004).
        return f"LOWER(TRANSLATE({sql}, %s, %s))", [*params, marked, plain]


def _register_sqlite_fold(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FUNCTION,
            1,
            lambda v: None if v is None else fold(v),
            deterministic=True,
        )


connection_created.connect(_register_sqlite_fold, dispatch_uid="kc-sqlite-fold")


def search(
    queryset: QuerySet,
    text: str,
    *fields: str,
    labels: dict[str, Any] | None = None,
) -> QuerySet:
    """The one search of every list: each word typed, folded, must occur in
    one of `fields` (folded too). A field named search_text already holds
    folded text (a column with a trigram index on PostgreSQL) and is used as
    it is. "thanh hoa", "THANH HÓA" and "Thanh Hóa" find the same rows.

    `labels` maps a field holding coded values to its (value, label) choices:
    a word also matches the rows whose value's label (folded, in the current
    language) contains it — "dia phuong" finds the KCĐP rows."""
    labels = labels or {}
    for word in fold(text).split():
        match = Q()
        for name, choices in labels.items():
            values = [v for v, label in choices if word in fold(str(label))]
            if values:
                match |= Q(**{f"{name}__in": values})
        for name in fields:
            if name.endswith("search_text"):
                match |= Q(**{f"{name}__contains": word})
            else:
                match |= Q(**{f"_fold_{name.replace('__', '_')}__contains": word})
        queryset = queryset.alias(
            **{
                f"_fold_{name.replace('__', '_')}": Fold(name)
                for name in fields
                if not name.endswith("search_text")
            }
        ).filter(match)
    return queryset
