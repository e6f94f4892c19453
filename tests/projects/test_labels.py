"""Kinds of support read as labels, not as the stored lower-case values
(issue 17)."""

from __future__ import annotations

import pytest

from projects.forms.projects import ProjectForm
from projects.models import Project

pytestmark = pytest.mark.django_db


def test_kinds_of_support_are_offered_with_a_capital_and_saved_as_the_rule_has_them():
    choices = {
        value: label
        for _group, options in ProjectForm().fields["support_variant"].choices[1:]
        for value, label in options
    }
    assert choices["dây chuyền công nghệ"] == "Dây chuyền công nghệ"
    assert all(label[:1].isupper() for label in choices.values())


def test_the_project_page_shows_the_kind_of_support_as_a_label(
    as_user, local_project, staff
):
    Project.objects.filter(pk=local_project.pk).update(
        support_variant="dây chuyền công nghệ"
    )
    page = as_user(staff).get(local_project.get_absolute_url()).content.decode()
    assert "— Dây chuyền công nghệ" in page
