"""Registry of report exporters, by kind.

An exporter module registers its class with `@register`; `load_exporters()`
imports every module listed in EXPORTER_MODULES once. Only registered kinds
are offered on the request page, by `generate_report`, and by schedules.

Adding a report — see progress.py, disbursement.py and summary.py:

1. `reports/exporters/<name>.py`: a class with `@register`, a `kind` from
   ReportKind, a title and columns (headers through gettext), `count()` for
   the progress bar and `rows()`, a generator over one query's
   `.iterator(chunk_size=...)`. Reports about projects take their projects
   and money from reports.queries (`period_fundings`, `with_money`), so that
   every report agrees on which projects a period holds and what was paid.
   Filter with self.period, self.source ("" = both, "kcqg", "kcdp") and
   self.programme_id. Subtotal rows (per source, per content) are yielded as
   `Subtotal(...)`: printed bold, left out of the totals row.
2. Add the module to EXPORTER_MODULES.
3. `make makemessages`, translate, and test it by reading the file back
   (tests/reports/test_exporters_projects.py).
"""

from __future__ import annotations

from importlib import import_module

from .base import Report

EXPORTER_MODULES = [
    "reports.exporters.progress",
    "reports.exporters.disbursement",
    "reports.exporters.summary",
    "reports.exporters.establishments",
    "reports.exporters.dossier",
    "reports.exporters.followup",
]

_REGISTRY: dict[str, type[Report]] = {}
_loaded = False


def register(cls: type[Report]) -> type[Report]:
    if cls.kind in _REGISTRY and _REGISTRY[cls.kind] is not cls:
        raise ValueError(f"Two exporters for report kind {cls.kind!r}")
    _REGISTRY[cls.kind] = cls
    return cls


def load_exporters() -> dict[str, type[Report]]:
    global _loaded
    if not _loaded:
        for module in EXPORTER_MODULES:
            import_module(module)
        _loaded = True
    return _REGISTRY


def get_exporter(kind: str) -> type[Report] | None:
    return load_exporters().get(kind)


def available_kinds(*, per_project: bool = False) -> list[str]:
    """Kinds that can be asked for a period (the request page, schedules),
    in the order of ReportKind; with `per_project`, also those about one
    project (the dossier, asked for from the project's page)."""
    from reports.models import ReportKind

    registry = load_exporters()
    return [
        k
        for k in ReportKind.values
        if k in registry and (per_project or not registry[k].per_project)
    ]
