"""The follow-up's workflows: opening the due ones, reminding until done,
recording what the establishment (or a visit) reports.

The daily task (followups.tasks.run) calls the first two; both are
idempotent: a second run on the same day opens and sends nothing more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import ApplicantLink
from enterprises.roles import Role
from notifications.models import NotificationKind
from notifications.sending import notify, users_with_role
from projects.models import EquipmentInvestment, Project, Status

from .models import (
    DEFAULT_MONTHS,
    FilledBy,
    FollowUp,
    FollowUpEquipment,
    FollowUpPhoto,
    FollowUpRule,
    add_months,
)

# --- opening ----------------------------------------------------------------------


def _due_pairs(today: dt.date) -> list[tuple[Project, int, FollowUpRule]]:
    """(project, establishment id, rule) for every settled project whose
    interval has passed and beneficiary without a follow-up yet."""
    rules = list(FollowUpRule.objects.all())
    shortest = min([r.months_after_settlement for r in rules] + [DEFAULT_MONTHS])
    latest = add_months(today, -shortest)
    projects = (
        Project.objects.filter(
            status=Status.SETTLED, settled_on__isnull=False, settled_on__lte=latest
        )
        .only("pk", "code", "title", "settled_on")
        .prefetch_related("beneficiaries", "followups")
        .order_by("settled_on", "pk")
    )
    found = []
    for project in projects:
        rule = FollowUpRule.on(project.settled_on, rules)
        if add_months(project.settled_on, rule.months_after_settlement) > today:
            continue
        have = {f.establishment_id for f in project.followups.all()}
        for establishment in project.beneficiaries.all():
            if establishment.pk not in have:
                found.append((project, establishment.pk, rule))
    return found


def followup_open_due(*, today: dt.date | None = None) -> list[FollowUp]:
    """Open a follow-up for each beneficiary of each project settled at least
    the rule's interval ago; returns those opened."""
    today = today or timezone.localdate()
    opened = []
    for project, establishment_id, rule in _due_pairs(today):
        followup = followup_open(
            project=project, establishment_id=establishment_id, rule=rule, today=today
        )
        if followup is not None:
            opened.append(followup)
    return opened


def followup_open(
    *, project: Project, establishment_id: int, rule: FollowUpRule, today: dt.date
) -> FollowUp | None:
    """One beneficiary's follow-up, with a row per machine it received; None
    when it already had one. The unique constraint (project, establishment)
    keeps a concurrent run from opening a second: its insert is skipped."""
    with transaction.atomic():
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    project=project,
                    establishment_id=establishment_id,
                    opened_on=today,
                    due_on=today + dt.timedelta(days=rule.days_to_answer),
                )
            ],
            ignore_conflicts=True,
        )
        followup = FollowUp.objects.filter(
            project=project, establishment_id=establishment_id, opened_on=today
        ).first()
        if followup is None or followup.equipment.exists():
            return None
        FollowUpEquipment.objects.bulk_create(
            FollowUpEquipment(followup=followup, equipment=item)
            for item in EquipmentInvestment.objects.filter(
                project=project, establishment_id=establishment_id
            ).order_by("pk")
        )
        return followup


# --- reminding --------------------------------------------------------------------


def recipients(followup: FollowUp) -> tuple[list[Any], bool]:
    """The establishment's verified, active accounts (True); the centre's
    staff when it has none (False: they record it from a visit)."""
    users = [
        link.user
        for link in ApplicantLink.objects.filter(
            establishment_id=followup.establishment_id,
            verified_at__isnull=False,
            user__is_active=True,
        ).select_related("user")
    ]
    if users:
        return users, True
    return list(users_with_role(Role.STAFF)), False


def followup_remind(*, today: dt.date | None = None) -> int:
    """A reminder for each follow-up not done whose last reminder is at least
    the rule's cadence old (or that was never reminded); returns how many
    follow-ups were reminded. Done follow-ups are never reminded."""
    today = today or timezone.localdate()
    rules = list(FollowUpRule.objects.all())
    sent = 0
    waiting = (
        FollowUp.objects.not_done()
        .filter(opened_on__lte=today)
        .select_related("project", "establishment")
        .order_by("pk")
    )
    for followup in waiting:
        every = FollowUpRule.on(followup.project.settled_on, rules).remind_every_days
        last = followup.last_reminded_on
        if last is not None and last + dt.timedelta(days=every) > today:
            continue
        users, applicant = recipients(followup)
        link = reverse(
            "followups:fill" if applicant else "followups:record", args=[followup.pk]
        )
        params = {
            "code": followup.project.code,
            "name": followup.establishment.name,
            "date": followup.due_on.strftime("%d/%m/%Y"),
        }
        with transaction.atomic():
            notify(
                users=users,
                kind=NotificationKind.OTHER,
                title=_("Follow-up of project %(code)s: please report by %(date)s")
                % params,
                body=_(
                    "A year after support: is the machine still in use, how many "
                    "jobs, what revenue? (%(name)s)"
                )
                % params,
                link=link,
                key=f"followup:{followup.pk}:{today.isoformat()}",
            )
            FollowUp.objects.filter(pk=followup.pk).update(
                last_reminded_on=today, reminders_sent=followup.reminders_sent + 1
            )
        sent += 1
    return sent


# --- recording --------------------------------------------------------------------


@dataclass
class Figures:
    jobs: int | None = None
    revenue: int | None = None
    products: int | None = None
    energy_kwh: Decimal | None = None
    remarks: str = ""


def followup_record(
    *,
    followup: FollowUp,
    by: Any,
    filled_by: str,
    figures: Figures,
    equipment: dict[int, tuple[bool, str]],
    photos: list[UploadedFile] = (),
    visit_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> FollowUp:
    """Store what was reported and mark the follow-up done (which stops its
    reminders). `equipment` maps each FollowUpEquipment pk to (in use, remark);
    photos are checked by the form (the staff photos' checks)."""
    if filled_by not in FilledBy.values:
        raise ValueError(filled_by)
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=followup.pk)
        for field in ("jobs", "revenue", "products", "energy_kwh", "remarks"):
            setattr(locked, field, getattr(figures, field))
        locked.filled_by = filled_by
        locked.recorded_by = by
        locked.visit_date = visit_date if filled_by == FilledBy.VISIT else None
        # The first answer dates it; a correction keeps that date.
        locked.done_at = locked.done_at or now or timezone.now()
        locked.save()
        for row in locked.equipment.all():
            if row.pk in equipment:
                row.in_use, row.remark = equipment[row.pk]
                row.save(update_fields=["in_use", "remark"])
        for upload in photos:
            photo = FollowUpPhoto(followup=locked, uploaded_by=by)
            photo.image.save(upload.name, upload, save=False)
            photo.save()
    return locked
