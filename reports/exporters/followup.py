"""The follow-up report (báo cáo theo dõi sau hỗ trợ): for each follow-up of
the period, the figures before the project (the proposal's baseline), at
acceptance and after 12 months (the follow-up), side by side.

Which follow-ups: those opened or done within the period, of projects with
funding from the chosen source (and programme). A project's baseline and
acceptance figures are printed on its first follow-up only, so that the
totals row counts a group project's figures once.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from followups.figures import window
from followups.models import FollowUp, FollowUpState
from reports.models import ReportKind

from . import register
from .base import DATE, INT, MONEY, TEXT, Column, Exporter, Row


def _kwh(value) -> int | None:
    return None if value is None else round(value)


@register
class FollowUpExporter(Exporter):
    kind = ReportKind.FOLLOW_UP
    title = _("Follow-up after support: before, at acceptance, after 12 months")
    file_stem = "theo-doi-sau-ho-tro"
    formats = ("xlsx", "pdf")
    columns = (
        Column(_("No."), INT, 5),
        Column(_("Project"), TEXT, 12),
        Column(_("Establishment"), TEXT, 24),
        Column(_("Settled on"), DATE, 10),
        Column(_("State"), TEXT, 10),
        Column(_("Machines in use / checked"), TEXT, 12),
        Column(_("Jobs before"), INT, 8, total=True),
        Column(_("Jobs at acceptance"), INT, 8, total=True),
        Column(_("Jobs after 12 months"), INT, 8, total=True),
        Column(_("Revenue before (đồng)"), MONEY, 14, total=True),
        Column(_("Revenue at acceptance (đồng)"), MONEY, 14, total=True),
        Column(_("Revenue after 12 months (đồng)"), MONEY, 14, total=True),
        Column(_("Energy before (kWh/year)"), INT, 9, total=True),
        Column(_("Energy at acceptance (kWh/year)"), INT, 9, total=True),
        Column(_("Energy after 12 months (kWh/year)"), INT, 9, total=True),
        Column(_("Remarks"), TEXT, 20),
    )

    def queryset(self) -> QuerySet[FollowUp]:
        start, end = self.period.start, self.period.end
        rows = FollowUp.objects.filter(
            Q(opened_on__gte=start, opened_on__lte=end) | window(start, end)
        )
        if self.source:
            rows = rows.filter(project__fundings__source=self.source)
        if self.programme_id:
            rows = rows.filter(project__fundings__plan__programme_id=self.programme_id)
        return (
            rows.distinct()
            .select_related("project", "project__acceptance", "establishment")
            .annotate(
                checked=Count("equipment", filter=Q(equipment__in_use__isnull=False)),
                in_use=Count("equipment", filter=Q(equipment__in_use=True)),
            )
            .order_by(
                "project__settled_on", "project__code", "establishment__name", "pk"
            )
        )

    def count(self) -> int:
        return self.queryset().count()

    def rows(self) -> Iterator[Row]:
        states = {value: str(label) for value, label in FollowUpState.choices}
        seen: set[int] = set()
        for number, f in enumerate(self.queryset().iterator(chunk_size=2000), 1):
            project = f.project
            first = project.pk not in seen
            seen.add(project.pk)
            acceptance = getattr(project, "acceptance", None)
            if first:
                before = (
                    project.baseline_jobs,
                    project.baseline_revenue,
                    _kwh(project.baseline_energy_kwh),
                )
                at = (
                    (
                        acceptance.jobs_after,
                        acceptance.revenue_after,
                        _kwh(acceptance.energy_after_kwh),
                    )
                    if acceptance
                    else (None, None, None)
                )
            else:
                before = at = (None, None, None)
            machines = (
                gettext("%(used)s / %(checked)s")
                % {"used": f.in_use, "checked": f.checked}
                if f.is_done and f.checked
                else ""
            )
            yield (
                number,
                project.code,
                f.establishment.name,
                project.settled_on,
                states[f.state()],
                machines,
                before[0],
                at[0],
                f.jobs,
                before[1],
                at[1],
                f.revenue,
                before[2],
                at[2],
                _kwh(f.energy_kwh),
                f.remarks,
            )
