"""A council of three members who are users (the chair and the secretary
from the Sở, a member from the centre's staff) and one outsider, with one
local project the Sở has received on its agenda."""

from __future__ import annotations

import pytest

from appraisal import services
from appraisal.models import Function
from enterprises.roles import Role
from projects.models import Project
from tests.builders import received_project
from tests.factories import make_user

from .sessions import MEETING_DAY, Session


@pytest.fixture
def chair_user(db):
    return make_user("chair", Role.REVIEWER, first_name="Trần Quốc", last_name="Bảo")


@pytest.fixture
def member_user(db):
    return make_user("member", Role.STAFF, first_name="Phạm Thị", last_name="Lan")


@pytest.fixture
def received(local_project, staff, reviewer) -> Project:
    return received_project(local_project, staff=staff, reviewer=reviewer)


@pytest.fixture
def session(received, reviewer, chair_user, member_user) -> Session:
    council = services.council_create(
        by=reviewer,
        name="Hội đồng xét chọn đề án KCĐP đợt 1/2026",
        established_by="Quyết định số 15/QĐ-SCT ngày 01/3/2026 của Sở Công Thương",
        meeting_date=MEETING_DAY,
    )
    services.council_add_project(council=council, project=received)
    chair = services.council_add_member(
        council=council, function=Function.CHAIR, user=chair_user
    )
    secretary = services.council_add_member(
        council=council, function=Function.SECRETARY, user=reviewer
    )
    member = services.council_add_member(
        council=council, function=Function.MEMBER, user=member_user
    )
    outsider = services.council_add_member(
        council=council,
        function=Function.OPPONENT,
        name="Hoàng Văn Đức",
        organisation="Trường Cao đẳng Công nghiệp",
    )
    return Session(
        council,
        received,
        chair,
        secretary,
        member,
        outsider,
        {"chair": chair_user, "secretary": reviewer, "member": member_user},
    )
