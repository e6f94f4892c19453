"""The centre manages the accounts of an establishment: it sees them, closes
and reopens one, and adds another account for the same establishment, whose
owner sets a password through the link mailed to it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from applicants.models import ApplicantLink
from tests.builders import support_request

pytestmark = pytest.mark.django_db

PASSWORD = "mây-tre-2026!"


def test_staff_see_the_accounts_of_an_establishment(client, staff, coso_a, est_a):
    client.force_login(staff)
    index = client.get(reverse("applicants:staff_accounts")).content.decode()
    assert "Cơ sở mây tre A" in index and "1 trên 1 tài khoản đang mở" in index
    page = client.get(reverse("applicants:establishment_accounts", args=[est_a.pk]))
    assert coso_a.email in page.content.decode()


def test_a_closed_account_cannot_log_in_until_reopened(client, staff, coso_a):
    coso_a.set_password(PASSWORD)
    coso_a.save()
    link = coso_a.applicant_link
    client.force_login(staff)
    url = reverse("applicants:account_active", args=[link.pk])
    client.post(url, {"active": "0"})
    coso_a.refresh_from_db()
    assert not coso_a.is_active
    client.logout()
    client.post(reverse("login"), {"username": coso_a.username, "password": PASSWORD})
    assert client.get(reverse("applicants:home")).status_code == 302

    client.force_login(staff)
    client.post(url, {"active": "1"})
    coso_a.refresh_from_db()
    assert coso_a.is_active
    client.logout()
    client.post(reverse("login"), {"username": coso_a.username, "password": PASSWORD})
    assert client.get(reverse("applicants:home")).status_code == 200


def test_an_unconfirmed_account_is_not_opened_by_staff(client, staff, est_a):
    from applicants.services import applicant_sign_up

    link = applicant_sign_up(
        email="chua@example.vn",
        password=PASSWORD,
        claimed_code="HKD-A",
        claimed_name="A",
        phone="0912345678",
    )
    link.establishment = est_a
    link.save()
    client.force_login(staff)
    client.post(reverse("applicants:account_active", args=[link.pk]), {"active": "1"})
    link.user.refresh_from_db()
    assert not link.user.is_active


def test_staff_add_a_second_account_that_sets_its_password(
    client, staff, coso_a, est_a
):
    item = support_request(coso_a)
    client.force_login(staff)
    add = reverse("applicants:account_add", args=[est_a.pk])
    bad = client.post(add, {"email": coso_a.email, "phone": "0912345678"})
    assert bad.status_code == 400
    assert "email" in bad.context["form"].errors
    client.post(add, {"email": "Ke.Toan@Example.vn", "phone": "0912 000 111"})
    link = ApplicantLink.objects.get(user__username="ke.toan@example.vn")
    assert link.establishment == est_a and link.may_file
    assert "mật khẩu" in mail.outbox[-1].body

    client.logout()
    url = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    form = client.get(url, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    client.post(
        reverse("login"), {"username": "ke.toan@example.vn", "password": PASSWORD}
    )
    # The colleague sees the establishment's request.
    page = client.get(reverse("applicants:request_edit", args=[item.pk]))
    assert page.status_code == 200


def test_applicants_do_not_manage_accounts(client, coso_a, coso_b, est_b):
    client.force_login(coso_a)
    link_b = coso_b.applicant_link
    assert (
        client.get(
            reverse("applicants:establishment_accounts", args=[est_b.pk])
        ).status_code
        == 403
    )
    client.post(reverse("applicants:account_active", args=[link_b.pk]), {"active": "0"})
    coso_b.refresh_from_db()
    assert coso_b.is_active


def test_the_account_pages_pin_their_queries(
    client, staff, est_a, est_b, django_assert_num_queries
):
    from tests.factories import make_applicant

    for n in range(3):
        make_applicant(f"a-{n}", est_a)
        make_applicant(f"b-{n}", est_b)
    client.force_login(staff)
    index = reverse("applicants:staff_accounts")
    page = reverse("applicants:establishment_accounts", args=[est_a.pk])
    client.get(index)
    client.get(page)
    # The same counts for three accounts as for one: no query per row.
    with django_assert_num_queries(7):
        client.get(index)
    with django_assert_num_queries(7):
        response = client.get(page)
    assert len(response.context["links"]) == 3
