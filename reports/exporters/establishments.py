"""Report 4: the list of rural-industry establishments (danh sách cơ sở CNNT)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from enterprises.models import Establishment, EstablishmentKind, Region, Sector
from reports.models import ReportKind
from reports.queries import support_received_by_establishment

from . import register
from .base import INT, MONEY, TEXT, Column, Exporter, Row


@register
class EstablishmentListExporter(Exporter):
    kind = ReportKind.ESTABLISHMENTS
    title = _("List of rural-industry establishments")
    file_stem = "danh-sach-co-so"
    columns = (
        Column(_("No."), INT, 6),
        Column(_("Establishment"), TEXT, 36),
        Column(_("Kind"), TEXT, 20),
        Column(_("Tax code"), TEXT, 16),
        Column(_("Commune / ward"), TEXT, 20),
        Column(_("Region"), TEXT, 11),
        Column(_("Sectors"), TEXT, 24),
        Column(_("Workers"), INT, 11, total=True),
        Column(_("Women-owned"), INT, 11, total=True),
        Column(_("Support received (đồng)"), MONEY, 18, total=True),
    )

    def queryset(self) -> QuerySet[Establishment]:
        return (
            Establishment.objects.active()
            .select_related("commune")
            .only(
                "name",
                "kind",
                "tax_code",
                "workers_total",
                "women_owned",
                "commune__name",
                "commune__region",
            )
            # A list attribute, not a manager: .all() per row would build a
            # queryset for each of 100,000 rows.
            .prefetch_related(
                Prefetch(
                    "sectors",
                    queryset=Sector.objects.only("name"),
                    to_attr="sector_list",
                )
            )
            .order_by("commune__name", "name", "pk")
        )

    def count(self) -> int:
        return self.queryset().count()

    def rows(self) -> Iterator[Row]:
        support = support_received_by_establishment(
            period=self.period, source=self.source, programme_id=self.programme_id
        )
        # Labels translated once, not once per row (get_FOO_display hashes
        # lazy translations on every call).
        kinds = {value: str(label) for value, label in EstablishmentKind.choices}
        regions = {value: str(label) for value, label in Region.choices}
        establishments = self.queryset().iterator(chunk_size=2000)
        for number, e in enumerate(establishments, start=1):
            yield (
                number,
                e.name,
                kinds.get(e.kind, e.kind),
                e.tax_code,
                e.commune.name,
                regions.get(e.commune.region, ""),
                ", ".join(s.name for s in e.sector_list),
                e.workers_total,
                # 1/0 rather than yes/no, so the totals row counts them.
                1 if e.women_owned else 0,
                support.get(e.pk, 0),
            )
