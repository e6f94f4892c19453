"""Registry of report exporters, by kind.

An exporter module registers its class with `@register`; `load_exporters()`
imports every module listed in EXPORTER_MODULES once. Only registered kinds
are offered on the request page, by `generate_report`, and by schedules.

Adding a report (e.g. the disbursement report, once `projects` has its models):

1. `reports/exporters/disbursement.py`::

       @register
       class DisbursementExporter(Exporter):
           kind = ReportKind.DISBURSEMENT          # already in ReportKind
           title = _("Disbursement report")
           columns = (
               Column(_("Project"), TEXT, 40),
               Column(_("Approved (đồng)"), MONEY, 18, total=True),
               Column(_("Disbursement rate"), PERCENT, 10),  # a fraction
               Column(_("Acceptance date"), DATE, 12),
           )

           def count(self) -> int: ...             # for the progress bar
           def rows(self):                         # one query, .iterator()
               for p in queryset.iterator(chunk_size=2000):
                   yield (p.name, p.approved, p.rate, p.accepted_on)

   Filter with self.period.start/end, self.source ("" = both, "kcqg",
   "kcdp") and self.programme_id. Subtotal rows (per source, per content) are
   ordinary rows whose text says so; keep total=True columns summing detail
   rows only by overriding totals() when subtotals are mixed in.
2. Add "reports.exporters.disbursement" to EXPORTER_MODULES.
3. `make makemessages`, translate, and test it like tests/reports/test_writers.py.
"""

from __future__ import annotations

from importlib import import_module

from .base import Exporter

EXPORTER_MODULES = [
    "reports.exporters.progress",
    "reports.exporters.disbursement",
    "reports.exporters.summary",
    "reports.exporters.establishments",
]

_REGISTRY: dict[str, type[Exporter]] = {}
_loaded = False


def register(cls: type[Exporter]) -> type[Exporter]:
    if cls.kind in _REGISTRY and _REGISTRY[cls.kind] is not cls:
        raise ValueError(f"Two exporters for report kind {cls.kind!r}")
    _REGISTRY[cls.kind] = cls
    return cls


def load_exporters() -> dict[str, type[Exporter]]:
    global _loaded
    if not _loaded:
        for module in EXPORTER_MODULES:
            import_module(module)
        _loaded = True
    return _REGISTRY


def get_exporter(kind: str) -> type[Exporter] | None:
    return load_exporters().get(kind)


def available_kinds() -> list[str]:
    """Kinds that can be produced now, in the order of ReportKind."""
    from reports.models import ReportKind

    registry = load_exporters()
    return [k for k in ReportKind.values if k in registry]
