"""Execution and money records appear where people look for them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.builders import machine

pytestmark = pytest.mark.django_db


def test_the_project_page_leads_to_execution_and_to_the_acceptance_page(
    project, staff, as_user
):
    body = as_user(staff).get(project.get_absolute_url()).content.decode()
    assert reverse("money:project", args=[project.pk]) in body
    # Acceptance needs outputs and impact figures: its own page, not a bare form.
    assert 'data-testid="accept-link"' in body
    assert reverse("money:acceptance", args=[project.pk]) in body
    assert 'data-action="accept"' not in body


def test_the_execution_page_leads_back_to_the_project_page(project, staff, as_user):
    """Settlement is a step on the project page, after acceptance is recorded
    here: the way back must be a link, not the navigation bar."""
    url = reverse("money:project", args=[project.pk])
    body = as_user(staff).get(url).content.decode()
    assert f'<a href="{project.get_absolute_url()}">{project.code}</a>' in body


def test_the_establishment_page_lists_its_supported_machines(
    project, staff, manager, as_user, django_assert_max_num_queries
):
    machine(project, staff, serials=("TH-2026-001",), item="Máy chà nhám")
    establishment = project.beneficiaries.get()
    url = reverse("enterprises:establishment_detail", args=[establishment.pk])
    client = as_user(manager)
    with django_assert_max_num_queries(16):
        body = client.get(url).content.decode()
    assert "Máy chà nhám" in body and project.code in body
