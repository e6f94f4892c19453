"""Projects whose histories are drawn at random along the lifecycle across
2023–2026 (a plain module: tests/reports/test_membership_prefilter.py and
tests/dashboard/test_year_ends.py build their data sets with it): carried
over, returned and resubmitted, rejected, cancelled at every stage, settled
and then corrected (an earlier or a later settlement date, a corrected
decision date), paper dates before or after the day they were recorded, and
records loaded as they stand with no timeline at all. The timelines are
written around the transition frame, as a loader writes them."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from enterprises.roles import Role
from projects.models import Project, Source, Status, Transition
from projects.models.year_ends import store_year_ends
from tests.builders import make_plan, make_project, three_communes
from tests.factories import make_user

YEARS = (2023, 2024, 2025, 2026)
S = Status


# --- histories drawn along the lifecycle ---------------------------------------------

# Each step: the status it leads to and the paper date it records (if any).
PAPER = {S.SUBMITTED: "submitted_on", S.APPROVED: "decision_date"}
PAPER |= {S.IN_PROGRESS: "contract_date", S.ACCEPTED: "acceptance_date"}
PAPER |= {S.SETTLED: "settled_on"}
NEXT = {
    S.DRAFT: [S.SUBMITTED, S.SUBMITTED, S.SUBMITTED, S.CANCELLED],
    S.SUBMITTED: [S.APPROVED, S.APPROVED, S.APPRAISED, S.RETURNED, S.REJECTED],
    S.RETURNED: [S.SUBMITTED, S.SUBMITTED, S.CANCELLED],
    S.APPRAISED: [S.APPROVED, S.REJECTED, S.CANCELLED],
    S.APPROVED: [S.IN_PROGRESS, S.IN_PROGRESS, S.CANCELLED],
    S.IN_PROGRESS: [S.ACCEPTED, S.ACCEPTED, S.IN_PROGRESS, S.CANCELLED],
    S.ACCEPTED: [S.SETTLED, S.SETTLED, S.CANCELLED],
    # Corrections: the state stays (correct_settlement, correct_decision).
    S.SETTLED: [S.SETTLED],
}


def moment(day: dt.date, rng: random.Random) -> dt.datetime:
    # Late evening and early morning too: the timeline's day is Vietnam's.
    hour = rng.choice([0, 7, 9, 15, 23])
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(hour, rng.choice([0, 59])))
    )


def draw_history(rng: random.Random) -> tuple[str, dict, list[dict]]:
    """A status, its paper dates and the timeline that led there."""
    day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
    status, fields, steps = S.DRAFT, {}, []
    for _ in range(rng.randrange(0, 9)):
        target = rng.choice(NEXT.get(status, [None]))
        if target is None:
            break
        day += dt.timedelta(days=rng.choice([0, 1, 20, 45, 90, 200]))
        if day.year > 2026:
            break
        if target in PAPER:
            # Signed before it was recorded, mostly; sometimes after.
            paper = day - dt.timedelta(days=rng.choice([0, 0, 3, 40, 400, -5]))
            if target == S.SETTLED and status == S.SETTLED:
                # A correction moves the settlement date either way.
                fields["settled_on"] = paper
            elif target == S.APPROVED or status != target:
                fields[PAPER[target]] = paper
        elif status == S.SETTLED:
            continue
        if target == S.IN_PROGRESS and status == S.APPROVED:
            fields["start_date"] = fields["contract_date"]
            fields["end_date"] = fields["start_date"] + dt.timedelta(
                days=rng.choice([30, 200, 500])
            )
        if status == S.SETTLED and rng.random() < 0.3 and "decision_date" in fields:
            fields["decision_date"] -= dt.timedelta(days=rng.choice([10, 100]))
        # The timeline is recorded in the order the steps were taken.
        at = moment(day, rng)
        if steps and at <= steps[-1]["at"]:
            at = steps[-1]["at"] + dt.timedelta(minutes=1)
        steps.append({"from_status": status, "to_status": target, "at": at})
        status = target
    return status, fields, steps


def build(seed: int, n: int = 45) -> None:
    rng = random.Random(seed)
    # Not "staff": the histories may be shared by tests that also make the
    # `staff` fixture (tests/dashboard/test_year_ends.py).
    staff = make_user("history-author", Role.STAFF)
    commune = three_communes()[0]
    plans = {
        (source, year): make_plan(source, year)
        for source in (Source.LOCAL, Source.NATIONAL)
        for year in YEARS
    }
    for i in range(n):
        status, fields, steps = draw_history(rng)
        first_day = steps[0]["at"].date() if steps else dt.date(2024, 6, 1)
        year = min(max(first_day.year + rng.choice([0, 0, 0, 1, -1]), 2023), 2026)
        sources = rng.choice([[Source.LOCAL], [Source.NATIONAL], list(Source)])
        project = make_project(
            staff,
            {plans[(s, year)]: 50_000_000 for s in sources},
            commune=commune,
            title=f"Đề án {seed}-{i}",
        )
        loaded = rng.random() < 0.15
        if loaded:
            steps = []  # loaded as it stands: only today's status to go by
        Project.objects.filter(pk=project.pk).update(status=status, **fields)
        Transition.objects.bulk_create(
            Transition(project=project, action="step", actor=staff, **step)
            for step in steps
        )
    # As a loader does after writing timelines around the frame.
    store_year_ends()
