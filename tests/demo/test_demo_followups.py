"""The demo's follow-ups after support: answered ones and overdue ones, and
one the `coso` account can fill online."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from applicants.models import ApplicantLink
from followups.figures import year_figures
from followups.models import FollowUp


def test_the_demo_has_done_and_overdue_followups():
    counts = FollowUp.objects.state_counts(timezone.localdate())
    assert counts["done"] >= 10
    assert counts["overdue"] >= 3
    # Answered from visits, each with its figures and machines checked.
    for followup in FollowUp.objects.done():
        assert followup.filled_by == "visit" and followup.jobs is not None
        assert not followup.equipment.filter(in_use__isnull=True).exists()
    assert year_figures(2024).followups_done > 0


def test_coso_has_a_followup_to_fill(client):
    link = ApplicantLink.objects.get(user__username="coso")
    mine = FollowUp.objects.filter(establishment=link.establishment).not_done()
    assert mine.exists()
    client.force_login(link.user)
    page = client.get(reverse("followups:mine")).content.decode()
    assert reverse("followups:fill", args=[mine.first().pk]) in page
