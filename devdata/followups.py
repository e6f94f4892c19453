"""Demo follow-ups after support: the settled demo projects since 2022 had
theirs opened on their anniversary (the rule's defaults: 12 months, a month
to answer); most were answered (recorded from the staff's visits), with figures near
the acceptance's; the rest are overdue — among them one of the `coso`
account's establishment, to be filled online. Older settlements predate the
follow-ups and have none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone

from applicants.models import ApplicantLink
from followups.models import FilledBy, FollowUp, FollowUpRule, add_months
from followups.services import Figures, followup_open, followup_record
from projects.models import Project, Status

FIRST_SETTLEMENT = dt.date(2022, 1, 1)
# Every this-many-th follow-up stays unanswered (overdue once past its due date).
UNANSWERED_EVERY = 4


def _figures(project: Project, nth: int) -> Figures:
    """A little above (or, now and then, below) the acceptance's figures."""
    acceptance = getattr(project, "acceptance", None)
    jobs = (acceptance.jobs_after if acceptance else None) or project.baseline_jobs
    revenue = (
        acceptance.revenue_after if acceptance else None
    ) or project.baseline_revenue
    growth = Decimal(100 + (nth % 5) * 4 - 4) / 100  # -4 % to +12 %
    energy = acceptance.energy_after_kwh if acceptance else None
    return Figures(
        jobs=jobs + (nth % 4) - 1 if jobs else jobs,
        revenue=int(revenue * growth) // 1_000_000 * 1_000_000 if revenue else None,
        products=400 + 75 * (nth % 7),
        energy_kwh=energy,
        remarks="Sản xuất ổn định, đã mở rộng thị trường tiêu thụ."
        if nth % 3
        else "Thiếu đơn hàng quý I, đã cải thiện từ quý II.",
    )


def seed_followups(*, staff: Any, today: dt.date | None = None) -> dict[str, int]:
    """Open, and mostly answer, the follow-ups of the settled demo projects;
    returns how many are done and how many not."""
    today = today or timezone.localdate()
    coso = ApplicantLink.objects.filter(user__username="coso").first()
    projects = (
        Project.objects.filter(status=Status.SETTLED, settled_on__gte=FIRST_SETTLEMENT)
        .select_related("acceptance")
        .prefetch_related("beneficiaries")
        .order_by("settled_on", "pk")
    )
    rules = list(FollowUpRule.objects.all())
    done = waiting = 0
    for nth, project in enumerate(projects):
        rule = FollowUpRule.on(project.settled_on, rules)
        opens = add_months(project.settled_on, rule.months_after_settlement)
        if opens > today:
            continue
        for establishment in project.beneficiaries.all():
            followup = followup_open(
                project=project,
                establishment_id=establishment.pk,
                rule=rule,
                today=opens,
            )
            if followup is None:
                continue
            own = coso is not None and establishment.pk == coso.establishment_id
            if own or nth % UNANSWERED_EVERY == 3 or followup.due_on >= today:
                waiting += 1
                continue
            answered = followup.due_on - dt.timedelta(days=5 + nth % 20)
            # The demo establishments have no accounts but `coso`: the staff
            # recorded these from visits.
            rows = list(followup.equipment.all())
            followup_record(
                followup=followup,
                by=staff,
                filled_by=FilledBy.VISIT,
                figures=_figures(project, nth),
                # One machine in seven stands idle.
                equipment={
                    row.pk: (
                        (nth + i) % 7 != 0,
                        "" if (nth + i) % 7 else "Hỏng bo mạch điều khiển, chờ sửa.",
                    )
                    for i, row in enumerate(rows)
                },
                visit_date=answered,
                now=timezone.make_aware(dt.datetime.combine(answered, dt.time(9, 30))),
            )
            done += 1
    # Unanswered ones were reminded when they opened (the daily run's first
    # reminder), without sending mail for the demo.
    FollowUp.objects.not_done().update(
        last_reminded_on=F("opened_on"), reminders_sent=1
    )
    return {"done": done, "waiting": waiting}
