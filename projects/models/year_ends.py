"""A project's status at each year end, stored on the project (issue 20).

The period reports read a project's status at a day from its timeline
(reports.queries.status_at: the target of the last step, in the order they
were recorded, that took effect by then — a step takes effect on its paper
date or the day it was recorded, whichever is earlier). That costs a
correlated subquery per row; the dashboard, which asks only about year ends,
reads them from two columns of the project instead:

- `year_ends_from`: the year before the first step took effect;
- `year_ends`: one letter per year (STATUS_CODES) from `year_ends_from` to the
  year the last step took effect: the status at the end of each year. Before
  that range the status is the first letter's (no step had taken effect),
  after it the last one's (every step has); a project with no timeline has
  "" and only today's status to go by, as in status_at.

They are written by `store_year_ends` from the timeline and the paper dates:
by the transition frame (projects.services.frame) under the project's row
lock after every step, and by the loaders that write timelines directly
(devdata). tests/dashboard/test_year_ends.py compares them with status_at.
Storing them also refreshes the projects' share of the year totals the
dashboard reads (year_totals.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Greatest, Least, Length, Substr
from django.utils import timezone

from .choices import STATUS_CODES, Status
from .year_totals import DEFERRED
from .year_totals import rebuild as rebuild_year_totals
from .year_totals import refresh as refresh_year_totals

# A status this table does not know (none today) matches no condition.
UNKNOWN = "?"

# The paper date of the step leading to each status (as reports.queries).
PAPER_DATES = {
    Status.SUBMITTED: "submitted_on",
    Status.APPROVED: "decision_date",
    Status.IN_PROGRESS: "contract_date",
    Status.ACCEPTED: "acceptance_date",
    Status.SETTLED: "settled_on",
}
STEP_FIELDS = ("project_id", "from_status", "to_status", "at")


def year_ends_of(
    steps: Sequence[dict[str, Any]], paper: dict[str, dt.date | None]
) -> tuple[int | None, str]:
    """(year_ends_from, year_ends) from a project's steps, in the order they
    were recorded, and its paper dates (PAPER_DATES' fields)."""
    if not steps:
        return None, ""
    zone = timezone.get_default_timezone()
    took = []
    for step in steps:
        day = timezone.localtime(step["at"], zone).date()
        field = PAPER_DATES.get(step["to_status"])
        if field and paper.get(field) is not None:
            day = min(day, paper[field])
        took.append(day)
    first = steps[0]["from_status"] or Status.DRAFT
    start, last = min(took).year - 1, max(took).year
    codes = []
    for year in range(start, last + 1):
        end = dt.date(year, 12, 31)
        status = next(
            (
                step["to_status"]
                for step, day in zip(reversed(steps), reversed(took), strict=True)
                if day <= end
            ),
            first,
        )
        codes.append(STATUS_CODES.get(status, UNKNOWN))
    return start, "".join(codes)


def store_year_ends(project_ids: Iterable[int] | None = None) -> int:
    """Recompute and store the year ends of `project_ids` (every project when
    None) from their timelines; returns how many rows changed. A few queries
    per 2,000 projects."""
    if project_ids is not None and DEFERRED.get():
        return 0
    from .projects import Project
    from .records import Transition

    if project_ids is None:
        ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(project_ids))
    changed = 0
    for i in range(0, len(ids), 2000):
        chunk = ids[i : i + 2000]
        steps: dict[int, list[dict[str, Any]]] = {pk: [] for pk in chunk}
        for step in (
            Transition.objects.filter(project_id__in=chunk)
            .order_by("project_id", "at", "pk")
            .values(*STEP_FIELDS)
        ):
            steps[step["project_id"]].append(step)
        updates = []
        for row in Project.objects.filter(pk__in=chunk).values(
            "pk", "year_ends_from", "year_ends", *PAPER_DATES.values()
        ):
            start, codes = year_ends_of(steps[row["pk"]], row)
            if (start, codes) != (row["year_ends_from"], row["year_ends"]):
                updates.append(
                    Project(pk=row["pk"], year_ends_from=start, year_ends=codes)
                )
        write_year_ends(updates)
        changed += len(updates)
    # The year's figures the dashboard reads follow (year_totals.py).
    if project_ids is None:
        rebuild_year_totals()
    else:
        refresh_year_totals(ids)
    return changed


@contextmanager
def kept_at_the_end() -> Iterator[None]:
    """For a loader writing a whole data set in one transaction (devdata's
    seed_demo): the year ends and the year totals are not kept step by step
    in the block but recomputed for every project once it ends, from the
    timelines and paper dates as they are then. The rows are the same as
    keeping them step by step gives (store_year_ends() recomputes them all
    anyway once a loader has backdated its timelines), for a few queries
    instead of about ten per step. Nothing in the block may read them."""
    token = DEFERRED.set(True)
    try:
        yield
    finally:
        DEFERRED.reset(token)
    store_year_ends()


def write_year_ends(updates: list[Any]) -> None:
    """Store (pk, year_ends_from, year_ends) of `updates` (Project instances),
    without save(): no history entry, no updated_at. One UPDATE ... FROM
    VALUES on PostgreSQL (bulk_update's CASE per row is quadratic in the
    chunk's size)."""
    if not updates:
        return
    model = type(updates[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_update(updates, ["year_ends_from", "year_ends"])
        return
    table = connection.ops.quote_name(model._meta.db_table)
    values = ", ".join(["(%s, %s::integer, %s)"] * len(updates))
    params = [
        value
        for project in updates
        for value in (project.pk, project.year_ends_from, project.year_ends)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            # The table's name and placeholders only; the values are params.
            f"UPDATE {table} AS p SET year_ends_from = v.start, "  # noqa: S608
            f"year_ends = v.codes FROM (VALUES {values}) AS v(id, start, codes) "
            "WHERE p.id = v.id",
            params,
        )


# --- the status at a year end in queries --------------------------------------------


def _year_end_code(year: int, prefix: str) -> Substr:
    codes = F(f"{prefix}year_ends")
    index = Greatest(
        Least(Value(year) - F(f"{prefix}year_ends_from") + 1, Length(codes)),
        Value(1),
    )
    return Substr(codes, index, 1, output_field=models.CharField())


def year_end_aliases(year: int, prefix: str = "") -> dict[str, Substr]:
    """The aliases status_at_year_end reads: add them to the queryset first
    (`.alias(**year_end_aliases(year, prefix))`)."""
    return {f"year_end_{year}": _year_end_code(year, prefix)}


def status_at_year_end(year: int, statuses: Iterable[str], prefix: str = "") -> Q:
    """The project (reached through `prefix`) had one of `statuses` at the
    end of `year` (by its stored year ends; today's status without a
    timeline). Needs year_end_aliases(year, prefix) on the queryset."""
    statuses = list(statuses)
    return Q(**{f"{prefix}year_ends": "", f"{prefix}status__in": statuses}) | (
        ~Q(**{f"{prefix}year_ends": ""})
        & Q(**{f"year_end_{year}__in": [STATUS_CODES[s] for s in statuses]})
    )


def year_end_status(year: int, prefix: str = "") -> Case:
    """The project's status (reached through `prefix`) at the end of `year`,
    as a value (reports.queries.status_at of 31/12, without the timeline's
    subqueries): its stored letter, or today's status without a timeline.
    Needs year_end_aliases(year, prefix) on the queryset."""
    return Case(
        When(Q(**{f"{prefix}year_ends": ""}), then=F(f"{prefix}status")),
        *(
            When(Q(**{f"year_end_{year}": code}), then=Value(status))
            for status, code in STATUS_CODES.items()
        ),
        default=None,
        output_field=models.CharField(),
    )
