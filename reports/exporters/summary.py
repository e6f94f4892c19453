"""Report 3: the yearly summary (báo cáo tổng kết, kết quả thực hiện).

Which projects: the rule shared by the progress, disbursement and yearly
summary reports (reports.queries.period_fundings) — a project belongs to the
period when one of its funding rows comes from a plan of a year within
[period.start.year, period.end.year] (of the chosen source and programme), it
has been submitted (no drafts), and, for a period that is not whole years,
its implementation window (start date, or approval date, to end date)
overlaps the period.

One table, one header: the first column names the section (by source, by
activity content, by commune, by region, by establishment kind, priority
groups, results against targets, jobs), each opened by a bold heading row.
Sections cut the same projects different ways, so the totals row is not a sum
of the rows above: it gives the period's figures once — every project, every
distinct beneficiary, all approved and disbursed money.

Money (reports.queries.with_money): approved support of approved, not
cancelled projects; disbursed is the net paid up to the end of the period. By
establishment kind and for the priority groups, a project's money is shared
among its beneficiaries by the rule of the establishment list (equipment
supported amounts, else equal parts; see
reports.queries.support_received_by_establishment); a group project that
names no beneficiary yet has its own line, so the section adds up.

Rows are a few dozen aggregates, not one per project: each section is one or
two grouped queries, whatever the number of projects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enterprises.models import NO_REGION, EstablishmentKind, Region, region_label
from followups.figures import after_figures
from projects.models import COMMITTED_STATUSES, ProjectFunding, Source, measures
from reports.models import ReportKind
from reports.queries import (
    beneficiary_links,
    period_projects,
    split,
    with_money,
)

from . import register
from .base import (
    INT,
    MONEY,
    PERCENT,
    TEXT,
    Column,
    PeriodProjectsExporter,
    Row,
    Subtotal,
)
from .disbursement import rate

# Approved by the end of the period (reports.queries.status_at), whatever
# happened to the project since.
COMMITTED = Q(status_at_end__in=COMMITTED_STATUSES)


def _source_label(key: tuple) -> str:
    source, carried = key
    label = str(Source(source).label) if source else ""
    if carried:
        return gettext("%(source)s: carried-over projects") % {"source": label}
    return label


@register
class YearlySummaryExporter(PeriodProjectsExporter):
    kind = ReportKind.YEARLY_SUMMARY
    title = _("Summary of industrial extension results")
    file_stem = "tong-hop-ket-qua"
    columns = (
        Column(_("Section"), TEXT, 22),
        Column(_("Indicator"), TEXT, 34),
        Column(_("Number of projects"), INT, 10),
        Column(_("Of which approved"), INT, 10),
        Column(_("Establishments"), INT, 12),
        Column(_("Approved (đồng)"), MONEY, 17),
        Column(_("Disbursed (đồng)"), MONEY, 17),
        Column(_("Disbursement rate (of approved support)"), PERCENT, 10),
        Column(_("Target"), INT, 10),
        Column(_("Achieved"), INT, 10),
    )

    def money(self) -> QuerySet[ProjectFunding]:
        return with_money(self.fundings(), period=self.period).order_by()

    def count(self) -> None:
        # A few dozen aggregated rows, known only once their queries ran: no
        # estimate is better than a wrong one (the bar jumps to done).
        return None

    # --- sections -------------------------------------------------------------

    def rows(self) -> Iterator[Row]:
        # The period's own projects per source, then the carried-over ones
        # (đề án chuyển tiếp, on earlier plans) on lines of their own.
        yield from self._section(
            gettext("By funding source"),
            ("source", "carried_over"),
            _source_label,
            order=lambda key: (key[1], key[0] != Source.NATIONAL),
        )
        yield from self._section(
            gettext("By activity content"),
            ("project__content__code", "project__content__name"),
            lambda key: f"{key[0]}. {key[1]}",
            order=lambda key: key[0],
        )
        yield from self._section(
            gettext("By commune / ward"),
            ("project__commune__code", "project__commune__name"),
            lambda key: key[1] or gettext("Place not set"),
            order=lambda key: (key[0] is None, key[1] or "", key[0] or 0),
        )
        yield from self._regions()
        yield from self._beneficiary_groups()
        yield from self._results()
        yield from self._after()

    def _heading(self, title: str) -> Subtotal:
        return Subtotal((title, *[None] * (len(self.columns) - 1)))

    def _grouped(self, keys: tuple[str, ...]) -> dict[tuple, dict[str, Any]]:
        """Counts and money of the period's funding rows grouped by `keys`
        (two queries: money, then distinct beneficiaries, which would multiply
        the money if joined in the same query)."""
        found: dict[tuple, dict[str, Any]] = {}
        money = (
            self.money()
            .values(*keys)
            .annotate(
                projects=Count("project", distinct=True),
                committed=Count("project", distinct=True, filter=COMMITTED),
                approved_sum=measures.zero(Sum("approved_amount")),
                disbursed_sum=measures.zero(Sum("disbursed")),
            )
        )
        for row in money:
            found[tuple(row[k] for k in keys)] = {
                "projects": row["projects"],
                "committed": row["committed"],
                "establishments": 0,
                # Aliases differ from the annotations they sum: an aggregate
                # named like an annotation replaces it in the query.
                "approved": row["approved_sum"],
                "disbursed": row["disbursed_sum"],
            }
        people = (
            self.fundings()
            .order_by()
            .values(*keys)
            .annotate(n=Count("project__beneficiaries", distinct=True))
        )
        for row in people:
            found[tuple(row[k] for k in keys)]["establishments"] = row["n"]
        return found

    def _row(self, section: str, item: str, g: dict[str, Any]) -> Row:
        return (
            section,
            item,
            g["projects"],
            g["committed"],
            g["establishments"],
            g["approved"],
            g["disbursed"],
            rate(g["disbursed"], g["approved"]),
            None,
            None,
        )

    def _section(self, title, keys, label, *, order) -> Iterator[Row]:
        yield self._heading(title)
        grouped = self._grouped(keys)
        for key in sorted(grouped, key=order):
            yield self._row(title, label(key), grouped[key])

    def _regions(self) -> Iterator[Row]:
        """Every region, even one no support reached: the uneven spread of
        support is what this section is for."""
        title = gettext("By region")
        yield self._heading(title)
        merged: dict[str, dict[str, Any]] = {}
        for (region,), g in self._grouped(("project__commune__region",)).items():
            key = region or NO_REGION
            if key in merged:  # no commune and a commune without region
                for name in ("projects", "committed", "establishments"):
                    merged[key][name] += g[name]
                merged[key]["approved"] += g["approved"]
                merged[key]["disbursed"] += g["disbursed"]
            else:
                merged[key] = dict(g)
        empty = {
            "projects": 0,
            "committed": 0,
            "establishments": 0,
            "approved": 0,
            "disbursed": 0,
        }
        for key in [*Region.values, NO_REGION]:
            if key == NO_REGION and key not in merged:
                continue
            yield self._row(title, region_label(key), merged.get(key, empty))

    def _beneficiary_groups(self) -> Iterator[Row]:
        """By establishment kind, then the priority groups (women-owned,
        ethnic-minority-owned): two queries, money per project and the
        beneficiary links with what is known of each establishment."""
        per_project = {
            row["project_id"]: row
            for row in self.money()
            .values("project_id", status=F("status_at_end"))
            .annotate(
                approved_sum=measures.zero(Sum("approved_amount")),
                disbursed_sum=measures.zero(Sum("disbursed")),
            )
        }
        links = beneficiary_links(
            projects=self.fundings().values("project_id")
        ).values_list(
            "project_id",
            "establishment_id",
            "weight",
            "establishment__kind",
            "establishment__women_owned",
            "establishment__ethnic_minority_owned",
        )
        named: dict[int, list[tuple]] = defaultdict(list)
        for link in links:
            named[link[0]].append(link)

        groups: dict[str, dict[str, Any]] = defaultdict(
            lambda: {
                "projects": set(),
                "committed": set(),
                "establishments": set(),
                "approved": 0,
                "disbursed": 0,
            }
        )
        for project_id, rows in named.items():
            money = per_project[project_id]
            weights = [row[2] for row in rows]
            approved = split(money["approved_sum"], weights)
            disbursed = split(money["disbursed_sum"], weights)
            for row, a, d in zip(rows, approved, disbursed, strict=True):
                _p, establishment, _w, kind, women, ethnic = row
                status = money["status"]
                keys = [kind]
                if women:
                    keys.append("women")
                if ethnic:
                    keys.append("ethnic")
                for key in keys:
                    g = groups[key]
                    g["projects"].add(project_id)
                    if status in COMMITTED_STATUSES:
                        g["committed"].add(project_id)
                    g["establishments"].add(establishment)
                    g["approved"] += a
                    g["disbursed"] += d

        def counted(g: dict[str, Any]) -> dict[str, Any]:
            return {
                **g,
                "projects": len(g["projects"]),
                "committed": len(g["committed"]),
                "establishments": len(g["establishments"]),
            }

        # Group projects that name no beneficiary yet: their own line, so that
        # the section still adds up to every project's money.
        unnamed = groups["unnamed"]
        for project_id, money in per_project.items():
            if project_id not in named:
                unnamed["projects"].add(project_id)
                if money["status"] in COMMITTED_STATUSES:
                    unnamed["committed"].add(project_id)
                unnamed["approved"] += money["approved_sum"]
                unnamed["disbursed"] += money["disbursed_sum"]

        title = gettext("By establishment kind")
        yield self._heading(title)
        for kind, label in EstablishmentKind.choices:
            if kind in groups:
                yield self._row(title, str(label), counted(groups[kind]))
        if unnamed["projects"]:
            label = gettext("No beneficiary named yet (group projects)")
            yield self._row(title, label, counted(unnamed))
        title = gettext("Priority groups")
        yield self._heading(title)
        for key, label in (
            ("women", gettext("Women-owned establishments")),
            ("ethnic", gettext("Ethnic-minority-owned establishments")),
        ):
            yield self._row(title, label, counted(groups[key]))

    def _results(self) -> Iterator[Row]:
        """Targets of the approved projects against what their acceptance, by
        the end of the period, records; jobs created = jobs after acceptance
        less the baseline, where the acceptance recorded them."""
        end = self.period.end
        accepted = Q(acceptance__isnull=False, acceptance_date__lte=end)
        jobs_known = accepted & Q(acceptance__jobs_after__isnull=False)
        committed = period_projects(
            period=self.period, source=self.source, programme_id=self.programme_id
        ).filter(status_at_end__in=COMMITTED_STATUSES)
        sums: dict[str, Any] = {}
        for target in ("machines", "trainees", "products"):
            sums[f"{target}_projects"] = Count(
                "pk", filter=Q(**{f"target_{target}__gt": 0})
            )
            sums[f"{target}_target"] = measures.zero(Sum(f"target_{target}"))
            sums[f"{target}_achieved"] = measures.zero(
                Sum(f"acceptance__{target}_achieved", filter=accepted)
            )
        # The beneficiary's own money, planned against contributed, over the
        # projects whose acceptance recorded it (the same projects both sides).
        for source in ("counterpart", "other_sources"):
            known = accepted & Q(**{f"acceptance__{source}_contributed__isnull": False})
            sums[f"{source}_projects"] = Count("pk", filter=known)
            sums[f"{source}_planned"] = measures.zero(Sum(source, filter=known))
            sums[f"{source}_contributed"] = measures.zero(
                Sum(f"acceptance__{source}_contributed", filter=known)
            )
        totals = committed.aggregate(
            accepted=Count("pk", filter=accepted),
            jobs_projects=Count("pk", filter=jobs_known),
            jobs_before=measures.zero(Sum("baseline_jobs", filter=jobs_known)),
            jobs_after=measures.zero(Sum("acceptance__jobs_after", filter=jobs_known)),
            **sums,
        )
        title = gettext("Results against targets")
        yield self._heading(title)
        for target, label in (
            ("machines", gettext("Machines")),
            ("trainees", gettext("Trainees")),
            ("products", gettext("Products")),
        ):
            yield self._outcome(
                title,
                label,
                totals[f"{target}_projects"],
                totals[f"{target}_target"],
                totals[f"{target}_achieved"],
            )
        title = gettext("Jobs")
        yield self._heading(title)
        yield self._outcome(
            title,
            gettext("Jobs: before the project → after acceptance"),
            totals["jobs_projects"],
            totals["jobs_before"],
            totals["jobs_after"],
        )
        yield self._outcome(
            title,
            gettext("Jobs created"),
            totals["jobs_projects"],
            None,
            totals["jobs_after"] - totals["jobs_before"],
        )

        title = gettext("Beneficiary's own funds (đồng)")
        yield self._heading(title)
        for source, label in (
            ("counterpart", gettext("Counterpart funds: planned → contributed")),
            ("other_sources", gettext("Other sources: planned → contributed")),
        ):
            yield self._outcome(
                title,
                label,
                totals[f"{source}_projects"],
                totals[f"{source}_planned"],
                totals[f"{source}_contributed"],
            )

    def _after(self) -> Iterator[Row]:
        """ "Sau 12 tháng": what the follow-ups done within the period report
        about projects settled earlier (followups.figures; the projects
        column counts follow-ups, one per project and beneficiary)."""
        after = after_figures(
            start=self.period.start, end=self.period.end, source=self.source
        )
        title = gettext("After 12 months (follow-ups done in the period)")
        yield self._heading(title)
        done = after.followups_done
        yield self._outcome(
            title,
            gettext("Machines still in use (of those checked)"),
            done,
            after.machines_checked,
            after.machines_in_use,
        )
        for label, value in (
            (gettext("Jobs now"), after.jobs_now),
            (gettext("Jobs created since before the project"), after.jobs_created),
            (gettext("Products made in the last 12 months"), after.products),
            (gettext("Increase in yearly revenue (đồng)"), after.revenue_increase),
            (gettext("Energy saved (kWh/year)"), round(after.energy_saved_kwh)),
        ):
            yield self._outcome(title, label, done, None, value)

    def _outcome(self, section, item, projects, target, achieved) -> Row:
        return (section, item, projects, None, None, None, None, None, target, achieved)

    # --- the totals row ----------------------------------------------------------

    def totals(self) -> Row | None:
        money = self.money().aggregate(
            projects=Count("project", distinct=True),
            committed=Count("project", distinct=True, filter=COMMITTED),
            approved_sum=measures.zero(Sum("approved_amount")),
            disbursed_sum=measures.zero(Sum("disbursed")),
        )
        establishments = self.fundings().aggregate(
            n=Count("project__beneficiaries", distinct=True)
        )["n"]
        return (
            gettext("Total"),
            None,
            money["projects"],
            money["committed"],
            establishments,
            money["approved_sum"],
            money["disbursed_sum"],
            rate(money["disbursed_sum"], money["approved_sum"]),
            None,
            None,
        )
