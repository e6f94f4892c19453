"""Read-only queries the reports share, across apps (reports may read projects).

Which projects a report covers is decided here, once, for the progress, the
disbursement and the yearly summary reports (`period_fundings`), and so is
the money each funding row shows (`with_money`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError, connection, models
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, NullIf, TruncDate
from django.db.models.lookups import LessThan
from django.db.models.utils import create_namedtuple_class
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import (
    EXECUTION_STATUSES,
    Disbursement,
    EquipmentInvestment,
    Project,
    ProjectFunding,
    Status,
    Transition,
    measures,
    year_ends,
)
from projects.models.year_ends import year_end_aliases, year_end_status
from reports.periods import Period

BIG = models.BigIntegerField()

# --- which projects a report covers -------------------------------------------------

# A project that reached one of these before a period began is over for it.
CLOSED_STATUSES = (Status.SETTLED, Status.CANCELLED, Status.REJECTED)
NOT_DRAFT = [s for s in Status if s != Status.DRAFT]
NOT_CLOSED = [s for s in Status if s not in CLOSED_STATUSES]


# The paper date of the step that leads to each status: a step counts from
# that date, or from when it was recorded when that is earlier.
PAPER_DATES = {
    Status.SUBMITTED: "project__submitted_on",
    Status.APPROVED: "project__decision_date",
    Status.IN_PROGRESS: "project__contract_date",
    Status.ACCEPTED: "project__acceptance_date",
    Status.SETTLED: "project__settled_on",
}


def day_after(day: dt.date) -> dt.datetime:
    """The first moment after `day` in Vietnam's time zone: the timeline and
    the requests store moments, the reports ask for calendar days."""
    return timezone.make_aware(
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    )


def step_day(outer: str = "") -> Coalesce:
    """The day a timeline step took effect: its paper date (the submission,
    decision, contract, acceptance or settlement date the step recorded) or
    the day it was recorded, whichever is earlier — staff record a decision
    after it is signed, so the recording moment alone would put an approval
    of March into the report of June. Steps without a paper date (appraisal,
    return, rejection, cancellation) count from the day they were recorded,
    in Vietnam's time zone.

    The paper dates are read through the steps' project; given `outer` (the
    path to the project from the rows of an outer query, as in `status_at`),
    from that row's project instead — the same project, since the steps are
    its own — so a correlated subquery need not join back to it."""
    recorded = TruncDate("at")

    def date(field: str) -> F:
        if not outer:
            return F(field)
        name = field.removeprefix("project__")
        return OuterRef(name if outer == "pk" else f"{outer}__{name}")

    return Coalesce(
        Case(
            *(
                When(to_status=status, then=Least(recorded, date(field)))
                for status, field in PAPER_DATES.items()
            ),
            default=None,
            output_field=models.DateField(),
        ),
        recorded,
        output_field=models.DateField(),
    )


def status_at(day: dt.date, *, project: str = "project") -> Coalesce:
    """A project's status at the end of `day`, from its timeline: the target
    of the last step, in the order they were recorded, that took effect by
    then (`step_day`) — a step recorded late without a paper date (the
    appraisal typed in after the decision) is implied by the steps after
    it, so it never hides them; before its first step,
    the status that step started from (a draft); a project with no timeline
    at all (records loaded as they stand) has only today's status to go by.

    `project` is the path to the project from the rows annotated ("project"
    from funding rows, "pk" from projects): one correlated subquery each, so
    a report reads every project's status at once.
    """
    ref = OuterRef("pk" if project == "pk" else f"{project}_id")
    steps = Transition.objects.filter(project=ref).order_by()
    last = (
        steps.annotate(took_effect=step_day(project))
        .filter(took_effect__lte=day)
        .order_by("-at", "-pk")
    )
    first = steps.order_by("at", "pk")
    current = F("status" if project == "pk" else f"{project}__status")
    return Coalesce(
        Subquery(last.values("to_status")[:1]),
        NullIf(Subquery(first.values("from_status")[:1]), Value("")),
        Case(
            When(Exists(steps), then=Value(Status.DRAFT)),
            default=current,
        ),
        output_field=models.CharField(),
    )


def may_belong(period: Period) -> Q:
    """A cheap condition every funding row of `period_fundings` meets, to
    test before the timeline's subqueries: a row of the period's plan years,
    or of an earlier plan when the project was approved by the period's end
    and not settled before its start — only such a row can be carried over,
    since the settlement step takes effect by its paper date (settled_on,
    `step_day`) at the latest and nothing leaves the settled state, so a
    project settled on a day before the period was settled the day before it
    began (tests/reports/test_membership_prefilter.py compares the rule with
    and without it)."""
    return Q(plan__year__lte=period.end.year) & (
        Q(plan__year__gte=period.start.year)
        | Q(
            Q(project__settled_on__isnull=True)
            | Q(project__settled_on__gte=period.start),
            project__decision_date__lte=period.end,
        )
    )


def period_fundings(
    *, period: Period, source: str = "", programme_id: int | None = None
) -> QuerySet[ProjectFunding]:
    """The funding rows a period's reports are about: the membership rule,
    used by every report, the dashboard and the exports.

    A project belongs to a period when it was not a draft at the period's
    end (drafts are the centre's notes, not projects yet) and

    1. one of its funding rows comes from a plan whose year lies within
       [period.start.year, period.end.year] (and, when asked, from that source
       and programme) — plans are yearly, so the plan year is how the centre
       itself files a project. For a period that is not made of whole years
       (a half-year, a quarter, a month, 2017..2018-H1) the project must also
       touch the period: its implementation window overlaps it — from its
       start date (the approval date when it has none) to its end date (the
       start, then the approval date, when it has none) — or it was running
       in it (below);
    2. or it was running at some time in the period — approved by its end
       (approval decision dated then at the latest) and not settled,
       cancelled or rejected before its start (by its timeline, `status_at`)
       — on a plan of an earlier year: a carried-over project (đề án chuyển
       tiếp), annotated `carried_over`, which keeps its original plan year.

    Returned, rejected and cancelled projects of the period's plans stay in,
    with their stage. Every row is annotated with `status_at_end` (the
    project's status at the end of the period, `status_at`; for a period of
    whole years, the same status read from the year ends stored on the
    project, projects.models.year_ends) and `carried_over`.

    Only the matching funding rows are returned, so a report asked for one
    source (or for 2018 of a project also funded from a 2019 plan) shows that
    row's money only. A project funded from both sources has two rows.
    """
    own_year = Q(plan__year__gte=period.start.year)
    rows = ProjectFunding.objects.filter(may_belong(period)).exclude(
        project__status=Status.DRAFT
    )
    if source:
        rows = rows.filter(source=source)
    if programme_id:
        rows = rows.filter(plan__programme_id=programme_id)
    # status_before is only filtered on, and only for the rows that need it
    # (carried-over rows, and own rows of a period that is not whole years):
    # alias() keeps it out of the SELECT, and each branch of the filter
    # below tests the plan year first, so the database evaluates the
    # timeline's subqueries once per row of the branch that needs them.
    rows = with_status_at_end(rows, period=period)
    if period.whole_years:
        before = period.start.year - 1
        rows = rows.alias(**year_end_aliases(before, "project__")).alias(
            status_before=year_end_status(before, "project__")
        )
    else:
        rows = rows.alias(status_before=status_at(period.start - dt.timedelta(days=1)))
    running = (
        Q(project__decision_date__lte=period.end)
        & Q(status_at_end__in=EXECUTION_STATUSES)
        & ~Q(status_before__in=CLOSED_STATUSES)
    )
    own = own_year & ~Q(status_at_end=Status.DRAFT)
    if not period.whole_years:
        rows = rows.alias(
            window_start=Coalesce("project__start_date", "project__decision_date"),
            window_end=Coalesce(
                "project__end_date", "project__start_date", "project__decision_date"
            ),
        )
        own &= Q(window_start__lte=period.end, window_end__gte=period.start) | running
    # A carried row's status at the end is an execution status, not a draft.
    carried = Q(plan__year__lt=period.start.year) & running
    return rows.filter(own | carried).annotate(
        carried_over=Case(
            When(plan__year__lt=period.start.year, then=Value(True)),
            default=Value(False),
            output_field=models.BooleanField(),
        )
    )


def with_status_at_end(
    rows: QuerySet[ProjectFunding], *, period: Period
) -> QuerySet[ProjectFunding]:
    """Funding rows annotated `status_at_end`: their project's status at the
    end of `period`, the one `period_fundings` decides membership with and
    the money is read with (`with_money`). For a period of whole years the
    status is the one stored on the project at that year's end (projects.
    models.year_ends, kept with the timeline under the row lock), rather
    than read through the timeline's subqueries (`status_at`)."""
    if period.whole_years:
        end = period.end.year
        return rows.alias(**year_end_aliases(end, "project__")).annotate(
            status_at_end=year_end_status(end, "project__")
        )
    return rows.annotate(status_at_end=status_at(period.end))


def _years_of(period: Period) -> tuple[int, int]:
    if not period.whole_years:
        raise ValueError(f"{period.code} is not made of whole years")
    return period.start.year, period.end.year


def year_end_member_aliases(period: Period) -> dict[str, Any]:
    """The aliases `is_year_end_member` reads (`.alias(**...)` on funding
    rows): the project's stored status at the end of the period's last year
    and of the year before its first."""
    first, last = _years_of(period)
    return {
        **year_ends.year_end_aliases(last, "project__"),
        **year_ends.year_end_aliases(first - 1, "project__"),
    }


def is_year_end_member(period: Period, *, source: str = "") -> Q:
    """The rule of `period_fundings` for a period of whole years (one or
    several), read from the statuses at year end stored on the projects
    (projects.models.year_ends) instead of their timelines: a condition on a
    funding row and its project, with no subquery per row, which the
    dashboard's year and the coverage of the last years test on every row
    (tests/dashboard/test_year_ends.py compares the two rules). A row of the
    period's plans whose project was not a draft at the period's end, or of
    an earlier plan whose project was approved by then, in execution at its
    end and not closed at the end of the year before it began. Needs
    year_end_member_aliases(period)."""
    first, last = _years_of(period)
    own = Q(plan__year__gte=first, plan__year__lte=last) & (
        year_ends.status_at_year_end(last, NOT_DRAFT, "project__")
    )
    carried = (
        Q(plan__year__lt=first, project__decision_date__lte=period.end)
        & year_ends.status_at_year_end(last, EXECUTION_STATUSES, "project__")
        & year_ends.status_at_year_end(first - 1, NOT_CLOSED, "project__")
    )
    condition = ~Q(project__status=Status.DRAFT) & (own | carried)
    if source:
        condition &= Q(source=source)
    return condition


def year_end_fundings(period: Period, *, source: str = "") -> QuerySet[ProjectFunding]:
    """The rows of `period_fundings` for a period of whole years, by
    `is_year_end_member`; their status at the period's end is
    year_ends.status_at_year_end(period.end.year, ..., "project__")."""
    return ProjectFunding.objects.alias(**year_end_member_aliases(period)).filter(
        is_year_end_member(period, source=source)
    )


def period_projects(
    *, period: Period, source: str = "", programme_id: int | None = None
) -> QuerySet[Project]:
    """The projects of `period_fundings`, each once (see its rule), with
    `status_at_end`."""
    rows = period_fundings(period=period, source=source, programme_id=programme_id)
    # pk__in rather than a join: a project funded from both sources counts once.
    return (
        Project.objects.filter(pk__in=rows.values("project_id"))
        .annotate(status_at_end=status_at(period.end, project="pk"))
        .order_by()
    )


@contextmanager
def planned_without_jit() -> Iterator[None]:
    """Run a report's queries with PostgreSQL's JIT compilation off.

    The period rule's timeline subqueries make the planner's cost estimate
    of a report's queries large (millions), so at 100,000 projects PostgreSQL
    compiled them to machine code before running them: 16.7 of the 29 s of
    the progress report's query, 8.9 of the 16 s of its money (EXPLAIN
    ANALYZE, docs/benchmarks.md, issue 20). The queries themselves are index
    lookups that compiled code does not speed up. Session-level and reset on
    the way out, so a pooled connection keeps its settings."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET jit")
        except DatabaseError:
            # A failed transaction is rolled back by whoever holds it, and the
            # rollback undoes the SET as well.
            pass


# --- one query, chunk after chunk ----------------------------------------------------

# Ids no row has, put in the place of a chunk's ids while the query compiles.
_MARKER = -(2**62)


class ChunkedQuery:
    """A `values_list()` query asked for chunk after chunk of ids (a long
    report's details and money, reports.exporters.progress), compiled once
    for each size of chunk rather than for every chunk.

    Building and compiling a query made of the measures' expressions costs
    the process more than the database spends running it: the progress
    report's money query took ~50 ms of CPU to build and compile for each
    of its 190 chunks of 500 projects, against ~25 ms of PostgreSQL (issue
    20). Here the query is compiled for `step` ids of `field` (a multiple of
    it for a longer list), and each chunk's ids take their places among the
    compiled parameters: a shorter chunk repeats its last id, which IN
    ignores. The rows come back through the compiler's own converters, as
    the named tuples of `values_list(named=True)`. Not to be shared between
    threads: it runs on the connection of the thread that compiled it."""

    def __init__(self, queryset: QuerySet, *, field: str = "pk", step: int) -> None:
        self.queryset = queryset
        self.field = field
        self.step = max(1, step)
        query = queryset.query
        # The names values_list(named=True) gives its rows.
        self.row = create_namedtuple_class(
            *(
                queryset._fields
                or (*query.extra_select, *query.values_select, *query.annotation_select)
            )
        )
        self._compiled: dict[int, tuple[Any, str, list, int]] = {}

    def rows(self, ids: Sequence[int]) -> list[Any]:
        if not ids:
            return []
        size = -(-len(ids) // self.step) * self.step
        compiler, sql, params, start = self._compiled.get(size) or self._compile(size)
        params = list(params)
        params[start : start + size] = [*ids, *[ids[-1]] * (size - len(ids))]
        with compiler.connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return [self.row._make(r) for r in compiler.results_iter(results=[fetched])]

    def _compile(self, size: int) -> tuple[Any, str, list, int]:
        marker = [_MARKER - i for i in range(size)]
        queryset = self.queryset.filter(**{f"{self.field}__in": marker})
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        params = list(params)
        start = params.index(marker[0]) if marker[0] in params else -1
        if start < 0 or params[start : start + size] != marker:
            raise ValueError(f"{self.field}__in did not compile to one list of ids")
        self._compiled[size] = compiled = (compiler, sql, params, start)
        return compiled


# --- history-correct text -----------------------------------------------------------

# Vietnam's two-level administration (communes directly under provinces, no
# districts) took effect on this day: records dated before it print the
# commune and district they named then next to today's commune.
TWO_LEVEL_ADMINISTRATION = dt.date(2025, 7, 1)
# How the parts of an old address that name a unit begin (lowercase).
_UNIT_WORDS = (
    "xã ",
    "phường ",
    "thị trấn ",
    "huyện ",
    "thị xã ",
    "thành phố ",
    "quận ",
)


def legacy_units(address: str) -> str:
    """ "Xã Thành Vinh, huyện Thạch Thành" from an address written before
    1/7/2025 ("Thôn Đồng Lách, Xã Thành Vinh, huyện Thạch Thành, tỉnh Thanh
    Hóa"): the commune and district parts, without the street and province;
    the whole text when it names no unit the usual way."""
    parts = [part.strip() for part in (address or "").split(",")]
    units = [p for p in parts if p.lower().startswith(_UNIT_WORDS)]
    return ", ".join(units) if units else (address or "").strip()


def recorded_before_two_levels() -> LessThan:
    """Whether a project's record is dated before the two-level
    administration, in SQL: the day its reports give place_as_recorded, its
    approval decision, else its submission, else its start."""
    return LessThan(
        Coalesce("decision_date", "submitted_on", "start_date"),
        TWO_LEVEL_ADMINISTRATION,
    )


def place_as_recorded(
    commune: str, record_day: dt.date | None, legacy: Sequence[str]
) -> str:
    """Today's commune, followed for a record dated before the two-level
    administration by the commune and district it was in then (from the
    beneficiaries' address as on old papers, `legacy`, first one given)."""
    if record_day is None or record_day >= TWO_LEVEL_ADMINISTRATION:
        return commune
    then = next((legacy_units(text) for text in legacy if text), "")
    if not then or then == commune:
        return commune
    if not commune:
        return then
    return _("%(today)s (before 1/7/2025: %(then)s)") % {"today": commune, "then": then}


# --- the money of a funding row -------------------------------------------------------


def with_money(
    fundings: QuerySet[ProjectFunding], *, period: Period
) -> QuerySet[ProjectFunding]:
    """Funding rows (of `period_fundings`) with their money as known at the
    end of `period`: the read-model's measures as at a date (projects.models.
    measures.fundings_money_at, where each annotation is defined), read with
    the project's status at the end of the period, so that a project settled
    or cancelled later shows the money it had then."""
    return measures.fundings_money_at(
        fundings, start=period.start, end=period.end, status="status_at_end"
    )


# --- support received by each establishment -------------------------------------------


def split(amount: int, weights: Sequence[int]) -> list[int]:
    """Split whole đồng by weights; the parts add up to `amount` exactly.

    Each part is rounded down (in absolute value) and what rounding leaves
    goes to the first part, so a refund splits the same way as a payment.
    Zero or no weights: equal parts.
    """
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    total = sum(weights)
    sign = -1 if amount < 0 else 1
    parts = [abs(amount) * w // total for w in weights]
    parts[0] += abs(amount) - sum(parts)
    return [sign * p for p in parts]


def beneficiary_links(*, projects: QuerySet) -> QuerySet:
    """The beneficiary links (project, establishment) of `projects` (a query
    of project ids), each with its attribution `weight`: the supported amount
    of the equipment recorded for that establishment in that project, 0 when
    none. Ordered by project, then establishment, so the first beneficiary of
    each project comes first (see `split`)."""
    supported = (
        EquipmentInvestment.objects.filter(
            project_id=OuterRef("project_id"),
            establishment_id=OuterRef("establishment_id"),
        )
        .order_by()
        .values("project_id")
        .annotate(total=Sum("supported"))
        .values("total")[:1]
    )
    return (
        Project.beneficiaries.through.objects.filter(project_id__in=projects)
        .annotate(weight=Coalesce(Subquery(supported, output_field=BIG), Value(0)))
        .order_by("project_id", "establishment_id")
    )


def support_received_by_establishment(
    *, period: Period, source: str = "", programme_id: int | None = None
) -> Mapping[int, int]:
    """Support paid to each establishment in the period, in whole đồng.

    Establishment id -> amount. Establishments absent from the mapping received
    nothing, which the establishment list prints as 0.

    Money: the net disbursed (projects.models.money's signed amounts — refunds
    subtract, refunds still due do not count) on disbursement rows dated
    within [period.start, period.end], from the given source ("" for both)
    and programme. This is money moved in the period, whatever the plan year
    of the project.

    Attribution to beneficiaries, per project:
    - one beneficiary receives all of it;
    - several: in proportion to the supported amounts of the equipment
      recorded for each of them in that project (a machinery project says
      whose machine the money bought), when any is recorded; otherwise in
      equal parts. Parts are whole đồng rounded down, and the đồng that
      rounding leaves go to the first beneficiary (lowest id), so the
      establishments' amounts add up exactly to what the project received;
    - a project with no beneficiary named (a group project) attributes its
      money to nobody.

    Two queries whatever the number of establishments: net paid per project,
    then the beneficiary links of those projects with their equipment weight.
    """
    rows = (
        Disbursement.objects.live()
        .filter(date__gte=period.start, date__lte=period.end)
        .order_by()
    )
    if source:
        rows = rows.filter(funding__source=source)
    if programme_id:
        rows = rows.filter(funding__plan__programme_id=programme_id)
    paid = dict(
        rows.values("project_id")
        .annotate(net=Sum(measures.signed_amount()))
        .filter(~Q(net=0))
        .values_list("project_id", "net")
    )
    if not paid:
        return {}

    beneficiaries: dict[int, list[tuple[int, int]]] = defaultdict(list)
    links = beneficiary_links(projects=rows.values("project_id")).values_list(
        "project_id", "establishment_id", "weight"
    )
    for project_id, establishment_id, weight in links:
        if project_id in paid:
            beneficiaries[project_id].append((establishment_id, weight))

    received: dict[int, int] = defaultdict(int)
    for project_id, named in beneficiaries.items():
        weights = [weight for _establishment, weight in named]
        parts = split(paid[project_id], weights)
        for (establishment_id, _weight), part in zip(named, parts, strict=True):
            received[establishment_id] += part
    return dict(received)
