"""Fill untranslated entries of locale/vi/LC_MESSAGES/django.po from a JSON map.

Usage: python scripts/po_fill.py translations.json
The JSON maps an English msgid to its Vietnamese text; plural entries take a
list of one string (Vietnamese has a single plural form). Entries already
translated are left alone; prints what is still missing.
"""

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale/vi/LC_MESSAGES/django.po"


def main() -> int:
    mapping = (
        json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
        if len(sys.argv) > 1
        else {}
    )
    po = polib.pofile(str(PO))
    for entry in po:
        if entry.obsolete:
            continue
        text = mapping.get(entry.msgid)
        if text is None:
            continue
        if entry.msgid_plural:
            value = text[0] if isinstance(text, list) else text
            if not entry.msgstr_plural.get(0) or "fuzzy" in entry.flags:
                entry.msgstr_plural = {0: value}
        elif not entry.msgstr or "fuzzy" in entry.flags:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    missing = [
        e.msgid
        for e in po
        if not e.obsolete
        and ("fuzzy" in e.flags or not (e.msgstr or e.msgstr_plural.get(0)))
    ]
    for m in missing:
        print("MISSING:", json.dumps(m, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
