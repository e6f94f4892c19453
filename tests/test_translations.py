"""The Vietnamese catalogue covers every UI string in the code and templates,
and each string is translated when it is shown, not when its module is
imported."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

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


# --- translated when shown -----------------------------------------------------------

EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def eager_calls_at_import(tree: ast.Module, path: str) -> list[str]:
    """Calls of gettext & co. (under any name they were imported as) that run
    when the module is imported: in its body, a class body, a decorator or a
    default value, not inside a function. The string would stay in whatever
    language the request that first imported the module had."""
    names = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in EAGER
    }
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for outer in (*node.decorator_list, *node.args.defaults):
                visit(outer)
            for default in node.args.kw_defaults:
                if default is not None:
                    visit(default)
            return
        if isinstance(node, ast.Lambda):
            return
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in names
        ):
            found.append(f"{path}:{node.lineno}: {ast.unparse(node)}")
        for child in ast.iter_child_nodes(node):
            visit(child)

    if names:
        visit(tree)
    return found


def product_modules() -> list[Path]:
    """The project's Python files outside SKIP (the virtualenv is never
    walked) and the migrations."""
    base = Path(settings.BASE_DIR)
    found = list(base.glob("*.py"))
    for top in base.iterdir():
        if top.is_dir() and top.name not in SKIP and not top.name.startswith("."):
            found += [p for p in top.rglob("*.py") if "migrations" not in p.parts]
    return found


def test_no_string_is_translated_when_its_module_is_imported():
    base = Path(settings.BASE_DIR)
    found = [
        line
        for path in product_modules()
        for line in eager_calls_at_import(
            ast.parse(path.read_text()), str(path.relative_to(base))
        )
    ]
    assert found == [], "use gettext_lazy at import time:\n" + "\n".join(found)


def test_the_check_finds_a_string_translated_at_import():
    source = """
from django.utils.translation import gettext as _, gettext_lazy
TITLE = _("Now")
LATER = gettext_lazy("Later")
class Admin:
    label = _("In a class body")
    @action(description=_("In a decorator"))
    def act(self, x=_("In a default")):
        return _("When called")
"""
    found = eager_calls_at_import(ast.parse(source), "m.py")
    assert [line.split(": ", 1)[1] for line in found] == [
        "_('Now')",
        "_('In a class body')",
        "_('In a decorator')",
        "_('In a default')",
    ]


def test_a_void_message_is_in_the_language_of_the_request():
    from projects.views.execution import VOIDABLE

    _table, done = VOIDABLE["disbursement"]
    with translation.override("en"):
        assert str(done) == "The disbursement was voided."
    with translation.override("vi"):
        assert str(done) == "Đã hủy bỏ khoản giải ngân."
