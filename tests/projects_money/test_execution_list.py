"""The execution list filters, pages and totals like the project list, and
shows no approved amount on a cancelled project (issue 17)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from projects import services
from projects.models import DisbursementKind
from tests.builders import decision, make_plan, pay, running

pytestmark = pytest.mark.django_db

LIST = reverse("money:list")


def test_it_filters_totals_and_hides_a_cancelled_approval(
    staff, reviewer, manager, establishment, as_user
):
    kept = running(staff, reviewer, make_plan("KCDP", year=2030), establishment)
    pay(kept, staff, 10_000_000, kind=DisbursementKind.ADVANCE)
    dropped = running(staff, reviewer, make_plan("KCDP", year=2031), establishment)
    services.project_cancel(
        project=dropped, by=reviewer, reason="Cơ sở giải thể", **decision(dropped)
    )
    dropped.refresh_from_db()
    client = as_user(manager)

    page = client.get(LIST).content.decode()
    row = page[page.index(dropped.code) :].split("</tr>")[0]
    cells = row.split("</a>", 1)[1].split("</td>")
    assert "Đã hủy" in cells[2]
    assert "—" in cells[3] and not re.search(r"\d đ", cells[3])
    totals = page[page.index('data-testid="totals"') :]
    approved = kept.fundings.get().approved
    assert f"{approved:,}".replace(",", ".") + " đ" in totals
    assert "10.000.000 đ" in totals

    only = client.get(LIST, {"q": kept.code.lower()}).content.decode()
    assert kept.code in only and dropped.code not in only
