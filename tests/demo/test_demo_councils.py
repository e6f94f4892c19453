"""The demo's appraisal councils (devdata.councils): every local project the
Sở decided on was scored by a closed council of four members, recommended
when approved and not when rejected, with its minutes in the register."""

from __future__ import annotations

import pytest

from appraisal.models import Council, CouncilProject, ScoreSheet
from projects.models import Project, Source, Status
from reports.models import RegisterEntry

pytestmark = pytest.mark.django_db


def test_every_decided_local_project_was_scored_by_a_closed_council(demo):
    scored = Project.objects.filter(pk__in=CouncilProject.objects.values("project"))
    approved_locals = Project.objects.exclude(fundings__source=Source.NATIONAL).filter(
        decision_date__isnull=False
    )
    assert approved_locals.count() > 30
    assert set(approved_locals) <= set(scored)
    assert not CouncilProject.objects.filter(
        project__fundings__source=Source.NATIONAL
    ).exists()
    for item in CouncilProject.objects.select_related("council", "project"):
        council = item.council
        assert council.is_closed and council.minutes_no.endswith("/BB-TTKC")
        assert council.meeting_date <= (
            item.project.decision_date or council.meeting_date
        )
        assert council.meeting_date >= item.project.submitted_on
        sheets = ScoreSheet.objects.filter(
            member__council=council, project=item.project
        )
        assert sheets.count() == 4
        threshold = council.criteria_set.threshold
        assert item.recommended == (item.total >= threshold)
        assert item.recommended == (item.project.status != Status.REJECTED)


def test_each_council_has_its_own_minutes_number(demo):
    councils = Council.objects.all()
    assert councils.count() > 10
    assert len({(c.minutes_date.year, c.minutes_no) for c in councils}) == len(councils)
    assert RegisterEntry.objects.filter(series="minutes").count() == councils.count()
