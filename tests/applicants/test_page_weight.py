"""Made for a phone on a slow connection (issue 21, point 6): no page an
establishment opens weighs more than 300 KB before its images, counting its
HTML and every stylesheet and script it loads, each fetched as the portal
serves it (WhiteNoise) to a browser that asks for no compression.

The limit does not rely on compression: in production WhiteNoise also
serves the light pages' assets brotli- or gzip-compressed (collected by
CompressedManifestStaticFilesStorage: 244 KB of CSS/JS travel as 28 KB
brotli, 37 KB gzip; the centre's full bundle 393 KB as 68 / 82 KB), which
only makes the transfer smaller."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse

from applicants.models import RequestStatus
from followups.models import FollowUp
from followups.services import followup_open_due
from tests.builders import approve_and_pay, settled, support_request
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db

LIMIT = 300 * 1024
ASSET = re.compile(
    r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"|<script[^>]+src="([^"]+)"'
)


def weight(client, html: str) -> tuple[int, list[str]]:
    """Bytes of the page and of the static files it loads as served, and
    those files."""
    assets = sorted({a or b for a, b in ASSET.findall(html)})
    total = len(html.encode())
    for url in assets:
        assert url.startswith(settings.STATIC_URL), url  # nothing from elsewhere
        served = client.get(url)
        assert served.status_code == 200, url
        assert not served.has_header("Content-Encoding"), url
        total += len(b"".join(served.streaming_content))
    return total, assets


@pytest.fixture
def world(coso_a, est_a, staff, reviewer, local_plan):
    """A request in each state the pages show, a project paid and
    inspected and a settled one with its follow-up open, so that every page
    is drawn with content."""
    draft = support_request(coso_a)
    accepted = support_request(
        coso_a, status=RequestStatus.ACCEPTED, staff=staff, plan=local_plan
    )
    project = approve_and_pay(accepted.project, staff=staff, reviewer=reviewer)
    InspectionFactory(project=project, planned_date=project.end_date, recorded_by=staff)
    closed = settled(staff, reviewer, local_plan, est_a)
    followup_open_due(today=dt.date(2030, 1, 1))
    followup = FollowUp.objects.get(project=closed)
    return {
        "draft": draft,
        "accepted": accepted,
        "project": project,
        "followup": followup,
    }


def applicant_pages(world) -> list[str]:
    return [
        reverse("applicants:home"),
        reverse("applicants:request_new"),
        reverse("applicants:request_edit", args=[world["draft"].pk]),
        reverse("applicants:request", args=[world["accepted"].pk]),
        reverse("applicants:projects"),
        reverse("applicants:project", args=[world["project"].pk]),
        reverse("followups:mine"),
        reverse("followups:fill", args=[world["followup"].pk]),
        # The pages every role opens, drawn on the light base for applicants.
        reverse("dashboard:inbox"),
        reverse("dashboard:preferences"),
        reverse("profile"),
        reverse("password_change"),
        reverse("password_change_done"),
    ]


PUBLIC_PAGES = [
    "applicants:signup",
    "applicants:signup_done",
    "login",
    "password_reset",
    "password_reset_done",
]


def test_no_applicant_page_passes_300_kb(client, coso_a, world):
    client.force_login(coso_a)
    weights = {}
    for url in applicant_pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        weights[url], assets = weight(client, response.content.decode())
        # None of the centre's heavy scripts.
        assert not any("tom-select" in a or "bootstrap.bundle" in a for a in assets)
    assert max(weights.values()) <= LIMIT, weights


def test_signing_up_and_logging_in_are_light_too(client):
    for name in PUBLIC_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        size, _assets = weight(client, response.content.decode())
        assert size <= LIMIT, (name, size)


def test_the_centres_pages_still_get_the_full_bundle(client, staff):
    client.force_login(staff)
    _size, assets = weight(
        client, client.get(reverse("applicants:staff_requests")).content.decode()
    )
    assert any("bootstrap.bundle" in a for a in assets)
