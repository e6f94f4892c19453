"""The columns of the establishment workbook, shared by import, export and template."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from ..models import Establishment
from ..text import fold

# --- columns ---------------------------------------------------------------

TEXT, TAX_CODE, KIND, COMMUNE, SECTORS, VILLAGE, INTEGER, BOOLEAN, MONEY = range(9)


@dataclass(frozen=True)
class Column:
    """One column of the import template and of the export."""

    field: str
    kind: int = TEXT
    label: Promise | None = None  # default: the model field's verbose name
    required: bool = False  # the file must have this column
    width: int = 18

    @property
    def title(self) -> str:
        if self.label is not None:
            return str(self.label)
        return capfirst(str(Establishment._meta.get_field(self.field).verbose_name))


COLUMNS: list[Column] = [
    Column("name", label=gettext_lazy("Establishment name"), required=True, width=40),
    Column("kind", KIND, required=True, width=28),
    Column("tax_code", TAX_CODE, width=16),
    Column("business_registration_no", width=18),
    Column("representative_name", required=True, width=24),
    Column("representative_position"),
    Column("phone", width=14),
    Column("email", width=24),
    Column(
        "commune",
        COMMUNE,
        label=gettext_lazy("Commune / ward (code - name)"),
        required=True,
        width=30,
    ),
    Column("street", width=30),
    Column("legacy_address", width=30),
    Column(
        "sectors", SECTORS, label=gettext_lazy("Sectors (separated by ;)"), width=30
    ),
    Column("craft_village", VILLAGE, width=24),
    Column("founded_year", INTEGER, width=10),
    Column("workers_total", INTEGER, label=gettext_lazy("Total workers"), width=10),
    Column("workers_women", INTEGER, width=10),
    Column("workers_ethnic_minority", INTEGER, width=10),
    Column("women_owned", BOOLEAN, width=10),
    Column("ethnic_minority_owned", BOOLEAN, width=10),
    Column("yearly_revenue", MONEY, width=18),
    Column("main_products", width=30),
    Column("notes", width=30),
    Column("is_active", BOOLEAN, width=10),
]

# Model fields an import may write (sectors are many-to-many, handled apart).
_MODEL_FIELDS = [c.field for c in COLUMNS if c.kind != SECTORS]
_BATCH = 500

# Identifiers kept as text in the template, so Excel keeps their leading zeros.
_IDENTIFIER_FIELDS = {"tax_code", "business_registration_no", "phone"}


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _in_all_languages(text: Promise | str) -> set[str]:
    """The folded forms of a translated label in every language of the site."""
    forms = set()
    for language in _languages():
        with translation.override(language):
            forms.add(fold(str(text)))
    return forms


# The template's example row carries this name; an import skips such rows, so
# a forgotten example never becomes a record.
EXAMPLE_NAME = gettext_lazy("EXAMPLE (this row is skipped on import)")


YES = gettext_lazy("Yes")
NO = gettext_lazy("No")
