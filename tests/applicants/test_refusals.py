"""The applicants' services refuse with the one refusal error of the portal,
projects.models.Refused, and say which fields a message is about."""

from __future__ import annotations

import pytest

from applicants import services
from applicants.models import RequestStatus
from projects.models import Refused
from tests.builders import make_establishment, support_request
from tests.factories import make_applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def coso(commune):
    est = make_establishment(commune, "Cơ sở mây tre A", business_registration_no="A")
    return make_applicant("coso-a", est)


def test_a_request_whose_parts_do_not_add_up_is_refused_on_its_field(coso):
    item = support_request(coso)
    item.total_cost += 1
    item.save(update_fields=["total_cost"])
    with pytest.raises(Refused) as refused:
        services.request_submit(request=item, by=coso)
    (parts,) = [m for m in refused.value.messages if "không khớp" in m]
    assert refused.value.fields[parts] == ("total_cost",)
    item.refresh_from_db()
    assert item.status == RequestStatus.DRAFT


def test_only_the_centre_declines_and_a_reason_is_asked_next_to_its_field(coso, staff):
    item = support_request(coso, status=RequestStatus.SUBMITTED, staff=staff)
    with pytest.raises(Refused):
        services.request_decline(request=item, by=coso, reason="Thiếu hồ sơ")
    with pytest.raises(Refused) as refused:
        services.request_decline(request=item, by=staff, reason="  ")
    (message,) = refused.value.messages
    assert refused.value.fields == {message: ("reason",)}
    item.refresh_from_db()
    assert item.status == RequestStatus.SUBMITTED
