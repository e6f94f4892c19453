"""'Lập đề án' on an establishment's page opens a draft with it as the
beneficiary and its commune as the place (issue 17)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_staff_start_a_draft_from_the_establishment(as_user, staff, establishment):
    client = as_user(staff)
    page = client.get(
        reverse("enterprises:establishment_detail", args=[establishment.pk])
    ).content.decode()
    link = f"{reverse('projects:create')}?co-so={establishment.pk}"
    assert f'href="{link}"' in page
    form = client.get(link).context["form"]
    assert list(form.initial["beneficiaries"]) == [establishment.pk]
    assert form.initial["commune"] == establishment.commune_id


def test_readers_are_not_offered_the_draft(as_user, manager, establishment):
    page = (
        as_user(manager)
        .get(reverse("enterprises:establishment_detail", args=[establishment.pk]))
        .content.decode()
    )
    assert "co-so=" not in page
