"""Bad input sweep over the project forms: the draft form (text, money and
dates) and the disbursement form (money against approved support). Whatever
is typed, the answer is a page, never a server error, and either a whole
record is written or nothing is."""

from __future__ import annotations

import unicodedata

import pytest
from django.db.models import Sum
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from enterprises.models import Commune
from projects.models import (
    ActivityContent,
    Disbursement,
    Project,
    ProjectFunding,
    Source,
)
from tests.builders import APPROVED, make_establishment, make_plan, running

from .strategies import SWEEP, numbers, texts

pytestmark = pytest.mark.django_db

dates = st.one_of(
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates().map(str),
    st.sampled_from(["31/02/2026", "00/00/0000", "2026-13-01", "99999-01-01", ""]),
    texts,
)


@pytest.fixture
def world(db):
    """A plan and a beneficiary, shared by every example of a test."""
    commune = Commune.objects.filter(province_id=38).order_by("code").first()
    return make_plan(Source.LOCAL), make_establishment(commune)


@SWEEP
@given(
    title=texts,
    start=dates,
    end=dates,
    total=numbers,
    counterpart=numbers,
    requested=numbers,
    machines=numbers,
)
def test_the_draft_form_never_errors_or_half_saves(
    as_user, staff, world, title, start, end, total, counterpart, requested, machines
):
    plan, establishment = world
    before = (Project.objects.count(), ProjectFunding.objects.count())
    response = as_user(staff).post(
        reverse("projects:create"),
        {
            "title": title,
            "content": ActivityContent.objects.get(code=4).pk,
            "implementing_unit": "Trung tâm Khuyến công",
            "beneficiaries": [establishment.pk],
            "start_date": start,
            "end_date": end,
            "total_cost": total,
            "counterpart": counterpart,
            "other_sources": "0",
            "target_machines": machines,
            "target_trainees": "0",
            "target_products": "0",
            "baseline_jobs": "0",
            "fundings-TOTAL_FORMS": "1",
            "fundings-INITIAL_FORMS": "0",
            "fundings-MIN_NUM_FORMS": "0",
            "fundings-MAX_NUM_FORMS": "2",
            "fundings-0-plan": plan.pk,
            "fundings-0-requested": requested,
        },
    )
    assert response.status_code in (200, 302)
    after = (Project.objects.count(), ProjectFunding.objects.count())
    if response.status_code == 302:
        assert after == (before[0] + 1, before[1] + 1)
        project = Project.objects.latest("pk")
        assert project.title == unicodedata.normalize("NFC", project.title)
        assert project.total_cost >= 0
        # A draft may not add up yet (submission checks that): its stored
        # support is the sum of its funding rows, each asking for money.
        requested = project.fundings.aggregate(s=Sum("requested"))["s"]
        assert project.support_requested == requested > 0
        assert not project.fundings.filter(requested__lte=0).exists()
        assert not project.end_date or project.end_date >= project.start_date
    else:
        assert after == before


@pytest.fixture
def running_project(staff, reviewer, world):
    """One running project: examples pile payments onto it, towards the cap."""
    plan, establishment = world
    return running(staff, reviewer, plan, establishment)


@SWEEP
@given(amount=numbers, day=dates, voucher=texts, kind=st.sampled_from(
    ["advance", "payment", "settlement", "refund", "", "x"]
))  # fmt: skip
def test_the_disbursement_form_never_errors_or_pays_beyond_approval(
    as_user, staff, running_project, amount, day, voucher, kind
):
    project = running_project
    rows = Disbursement.objects.filter(funding__project=project)
    before = rows.count()
    response = as_user(staff).post(
        reverse("money:disbursement_add", args=[project.pk]),
        {
            "funding": project.fundings.get().pk,
            "kind": kind,
            "amount": amount,
            "date": day,
            "voucher_no": voucher,
            "note": "",
        },
    )
    # 400: the form answered with its errors.
    assert response.status_code in (302, 400)
    assert rows.count() == before + (1 if response.status_code == 302 else 0)
    paid = rows.aggregate(total=Sum("amount"))["total"] or 0
    assert 0 <= paid <= APPROVED


def draft(plan, establishment, **over) -> dict:
    return {
        "title": "Hỗ trợ máy ép cói",
        "content": ActivityContent.objects.get(code=4).pk,
        "implementing_unit": "Trung tâm Khuyến công",
        "beneficiaries": [establishment.pk],
        "total_cost": "300000000",
        "counterpart": "200000000",
        "other_sources": "0",
        "target_machines": "1",
        "target_trainees": "0",
        "target_products": "0",
        "baseline_jobs": "0",
        "fundings-TOTAL_FORMS": "1",
        "fundings-INITIAL_FORMS": "0",
        "fundings-MIN_NUM_FORMS": "0",
        "fundings-MAX_NUM_FORMS": "2",
        "fundings-0-plan": plan.pk,
        "fundings-0-requested": "100000000",
        **over,
    }


def test_decomposed_vietnamese_is_stored_composed(as_user, staff, world):
    title = "Hỗ trợ máy ép cói Nga Sơn"
    response = as_user(staff).post(
        reverse("projects:create"),
        draft(*world, title=unicodedata.normalize("NFD", title)),
    )
    assert response.status_code == 302
    assert Project.objects.get().title == title


def test_a_funding_row_asking_for_nothing_is_refused(as_user, staff, world):
    response = as_user(staff).post(
        reverse("projects:create"), draft(*world, **{"fundings-0-requested": "0"})
    )
    assert response.status_code == 200
    assert "Số tiền đề nghị hỗ trợ phải lớn hơn 0" in response.content.decode()
    assert not Project.objects.exists()
