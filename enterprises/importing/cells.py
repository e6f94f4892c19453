"""Reading one cell of an import: text, numbers, money and reference data."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Commune, CraftVillage, EstablishmentKind, Sector
from ..money import MESSAGES, parse_amount
from ..text import clean_text, fold
from ..xlsx import unneutralise
from .columns import EXAMPLE_NAME, NO, YES, _in_all_languages

# --- reading cells -------------------------------------------------------------


class CellError(Exception):
    pass


_INTEGER_TEXT = re.compile(r"^-?\d{1,3}([.,\s]\d{3})+$|^-?\d+$")
_LEADING_CODE = re.compile(r"^\s*(\d+)")


def _text(value: Any) -> str:
    """A cell as trimmed NFC text; numbers typed into text columns lose no digit."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(YES if value else NO)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unneutralise(clean_text(str(value)))


def _tax_code(value: Any) -> str:
    text = _text(value).replace(" ", "")
    # A tax code typed as a number loses its leading zero (Hà Nội's start 01...).
    if isinstance(value, int | float) and len(text) == 9:
        text = "0" + text
    return text


def _integer(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("Enter a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("Enter a whole number, without decimals."))
    text = clean_text(str(value))
    if _INTEGER_TEXT.match(text):
        # Grouping with dots, commas or spaces, as typed in either language.
        return int(re.sub(r"[.,\s]", "", text))
    raise CellError(_("Enter a whole number."))


def _money(value: Any) -> int | None:
    """An amount of đồng read as every money field reads it (a number cell, or
    text such as 1.350.000.000); a comma or misgrouped digits are refused
    rather than guessed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = parse_amount(value)
    except ValidationError as invalid:
        raise CellError(" ".join(invalid.messages)) from invalid
    if amount < 0:
        raise CellError(str(MESSAGES["negative"]))
    return amount


class _Lookups:
    """Reference data read once per import, so rows cost no queries."""

    def __init__(self) -> None:
        self.kinds: dict[str, str] = {}
        for value, label in EstablishmentKind.choices:
            self.kinds[fold(value)] = value
            for folded in _in_all_languages(label):
                self.kinds[folded] = value
        self.yes = _in_all_languages(YES) | {"x", "1", "true"}
        self.no = _in_all_languages(NO) | {"", "0", "false"}
        self.communes: set[int] = set(Commune.objects.values_list("code", flat=True))
        # A name ("Xã Hoằng Lộc" or "Hoằng Lộc") is understood in the home
        # province when it names one unit only; otherwise the code is needed.
        by_name: dict[str, set[int]] = {}
        for code, name in Commune.objects.in_province(
            settings.HOME_PROVINCE_CODE
        ).values_list("code", "name"):
            by_name.setdefault(fold(name), set()).add(code)
            by_name.setdefault(fold(name.split(" ", 1)[-1]), set()).add(code)
        self.commune_names: dict[str, int] = {
            name: codes.pop() for name, codes in by_name.items() if len(codes) == 1
        }
        self.sectors: dict[str, int] = {}
        for pk, code, name in Sector.objects.values_list("pk", "code", "name"):
            self.sectors[fold(code)] = pk
            self.sectors[fold(name)] = pk
        self.villages: dict[tuple[int, str], int] = {
            (commune_id, fold(name)): pk
            for pk, commune_id, name in CraftVillage.objects.values_list(
                "pk", "commune_id", "name"
            )
        }
        self.example_names = _in_all_languages(EXAMPLE_NAME)

    def kind(self, value: Any) -> str:
        text = fold(_text(value))
        if not text:
            raise CellError(_("This field is required."))
        if text not in self.kinds:
            raise CellError(_("Choose a kind from the drop-down list."))
        return self.kinds[text]

    def boolean(self, value: Any, default: bool) -> bool:
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        text = fold(_text(value))
        if not text:
            return default
        if text in self.yes:
            return True
        if text in self.no:
            return False
        raise CellError(_("Write “Yes” or “No”."))

    def commune(self, value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            code = value
        else:
            text = _text(value)
            match = _LEADING_CODE.match(text)
            if match:
                code = int(match.group(1))
            elif not text:
                raise CellError(_("This field is required."))
            elif fold(text) in self.commune_names:
                code = self.commune_names[fold(text)]
            else:
                raise CellError(
                    _("Choose a commune from the drop-down list (code - name).")
                )
        if code not in self.communes:
            raise CellError(
                _("No commune or ward has the code %(code)s.") % {"code": code}
            )
        return code

    def sector_ids(self, value: Any) -> list[int]:
        ids = []
        for part in re.split(r"[;\n]", _text(value)):
            if not part.strip():
                continue
            pk = self.sectors.get(fold(part))
            if pk is None:
                raise CellError(
                    _("Unknown sector “%(name)s”.") % {"name": part.strip()}
                )
            if pk not in ids:
                ids.append(pk)
        return ids

    def village(self, value: Any, commune_id: int | None) -> int | None:
        text = _text(value)
        if not text:
            return None
        pk = self.villages.get((commune_id, fold(text))) if commune_id else None
        if pk is None:
            raise CellError(
                _("No recognised craft village of this name in the chosen commune.")
            )
        return pk
