"""Demo appraisal councils: the local demo projects the Sở decided on were
scored by a council before the decision (issue 14).

The demo's projects are built along the route of their time; on this branch
a local project goes from "submitted" straight to its decision, so its council
is recorded as a past session: the sheets are entered as the members gave
them, the minutes take their number in the register, and the result is kept
on the agenda, without a lifecycle step (the project is already past it).
A project still at "received" when its council sits is closed through the
real service (appraisal.services.council_close), which records the step.

The members are fictional demo people (no real official is named).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from appraisal import services
from appraisal.models import (
    Council,
    CouncilProject,
    CriteriaSet,
    Function,
    Member,
    one_decimal,
)
from projects.models import Project, Source, Status, Transition
from projects.services import council_comment

SEED = 1414
# The most projects one session takes up.
GROUP = 4
OUTSIDERS = [
    (Function.CHAIR, "Đỗ Văn Thành", "Sở Công Thương (dữ liệu mẫu)"),
    (Function.OPPONENT, "Vũ Thị Mai", "Trường cao đẳng nghề (dữ liệu mẫu)"),
    (Function.MEMBER, "Lê Văn Nam", "Phòng Kinh tế cấp huyện (dữ liệu mẫu)"),
]


def _decided_locals() -> list[Project]:
    """Local projects the council has seen: decided on by the Sở (approved,
    and all that followed, or rejected after the council) or waiting after
    the council's conclusion, oldest decision first."""
    projects = (
        Project.objects.exclude(fundings__source=Source.NATIONAL)
        .filter(
            Q(decision_date__isnull=False)
            | Q(status__in=(Status.REJECTED, Status.SCORED, Status.APPRAISED))
        )
        .exclude(submitted_on__isnull=True)
        .distinct()
        .order_by("decision_date", "submitted_on", "pk")
    )
    return list(projects)


def _decided_on(project: Project) -> dt.date:
    if project.decision_date:
        return project.decision_date
    last = project.transitions.filter(action="reject").order_by("-at").first()
    return timezone.localdate(last.at) if last else project.submitted_on


def _sessions(projects: list[Project]) -> list[tuple[dt.date, list[Project]]]:
    """Projects grouped into sessions held after every one was submitted and
    before any of them was decided."""
    sessions: list[tuple[dt.date, list[Project]]] = []
    group: list[Project] = []
    for project in projects:
        trial = [*group, project]
        latest_in = max(p.submitted_on for p in trial)
        first_out = min(_decided_on(p) for p in trial)
        if group and (len(trial) > GROUP or latest_in >= first_out - dt.timedelta(2)):
            sessions.append(_dated(group))
            group = [project]
        else:
            group = trial
    if group:
        sessions.append(_dated(group))
    return sessions


def _dated(group: list[Project]) -> tuple[dt.date, list[Project]]:
    latest_in = max(p.submitted_on for p in group)
    first_out = min(_decided_on(p) for p in group)
    day = max(latest_in, first_out - dt.timedelta(days=3))
    return min(day, first_out), group


def _scores(
    criteria: list, recommended: bool, rng: random.Random
) -> dict[int, Decimal]:
    low, high = (0.66, 0.95) if recommended else (0.35, 0.55)
    return {
        c.pk: (Decimal(round(float(c.max_score) * rng.uniform(low, high) * 2)) / 2)
        for c in criteria
    }


def hold_council(
    *,
    day: dt.date,
    projects: list[Project],
    secretary: Any,
    number: int,
    rng: random.Random,
) -> Council:
    """A council of `secretary` and three outsiders that scores `projects`,
    closed on `day`."""
    council = Council.objects.create(
        name=f"Hội đồng xét chọn đề án khuyến công địa phương, phiên {number} "
        f"năm {day.year}",
        established_by="Quyết định thành lập hội đồng (dữ liệu mẫu)",
        meeting_date=day,
        criteria_set=CriteriaSet.objects.current(day),
        created_by=secretary,
    )
    for project in projects:
        CouncilProject.objects.create(council=council, project=project)
    members = [
        Member.objects.create(
            council=council, function=function, name=name, organisation=org
        )
        for function, name, org in OUTSIDERS
    ]
    members.append(
        Member.objects.create(
            council=council, function=Function.SECRETARY, user=secretary
        )
    )
    criteria = list(council.criteria_set.criteria.all())
    for project in projects:
        recommended = project.status != Status.REJECTED
        for member in members:
            services.sheet_save(
                member=member,
                project=project,
                by=secretary,
                scores=_scores(criteria, recommended, rng),
                opinion=(
                    "Đề án phù hợp, đề nghị hỗ trợ."
                    if recommended
                    else "Đề án chưa đạt yêu cầu, chưa đề nghị hỗ trợ."
                ),
            )
    if all(p.status == Status.RECEIVED for p in projects):
        return services.council_close(council=council, by=secretary, on=day)
    _record_past_close(council, secretary, day)
    return council


def _record_past_close(council: Council, by: Any, day: dt.date) -> None:
    minutes_no = services.MINUTES_NUMBERING[0](council=council, by=by, on=day)
    for result in services.council_results(council):
        CouncilProject.objects.filter(council=council, project=result.project).update(
            total=one_decimal(result.total), recommended=result.recommended
        )
        # The project's timeline (its council step, taken when the demo
        # project was built) reads the minutes this session issued.
        Transition.objects.filter(project=result.project, action="council").update(
            comment=council_comment(
                minutes_no=minutes_no,
                total=one_decimal(result.total),
                threshold=council.criteria_set.threshold,
                recommended=result.recommended,
            )
        )
    council.closed_at = timezone.make_aware(dt.datetime.combine(day, dt.time(16)))
    council.closed_by = by
    council.minutes_no = minutes_no
    council.minutes_date = day
    council.save(update_fields=["closed_at", "closed_by", "minutes_no", "minutes_date"])


def seed_councils(*, reviewer: Any) -> int:
    """The demo's councils; returns how many."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    held = 0
    per_year: dict[int, int] = {}
    for day, group in _sessions(_decided_locals()):
        per_year[day.year] = per_year.get(day.year, 0) + 1
        hold_council(
            day=day,
            projects=group,
            secretary=reviewer,
            number=per_year[day.year],
            rng=rng,
        )
        held += 1
    return held
