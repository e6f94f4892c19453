"""The council's workflow: create it, put projects and members on it, enter
score sheets, compute the results and close the session.

Closing records the council's conclusion on each project through the
lifecycle (projects.services.project_record_council), all in one transaction:
a project the lifecycle refuses rolls the whole close back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import NotificationKind
from notifications.sending import notify
from projects.models import Project, Refused, Status
from projects.services import project_record_council

from .models import (
    Council,
    CouncilProject,
    CriteriaSet,
    Criterion,
    Function,
    Member,
    Score,
    ScoreSheet,
    one_decimal,
)

# Who numbers the minutes: the centre's document register lives in reports,
# above this app, which registers its numbering function here when it loads
# (reports.apps). It is called inside the close's transaction, so a refused
# close leaves no number behind. Signature: (council, by, on) -> "3/BB-TTKC".
MINUTES_NUMBERING: list[Callable[..., str]] = []


def council_create(
    *, by: Any, name: str, established_by: str, meeting_date: dt.date
) -> Council:
    """A council with the criteria set in force on its meeting date."""
    criteria_set = CriteriaSet.objects.current(meeting_date)
    if criteria_set is None:
        raise Refused(_("No criteria set is in force on the meeting date."))
    return Council.objects.create(
        name=name,
        established_by=established_by,
        meeting_date=meeting_date,
        criteria_set=criteria_set,
        created_by=by,
    )


def council_add_project(*, council: Council, project: Project) -> CouncilProject:
    """Put a local project the Sở has received on the council's agenda."""
    if project.is_national or project.status != Status.RECEIVED:
        raise Refused(
            _("Only a local project received by the department can be scored.")
        )
    elsewhere = CouncilProject.objects.filter(
        project=project, council__closed_at__isnull=True
    ).exclude(council=council)
    if elsewhere.exists():
        raise Refused(_("This project is already on another open council."))
    if council.agenda.filter(project=project).exists():
        raise Refused(_("This project is already on the council's agenda."))
    return CouncilProject.objects.create(council=council, project=project)


def council_add_member(
    *,
    council: Council,
    function: str,
    user: Any = None,
    name: str = "",
    organisation: str = "",
) -> Member:
    """Seat a user (told in their inbox) or a named outsider."""
    if user is None and not name.strip():
        raise Refused(_("Choose a user or give the outsider's name."))
    if user is not None and council.members.filter(user=user).exists():
        raise Refused(_("This person already sits on the council."))
    single = function in (Function.CHAIR, Function.SECRETARY)
    if single and council.members.filter(function=function).exists():
        raise Refused(
            _("The council already has its %(function)s.")
            % {"function": Function(function).label.lower()}
        )
    if function == Function.SECRETARY and user is None:
        raise Refused(_("The secretary closes the session: choose a user."))
    member = Member.objects.create(
        council=council,
        function=function,
        user=user,
        name="" if user else name.strip(),
        organisation=organisation.strip(),
    )
    if user is not None:
        notify(
            users=[user],
            kind=NotificationKind.OTHER,
            title=_("You sit on the council %(name)s") % {"name": council.name},
            body=_("Meeting on %(day)s. Enter your scores on the council's page.")
            % {"day": council.meeting_date.strftime("%d/%m/%Y")},
            link=reverse("appraisal:detail", args=[council.pk]),
        )
    return member


def may_enter_sheet(member: Member, user: Any) -> bool:
    """A member enters their own sheet; the secretary an outsider's."""
    if member.user_id:
        return member.user_id == user.pk
    secretary = member.council.secretary
    return secretary is not None and secretary.user_id == user.pk


def sees_scores(council: Council, user: Any) -> bool:
    """Members score independently: while the session is open a member sees
    only the sheets they enter; the secretary, and the reviewers running the
    council without sitting on it, see them all. Once closed, everyone who
    sees the council sees every score (the minutes)."""
    if council.is_closed:
        return True
    seats = [m for m in council.members.all() if m.user_id == user.pk]
    return not seats or any(m.function == Function.SECRETARY for m in seats)


def sheet_save(
    *,
    member: Member,
    project: Project,
    by: Any,
    scores: Mapping[int, Decimal],
    opinion: str,
) -> ScoreSheet:
    """Store (or replace) a member's sheet on a project: a score for every
    criterion of the council's set, each within 0..maximum, and an opinion."""
    council = member.council
    council.refuse_if_closed()
    if not may_enter_sheet(member, by):
        raise Refused(_("You may not enter this member's scores."))
    if not council.agenda.filter(project=project).exists():
        raise Refused(_("This project is not on the council's agenda."))
    criteria = list(council.criteria_set.criteria.all())
    if set(scores) != {c.pk for c in criteria}:
        raise Refused(_("Give a score for every criterion."))
    if not opinion.strip():
        raise Refused(_("Give the member's opinion."))
    values = {c.pk: Decimal(scores[c.pk]) for c in criteria}
    if any(not Decimal(0) <= values[c.pk] <= c.max_score for c in criteria):
        raise Refused(_("A score must lie between 0 and the criterion's maximum."))
    with transaction.atomic():
        sheet, _created = ScoreSheet.objects.update_or_create(
            member=member,
            project=project,
            defaults={"opinion": opinion.strip(), "entered_by": by},
        )
        # The whole sheet in one statement (a new score or a new value);
        # Score.save's checks were made above, the session's state first.
        Score.objects.bulk_create(
            [Score(sheet=sheet, criterion=c, value=values[c.pk]) for c in criteria],
            update_conflicts=True,
            unique_fields=["sheet", "criterion"],
            update_fields=["value"],
        )
    return sheet


# --- results -------------------------------------------------------------------


@dataclass
class ProjectResult:
    project: Project
    members: list[Member]
    # Per criterion (in order): (criterion, [score per member], average).
    rows: list[tuple[Criterion, list[Decimal | None], Decimal | None]]
    sheets: list[ScoreSheet | None]  # per member, in the members' order
    total: Decimal | None  # sum of the averages, one decimal, half up
    recommended: bool | None

    @property
    def columns(self) -> list[tuple[Member, ScoreSheet | None]]:
        return list(zip(self.members, self.sheets, strict=True))

    @property
    def complete(self) -> bool:
        return all(s is not None for s in self.sheets)


def council_results(council: Council) -> list[ProjectResult]:
    """Per project on the agenda: each member's scores, the average per
    criterion of the sheets entered so far, and, once every member has scored,
    the total and the recommendation against the threshold."""
    members = list(council.members.select_related("user"))
    criteria = list(council.criteria_set.criteria.all())
    sheets = {
        (s.member_id, s.project_id): s
        for s in ScoreSheet.objects.filter(member__council=council).prefetch_related(
            "scores"
        )
    }
    results = []
    for item in council.agenda.select_related("project"):
        project = item.project
        own = [sheets.get((m.pk, project.pk)) for m in members]
        values = [
            {score.criterion_id: score.value for score in s.scores.all()} if s else None
            for s in own
        ]
        rows = []
        for criterion in criteria:
            given = [v[criterion.pk] if v else None for v in values]
            entered = [g for g in given if g is not None]
            average = sum(entered, Decimal(0)) / len(entered) if entered else None
            rows.append((criterion, given, average))
        averages = [a for _c, _g, a in rows]
        # A total (and so a recommendation) only once every member has
        # scored: a partial average would read as the council's result.
        complete = bool(members) and all(s is not None for s in own)
        total = one_decimal(sum(averages, Decimal(0))) if complete else None
        recommended = None if total is None else total >= council.criteria_set.threshold
        results.append(ProjectResult(project, members, rows, own, total, recommended))
    return results


def council_close(*, council: Council, by: Any, on: dt.date | None = None) -> Council:
    """The secretary closes the session: every member has scored every
    project; the minutes take the register's next number; each project's
    conclusion goes through the lifecycle; the sheets are locked."""
    with transaction.atomic():
        council = Council.objects.select_for_update().get(pk=council.pk)
        council.refuse_if_closed()
        secretary = council.secretary
        if secretary is None or secretary.user_id != by.pk:
            raise Refused(_("Only the council's secretary closes the session."))
        results = council_results(council)
        if not results:
            raise Refused(_("The council has no project to score."))
        missing = [r.project.code for r in results if not r.complete]
        if missing:
            raise Refused(
                _("Some members have not scored: %(codes)s.")
                % {"codes": ", ".join(missing)}
            )
        if not MINUTES_NUMBERING:
            raise Refused(_("No register numbers the council's minutes."))
        on = on or timezone.localdate()
        minutes_no = MINUTES_NUMBERING[0](council=council, by=by, on=on)
        threshold = council.criteria_set.threshold
        for result in results:
            CouncilProject.objects.filter(
                council=council, project=result.project
            ).update(total=result.total, recommended=result.recommended)
            project_record_council(
                project=result.project,
                by=by,
                total=result.total,
                threshold=threshold,
                recommended=bool(result.recommended),
                minutes_no=minutes_no,
            )
        council.closed_at = timezone.now()
        council.closed_by = by
        council.minutes_no = minutes_no
        council.minutes_date = on
        council.save(
            update_fields=["closed_at", "closed_by", "minutes_no", "minutes_date"]
        )
    return council
