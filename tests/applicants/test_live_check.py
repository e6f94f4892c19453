"""The rules checked as the establishment types: the JSON the page's script
reads is the same check the server runs when the draft is saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants import services
from applicants.models import SupportRequest
from projects.models import ActivityContent, Source, SupportRule

pytestmark = pytest.mark.django_db

TYPED = {
    "title": "Mua máy chẻ nan",
    "content": 4,
    "items": "01 máy",
    "total_cost": "300.000.000",
    "requested": "250.000.000",
    "counterpart": "50.000.000",
}


@pytest.fixture
def half_the_cost():
    return SupportRule.objects.create(
        content=ActivityContent.objects.get(code=4),
        source=Source.LOCAL,
        share_cap=Decimal("50"),
        absolute_cap=200_000_000,
        unit="establishment",
        legal_basis="Nghị quyết thử nghiệm",
        verified=True,
        valid_from=timezone.localdate() - dt.timedelta(days=1),
    )


def test_the_live_check_says_what_saving_would_say(client, coso_a, half_the_cost):
    client.force_login(coso_a)
    answer = client.post(reverse("applicants:request_check"), TYPED).json()
    assert not answer["ok"]
    # Nothing is saved by checking.
    assert SupportRequest.objects.count() == 0
    client.post(reverse("applicants:request_new"), TYPED)
    saved = services.request_check(SupportRequest.objects.get())
    assert answer["fields"]["requested"] == saved.problems["requested"]
    assert len(answer["fields"]["requested"]) == 2


def test_the_live_check_reports_sums_and_typing_mistakes(client, coso_a):
    client.force_login(coso_a)
    answer = client.post(
        reverse("applicants:request_check"),
        {**TYPED, "total_cost": "999.000.000", "counterpart": "abc"},
    ).json()
    assert set(answer["fields"]) >= {"counterpart", "total_cost"}
    within = client.post(
        reverse("applicants:request_check"),
        {**TYPED, "requested": "100.000.000", "counterpart": "200.000.000"},
    ).json()
    assert within == {"fields": {}, "general": [], "notes": within["notes"], "ok": True}


def test_only_a_filing_account_may_check(client, staff, coso_a):
    client.force_login(staff)
    assert client.post(reverse("applicants:request_check"), TYPED).status_code == 403
    client.force_login(coso_a)
    assert client.get(reverse("applicants:request_check")).status_code == 405
