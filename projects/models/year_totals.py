"""The dashboard's figures per year, kept on write (issue 20).

The manager's board shows, for a year (and a source), the projects of the
year by status, the money of the year's plans, the support by activity
content and by region, the targets and results of the approved projects, and
the six-year trends. Summing them over the year's 20,000 funding rows at
every request costs seconds at 100,000 projects; here they are kept as sums:

- `ProjectYear`: what one project adds to one year's figures, per scope (""
  for both sources, else one source), with the project's status, activity
  content and region: `members` (1 when it is the year's project by the
  reports' rule, `is_member` below), `holders` (1 when it has a funding row
  on the year's plans), the read-model's row measures of its funding row on
  the year's plan (source scopes only: the money of the year's plans, whether
  or not the project is the year's member), and its targets and acceptance
  figures (members only);
- `YearTotal`: the same columns summed per (year, scope, status, content,
  region): what the board reads, a few hundred rows.

A project's membership changes with the years only until its last step, its
approval and its last plan year are behind: from that year on (`onward`) one
row stands for every later year, so that a new calendar year needs no write.
The board reads a year's rows and the `onward` rows of the years up to it.

`refresh(project_ids)` recomputes the rows of some projects and adds the
difference to the totals (one upsert for all the changed totals, in key
order, so that concurrent writers never deadlock on them: enterprises.sql).
It runs where the figures' sources change, under the project's row lock: the
transition frame (through store_year_ends, which the loaders writing
timelines directly call too), the disbursement gate (store_totals), the
draft's save and deletion, the exchange import; `rebuild()` recomputes
everything (the stress loader, the migration). tests/dashboard/
test_year_totals.py recomputes the totals after random sequences of writes
and compares.

The same refresh keeps the board's beneficiaries: the years in which each
establishment is named by an approved project of the year
(enterprises.models.supported, `supported_years` below). It compares the
projects' supporting rows and beneficiary links with those it counted last
(`CountedBeneficiary`), and counts again the establishments named before or
now by the projects where either changed.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.apps import apps as global_apps
from django.db import models

from enterprises.models.supported import supported_rebuild, supported_store
from enterprises.sql import add_to_counts

from .choices import COMMITTED_STATUSES, EXECUTION_STATUSES, STATUS_CODES, Status
from .measures import ROW_MEASURES, fundings_with_money

# The rows' key and figures. Money: the read-model's row measures of the
# funding row on the year's plan, and the support requested.
KEY = ("year", "onward", "scope", "status", "content_id", "region")
MONEY = (*ROW_MEASURES, "requested")
IMPACT = (
    "target_machines",
    "target_trainees",
    "target_products",
    "baseline_jobs",
    "accepted",
    "machines_achieved",
    "trainees_achieved",
    "products_achieved",
    "jobs_created",
    "revenue_increase",
    # kWh in hundredths: whole numbers add up exactly on every database.
    "energy_saved_centi",
)
FIGURES = ("members", "holders", *MONEY, *IMPACT)

CHUNK = 2000
BOTH = ""

# Set while a loader writes a whole data set and has every project's figures
# recomputed once at the end (year_ends.kept_at_the_end): `refresh` and the
# year ends of a few projects then write nothing.
DEFERRED: ContextVar[bool] = ContextVar("year_figures_deferred", default=False)

STATUS_OF_CODE = {code: status for status, code in STATUS_CODES.items()}
NOT_DRAFT = frozenset(s for s in Status if s != Status.DRAFT)
CLOSED = frozenset((Status.SETTLED, Status.CANCELLED, Status.REJECTED))


class YearFigures(models.Model):
    year = models.PositiveSmallIntegerField()
    # This row stands for its year and every later one.
    onward = models.BooleanField(default=False)
    # "" for both sources, else one source (Source).
    scope = models.CharField(max_length=4, blank=True)
    status = models.CharField(max_length=20)
    content = models.ForeignKey(
        "projects.ActivityContent",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    region = models.CharField(max_length=20, blank=True)

    members = models.BigIntegerField(default=0)
    holders = models.BigIntegerField(default=0)
    approved = models.BigIntegerField(default=0)
    committed = models.BigIntegerField(default=0)
    released = models.BigIntegerField(default=0)
    disbursed = models.BigIntegerField(default=0)
    settled = models.BigIntegerField(default=0)
    to_pay = models.BigIntegerField(default=0)
    waiting = models.BigIntegerField(default=0)
    carried = models.BigIntegerField(default=0)
    requested = models.BigIntegerField(default=0)
    target_machines = models.BigIntegerField(default=0)
    target_trainees = models.BigIntegerField(default=0)
    target_products = models.BigIntegerField(default=0)
    baseline_jobs = models.BigIntegerField(default=0)
    accepted = models.BigIntegerField(default=0)
    machines_achieved = models.BigIntegerField(default=0)
    trainees_achieved = models.BigIntegerField(default=0)
    products_achieved = models.BigIntegerField(default=0)
    jobs_created = models.BigIntegerField(default=0)
    revenue_increase = models.BigIntegerField(default=0)
    energy_saved_centi = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.year}{'+' if self.onward else ''} {self.scope or '*'}"


class ProjectYear(YearFigures):
    """What one project adds to one year's figures (in one scope)."""

    # Not a foreign key: a deleted project's rows are still read once, to
    # take them off the totals.
    project_id = models.IntegerField(db_index=True)

    class Meta:
        verbose_name = "project's share of a year's figures"
        indexes = [
            # The board's beneficiaries: the year's committed members.
            models.Index(
                fields=["scope", "year"],
                include=["onward", "project_id"],
                condition=models.Q(members=1, status__in=COMMITTED_STATUSES),
                name="project_year_committed_idx",
            )
        ]


class CountedBeneficiary(models.Model):
    """A project's beneficiary link as the kept figures last counted it: when
    a project's beneficiaries change, the establishments it named before
    are found here, to count them again (enterprises.models.supported)."""

    project_id = models.IntegerField(db_index=True)
    establishment_id = models.IntegerField()

    class Meta:
        verbose_name = "beneficiary link as counted"

    def __str__(self) -> str:
        return f"{self.project_id} → {self.establishment_id}"


class YearTotal(YearFigures):
    """The year's figures per scope, status, content and region."""

    class Meta:
        verbose_name = "year's figures"
        constraints = [
            models.UniqueConstraint(fields=list(KEY), name="year_total_one_per_key")
        ]


# --- a project's rows --------------------------------------------------------------


def status_at_end(project: dict[str, Any], year: int) -> str:
    """The status at the end of `year` from the stored year ends (as
    year_ends.status_at_year_end reads them in SQL); today's without them."""
    codes = project["year_ends"]
    if not codes:
        return project["status"]
    index = max(min(year - project["year_ends_from"] + 1, len(codes)), 1)
    return STATUS_OF_CODE.get(codes[index - 1], "?")


def is_member(project: dict[str, Any], plan_years: list[int], year: int) -> bool:
    """The reports' rule for a whole year (reports.queries.period_fundings,
    as dashboard.board.Scope.is_member writes it in SQL) for a project with
    funding rows on plans of `plan_years`: not a draft at the end of the year
    with a row on the year's plans, or approved by the end of the year, in
    execution at its end and not closed at the end of the year before, with
    a row on an earlier plan."""
    at_end = status_at_end(project, year)
    if year in plan_years and at_end in NOT_DRAFT:
        return True
    decided = project["decision_date"]
    return (
        any(y < year for y in plan_years)
        and decided is not None
        and decided <= dt.date(year, 12, 31)
        and at_end in EXECUTION_STATUSES
        and status_at_end(project, year - 1) not in CLOSED
    )


def last_changing_year(project: dict[str, Any], plan_years: list[int]) -> int:
    """From this year on is_member gives the same answer every year: no plan
    year is ahead, the approval is behind and the status at year end no
    longer changes (neither this year's nor the year before's)."""
    years = [max(plan_years) + 1]
    if project["year_ends"]:
        years.append(project["year_ends_from"] + len(project["year_ends"]))
    if project["decision_date"] is not None:
        years.append(project["decision_date"].year)
    return max(years)


def _impact(project: dict[str, Any]) -> dict[str, int]:
    """The project's targets and what its acceptance recorded (the board's
    impact card: dashboard.board.impact)."""
    figures = {
        "target_machines": project["target_machines"],
        "target_trainees": project["target_trainees"],
        "target_products": project["target_products"],
        "baseline_jobs": project["baseline_jobs"],
    }
    if project["acceptance__pk"] is None:
        return figures
    jobs_after = project["acceptance__jobs_after"]
    revenue_after = project["acceptance__revenue_after"]
    energy_after = project["acceptance__energy_after_kwh"]
    figures.update(
        accepted=1,
        machines_achieved=project["acceptance__machines_achieved"],
        trainees_achieved=project["acceptance__trainees_achieved"],
        products_achieved=project["acceptance__products_achieved"],
    )
    if jobs_after is not None:
        figures["jobs_created"] = jobs_after - project["baseline_jobs"]
    if revenue_after is not None and project["baseline_revenue"] is not None:
        figures["revenue_increase"] = revenue_after - project["baseline_revenue"]
    if energy_after is not None and project["baseline_energy_kwh"] is not None:
        saved = Decimal(project["baseline_energy_kwh"]) - Decimal(energy_after)
        figures["energy_saved_centi"] = int(saved * 100)
    return figures


PROJECT_FIELDS = (
    "pk",
    "status",
    "content_id",
    "commune__region",
    "decision_date",
    "year_ends_from",
    "year_ends",
    "target_machines",
    "target_trainees",
    "target_products",
    "baseline_jobs",
    "baseline_revenue",
    "baseline_energy_kwh",
    "acceptance__pk",
    "acceptance__machines_achieved",
    "acceptance__trainees_achieved",
    "acceptance__products_achieved",
    "acceptance__jobs_after",
    "acceptance__revenue_after",
    "acceptance__energy_after_kwh",
)


@functools.lru_cache(maxsize=4)
def _share_queries(registry: Any) -> tuple[models.QuerySet, models.QuerySet]:
    """The projects' and the funding rows' queries of `shares`, without the
    projects they are about, built once per model registry (the app's, or a
    migration's): building the read-model's annotations cost more than
    running both queries for one project, after every step of every project
    (a filter on a built query copies it)."""
    Project = registry.get_model("projects", "Project")
    ProjectFunding = registry.get_model("projects", "ProjectFunding")
    projects = Project.objects.exclude(status=Status.DRAFT).values(*PROJECT_FIELDS)
    fundings = (
        fundings_with_money(ProjectFunding.objects.all())
        .order_by()
        .values(
            "project_id",
            "source",
            "plan__year",
            "requested",
            *(f"{name}_amount" for name in ROW_MEASURES),
        )
    )
    return projects, fundings


def shares(project_ids: list[int], registry: Any = global_apps) -> list[dict]:
    """The rows (ProjectYear as dicts) of these projects, from their current
    state: two queries. A draft adds nothing (its money is all 0, and a draft
    is no year's project)."""
    all_projects, all_fundings = _share_queries(registry)
    projects = all_projects.filter(pk__in=project_ids)
    fundings: dict[int, list[dict]] = defaultdict(list)
    for row in all_fundings.filter(project_id__in=project_ids):
        fundings[row["project_id"]].append(row)
    result = []
    for project in projects:
        rows = fundings.get(project["pk"])
        if rows:
            result += _project_shares(project, rows)
    return result


def _project_shares(project: dict[str, Any], fundings: list[dict]) -> list[dict]:
    impact = _impact(project)
    key = {
        "status": project["status"],
        "content_id": project["content_id"],
        "region": project["commune__region"] or "",
    }
    result = []
    sources = sorted({f["source"] for f in fundings})
    for scope in (BOTH, *sources):
        rows = [f for f in fundings if scope in (BOTH, f["source"])]
        plan_years = [f["plan__year"] for f in rows]
        last = last_changing_year(project, plan_years)
        for year in range(min(plan_years), last + 1):
            figures: dict[str, int] = {}
            if is_member(project, plan_years, year):
                figures.update(members=1, **impact)
            own = [f for f in rows if f["plan__year"] == year]
            if own:
                figures["holders"] = 1
            if own and scope != BOTH:
                (row,) = own
                figures.update(
                    {name: row[f"{name}_amount"] for name in ROW_MEASURES},
                    requested=row["requested"],
                )
            if figures.get("members") or figures.get("holders"):
                share = dict.fromkeys(FIGURES, 0)
                share.update(figures)
                share.update(key, year=year, onward=year == last, scope=scope)
                share["project_id"] = project["pk"]
                result.append(share)
    return result


# --- keeping the totals ----------------------------------------------------------


def _key(row: dict[str, Any]) -> tuple:
    return tuple(row[k] for k in KEY)


def _add(deltas: dict[tuple, list[int]], rows: Iterable[dict], sign: int) -> None:
    for row in rows:
        delta = deltas.setdefault(_key(row), [0] * len(FIGURES))
        for i, name in enumerate(FIGURES):
            delta[i] += sign * (row[name] or 0)


def refresh(project_ids: Iterable[int], registry: Any = global_apps) -> None:
    """Recompute the rows of these projects (deleted ones lose theirs) and
    add the differences to the totals; then count again the years of the
    establishments they name or named (supported years). The caller holds
    the projects' row locks (or is the only writer: a loader)."""
    if DEFERRED.get():
        return
    ProjectYear = registry.get_model("projects", "ProjectYear")
    ids = sorted(set(project_ids))
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        stored = ProjectYear.objects.filter(project_id__in=chunk)
        old = list(stored.values("project_id", *KEY, *FIGURES))
        new = shares(chunk, registry)
        if not _same(old, new):
            deltas: dict[tuple, list[int]] = {}
            _add(deltas, old, -1)
            _add(deltas, new, +1)
            add_to_counts(
                registry.get_model("projects", "YearTotal"), KEY, FIGURES, deltas
            )
            if old:
                stored.delete()
            ProjectYear.objects.bulk_create([ProjectYear(**row) for row in new])
        _count_beneficiaries(chunk, old, new)


# --- the beneficiaries' years ---------------------------------------------------------


def supporting(rows: Iterable[dict]) -> dict[int, set[tuple[int, bool, str]]]:
    """Per project, the (year, onward, scope) of its rows that make its
    beneficiaries the year's supported establishments: the year's member,
    approved (the board's beneficiaries card)."""
    years: dict[int, set[tuple[int, bool, str]]] = defaultdict(set)
    for row in rows:
        if row["members"] and row["status"] in COMMITTED_STATUSES:
            years[row["project_id"]].add((row["year"], row["onward"], row["scope"]))
    return years


def _count_beneficiaries(chunk: list[int], old: list[dict], new: list[dict]) -> None:
    """The establishments whose years may have changed with these projects'
    rows or beneficiaries: those named before or now by a project that
    supports a year before or now, where the years or the names differ.
    One query when nothing changed."""
    before, now = supporting(old), supporting(new)
    links_before: dict[int, set[int]] = defaultdict(set)
    links_now: dict[int, set[int]] = defaultdict(set)
    rows = (
        _links()
        .objects.filter(project_id__in=chunk)
        .values_list("project_id", "establishment_id", models.Value(True))
        .union(
            CountedBeneficiary.objects.filter(project_id__in=chunk).values_list(
                "project_id", "establishment_id", models.Value(False)
            ),
            all=True,
        )
    )
    for project, establishment, current in rows:
        (links_now if current else links_before)[project].add(establishment)
    named: set[int] = set()
    for project in chunk:
        if (
            before.get(project) == now.get(project)
            and links_before[project] == links_now[project]
        ):
            continue
        if before.get(project):
            named |= links_before[project]
        if now.get(project):
            named |= links_now[project]
    supported_store(establishment_ids=named, years_of=supported_years)
    relinked = [p for p in chunk if links_before[p] != links_now[p]]
    if relinked:
        CountedBeneficiary.objects.filter(project_id__in=relinked).delete()
        CountedBeneficiary.objects.bulk_create(
            [
                CountedBeneficiary(project_id=project, establishment_id=establishment)
                for project in relinked
                for establishment in sorted(links_now[project])
            ]
        )


def _links(registry: Any = global_apps) -> Any:
    """The projects' beneficiary links (the many-to-many's table)."""
    return registry.get_model("projects", "Project").beneficiaries.through


def supported_years(
    establishment_ids: list[int] | None, registry: Any = global_apps
) -> dict[int, set[tuple[int, bool, str]]]:
    """The (year, onward, scope) in which each establishment (every one when
    None) is named by a project supporting that year (supporting), from the
    kept project rows."""
    ProjectYear = registry.get_model("projects", "ProjectYear")
    links = _links(registry).objects.all()
    rows = ProjectYear.objects.filter(members=1, status__in=COMMITTED_STATUSES)
    if establishment_ids is not None:
        links = links.filter(establishment_id__in=establishment_ids)
        rows = rows.filter(project_id__in=links.values("project_id"))
    named: dict[int, list[int]] = defaultdict(list)
    for project, establishment in links.values_list("project_id", "establishment_id"):
        named[project].append(establishment)
    years = supporting(
        rows.values("project_id", "year", "onward", "scope", "members", "status")
    )
    result: dict[int, set[tuple[int, bool, str]]] = defaultdict(set)
    for project, establishments in named.items():
        for establishment in establishments:
            result[establishment] |= years.get(project, set())
    return result


def _same(old: list[dict], new: list[dict]) -> bool:
    def rows(values: list[dict]) -> list[tuple]:
        return sorted(
            (row["project_id"], *_key(row), *(row[f] or 0 for f in FIGURES))
            for row in values
        )

    return rows(old) == rows(new)


def rebuild(registry: Any = global_apps, *, beneficiaries: bool = True) -> None:
    """Recompute every project's rows and every total (a loader that wrote in
    bulk, the migration), and the beneficiaries' years unless told not to
    (the migration that came before their tables)."""
    Project = registry.get_model("projects", "Project")
    ProjectYear = registry.get_model("projects", "ProjectYear")
    YearTotal = registry.get_model("projects", "YearTotal")
    ProjectYear.objects.all().delete()
    YearTotal.objects.all().delete()
    ids = list(
        Project.objects.exclude(status=Status.DRAFT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    totals: dict[tuple, list[int]] = {}
    for i in range(0, len(ids), CHUNK):
        new = shares(ids[i : i + CHUNK], registry)
        _add(totals, new, +1)
        ProjectYear.objects.bulk_create(
            [ProjectYear(**row) for row in new], batch_size=CHUNK
        )
    YearTotal.objects.bulk_create(
        [
            YearTotal(
                **dict(zip(KEY, key, strict=True)),
                **dict(zip(FIGURES, v, strict=True)),
            )
            for key, v in sorted(totals.items())
            if any(v)
        ],
        batch_size=CHUNK,
    )
    if beneficiaries:
        rebuild_beneficiaries(registry)


def rebuild_beneficiaries(registry: Any = global_apps) -> None:
    """The links as counted and every establishment's supported years from
    scratch (from the project rows just rebuilt)."""
    Counted = registry.get_model("projects", "CountedBeneficiary")
    Counted.objects.all().delete()
    links = list(_links(registry).objects.values_list("project_id", "establishment_id"))
    Counted.objects.bulk_create(
        [Counted(project_id=p, establishment_id=e) for p, e in links],
        batch_size=CHUNK,
    )
    supported_rebuild(years=supported_years(None, registry), registry=registry)


def recomputed_totals(registry: Any = global_apps) -> dict[tuple, dict[str, int]]:
    """Every total recomputed from the projects as they are now (the tests
    compare it with the stored totals), zero totals left out."""
    Project = registry.get_model("projects", "Project")
    ids = list(Project.objects.values_list("pk", flat=True))
    totals: dict[tuple, list[int]] = {}
    for i in range(0, len(ids), CHUNK):
        _add(totals, shares(ids[i : i + CHUNK], registry), +1)
    return {
        key: dict(zip(FIGURES, v, strict=True)) for key, v in totals.items() if any(v)
    }


def stored_totals(registry: Any = global_apps) -> dict[tuple, dict[str, int]]:
    YearTotal = registry.get_model("projects", "YearTotal")
    return {
        _key(row): {f: row[f] for f in FIGURES}
        for row in YearTotal.objects.values(*KEY, *FIGURES)
        if any(row[f] for f in FIGURES)
    }
