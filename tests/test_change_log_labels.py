"""The change log speaks Vietnamese: a project changed in every way shows
labels, names, Có/Không, money and dates as people write them, and no
English word, raw stored value or id (issue 17)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils.html import strip_tags

from enterprises.models import Commune
from projects import services
from projects.models import ActivityContent, Project, Source
from tests.browser.walk import english_on
from tests.builders import make_establishment, make_plan, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed_project(staff, reviewer) -> Project:
    communes = list(Commune.objects.filter(province_id=38).order_by("code")[:2])
    beneficiary = make_establishment(communes[0])
    plan = make_plan(Source.LOCAL)
    project = make_project(
        staff, {plan: 120_000_000}, beneficiaries=[beneficiary], commune=communes[0]
    )
    # Status: draft -> submitted -> returned.
    project = services.project_submit(project=project, by=staff)
    project = services.project_return(project=project, by=reviewer, comment="Bổ sung")
    # Text, choice-free codes, a foreign key, a boolean, dates, counts, money.
    project.title = "Hỗ trợ máy sấy nông sản"
    project.content = ActivityContent.objects.exclude(pk=project.content_id).first()
    project.commune = communes[1]
    project.is_group = not project.is_group
    project.start_date = dt.date(2026, 5, 2)
    project.end_date = dt.date(2026, 12, 15)
    project.target_machines = 2015
    project.counterpart += 1_000_000
    project.total_cost += 1_000_000
    project.save()
    return project


def test_the_change_log_shows_no_english_raw_value_or_id(
    changed_project, as_user, admin_user
):
    page = as_user(admin_user).get("/nhat-ky-thay-doi/", {"model": "projects.project"})
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('data-testid="audit"') :].split(">", 1)[1]
    text = strip_tags(table)
    assert "Hỗ trợ máy sấy nông sản" in text
    assert english_on(text) == []
    raw = {"True", "False", "None", "draft", "submitted", "returned", "local"}
    assert sorted(w for w in re.findall(r"\w+", text) if w in raw) == []
    # A count or year is never grouped like money; the commune and content
    # are named, not numbered.
    assert "2.015" not in text and "2015" in text
    assert changed_project.commune.name in text
    assert changed_project.content.name in text
    assert f">{changed_project.commune_id}<" not in table
    assert f">{changed_project.content_id}<" not in table
    assert "Có" in text or "Không" in text
    assert "02/05/2026" in text
