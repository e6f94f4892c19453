"""The registry sees the projects that reached an establishment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enterprises.models import SUPPORTED_PROJECT_STATUSES, Establishment
from projects.models import COMMITTED_STATUSES
from tests.builders import advance, make_establishment, make_project

pytestmark = pytest.mark.django_db


def test_supported_statuses_match_the_projects_committed_statuses():
    assert set(SUPPORTED_PROJECT_STATUSES) == {str(s) for s in COMMITTED_STATUSES}


def test_the_list_filters_supported_establishments(
    staff, reviewer, local_plan, commune, as_user
):
    helped = make_establishment(
        commune, "Cơ sở được hỗ trợ", business_registration_no="A1"
    )
    drafted = make_establishment(
        commune, "Cơ sở mới lập đề án", business_registration_no="A2"
    )
    never = make_establishment(
        commune, "Cơ sở chưa có đề án", business_registration_no="A3"
    )
    for e in (helped, drafted, never):
        e.refresh_search_text()
        e.save()
    project = make_project(staff, {local_plan: 100_000_000}, beneficiaries=[helped])
    advance(project, "approved", staff=staff, reviewer=reviewer)
    make_project(staff, {local_plan: 90_000_000}, beneficiaries=[drafted])

    assert list(Establishment.objects.supported()) == [helped]
    assert set(Establishment.objects.supported(False)) == {drafted, never}

    client = as_user(staff)
    url = reverse("enterprises:establishment_list")
    yes = client.get(url, {"supported": "true"}).content.decode()
    no = client.get(url, {"supported": "false"}).content.decode()
    assert "Cơ sở được hỗ trợ" in yes and "Cơ sở chưa có đề án" not in yes
    assert "Cơ sở được hỗ trợ" not in no and "Cơ sở mới lập đề án" in no


def test_the_establishment_page_lists_its_projects_and_support(
    staff, reviewer, local_plan, commune, as_user, django_assert_max_num_queries
):
    helped = make_establishment(
        commune, "Cơ sở mộc Thọ Xuân", business_registration_no="B1"
    )
    other = make_establishment(commune, "Cơ sở khác", business_registration_no="B2")
    sole = make_project(
        staff, {local_plan: 100_000_000}, beneficiaries=[helped], title="Máy bào gỗ"
    )
    advance(sole, "approved", staff=staff, reviewer=reviewer)
    group = make_project(
        staff, {local_plan: 150_000_000}, beneficiaries=[helped, other], title="Nhóm"
    )
    advance(group, "approved", staff=staff, reviewer=reviewer)
    make_project(staff, {local_plan: 80_000_000}, beneficiaries=[helped], title="Nháp")

    url = reverse("enterprises:establishment_detail", args=[helped.pk])
    client = as_user(staff)
    # 13: the page also reads the eligibility rule in force today.
    with django_assert_max_num_queries(13):
        body = client.get(url).content.decode()
    assert 'data-testid="total-support">100.000.000 đ<' in body
    assert "Máy bào gỗ" in body and "Nhóm" in body and "Nháp" in body
    assert "1 đề án nhóm" in body
    # The Sở does not see the centre's drafts, here either.
    reviewer_body = as_user(reviewer).get(url).content.decode()
    assert "Máy bào gỗ" in reviewer_body and "Nháp" not in reviewer_body
