"""The council session the appraisal tests share (tests/appraisal/conftest.py
builds it): its dataclass, meeting day, and scoring through the service."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from appraisal import services
from appraisal.models import Council, Member
from projects.models import Project

MEETING_DAY = dt.date(2026, 3, 10)


@dataclass
class Session:
    council: Council
    project: Project
    chair: Member
    secretary: Member
    member: Member
    outsider: Member
    users: dict[str, Any]

    @property
    def members(self) -> list[Member]:
        return [self.chair, self.secretary, self.member, self.outsider]


# Member x criterion (the default set: maxima 20, 20, 25, 15, 20).
SCORES = [
    ["18", "17.5", "20", "12", "16"],
    ["16", "15", "21.5", "13", "17"],
    ["15.5", "16", "19", "11", "15"],
    ["17", "14", "22", "12.5", "18.6"],
]


def criteria(council: Council) -> list:
    return list(council.criteria_set.criteria.all())


def score_all(
    session: Session, table: list[list[str]], project=None, members: int = 4
) -> None:
    """Member i gives table[i][j] to criterion j (as typed), through the
    service, each sheet entered by whoever may enter it."""
    project = project or session.project
    rows = criteria(session.council)
    for member, values in zip(session.members[:members], table, strict=True):
        by = member.user or session.secretary.user
        services.sheet_save(
            member=member,
            project=project,
            by=by,
            scores={c.pk: Decimal(v) for c, v in zip(rows, values, strict=True)},
            opinion=f"Ý kiến của {member.display_name}",
        )
