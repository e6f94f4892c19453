"""What an import found: issues per cell or file, and the counts of a run."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _


@dataclass
class ImportIssue:
    """A problem with one cell (row and column), or with the whole file."""

    message: str
    row: int | None = None  # spreadsheet row number, as Excel shows it
    column: str = ""

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("Row %(row)s: %(message)s") % {
                "row": self.row,
                "message": self.message,
            }
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[ImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        # Counts grouped as every number the portal prints (5.000, not 5000).
        values = {
            name: number_format(getattr(self, name), force_grouping=True)
            for name in ("rows", "created", "updated", "unchanged")
        }
        if self.dry_run:
            return (
                _(
                    "Check only, nothing written: %(rows)s valid rows, %(created)s "
                    "would be new, %(updated)s would be updated, %(unchanged)s "
                    "unchanged."
                )
                % values
            )
        return (
            _(
                "Imported %(rows)s rows: %(created)s new, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
            % values
        )
