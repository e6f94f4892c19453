"""The Vietnamese catalogue covers every UI string in the code and templates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings

SKIP = {
    ".venv",
    ".git",
    "var",
    "staticfiles",
    "static",
    "tests",
    "node_modules",
    "media",
}


def untranslated(po: polib.POFile) -> list[str]:
    return [
        e.msgid
        for e in po
        if not e.obsolete
        and ("fuzzy" in e.flags or not (e.msgstr or e.msgstr_plural.get(0)))
    ]


def test_the_vietnamese_catalogue_is_complete_and_up_to_date(tmp_path: Path):
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(
        base,
        copy,
        ignore=lambda d, names: [n for n in names if n in SKIP or n.endswith(".mo")],
    )
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings.base",
    }
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "--ignore=tests",
            "-v",
            "0",
        ],
        cwd=copy,
        env=env,
        check=True,
    )
    fresh = polib.pofile(str(copy / "locale/vi/LC_MESSAGES/django.po"))
    missing = untranslated(fresh)
    assert missing == [], (
        "Untranslated UI strings; run `make makemessages` and translate them:\n"
        + "\n".join(missing)
    )
