"""A money form sent twice records one row; a voucher number is used once.

The outside attack double-submitted the disbursement form 8 times out of 8
and got two rows each time. The form now carries a one-time token, checked
under the project row lock; voucher numbers are unique per project and source.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from projects.models import Disbursement, DisbursementKind, Refused
from tests.builders import funding_of, pay, run_together

pytestmark = pytest.mark.django_db

ADD = "money:disbursement_add"


def money_post(project, **over) -> dict:
    data = {
        "funding": project.fundings.get().pk,
        "kind": "payment",
        "amount": "10000000",
        "date": "2026-05-10",
        "voucher_no": "PC-10",
        "note": "",
    }
    data.update(over)
    return data


def token_from(page: str) -> str:
    return re.search(r'name="form_token" value="([0-9a-f-]+)"', page).group(1)


def test_the_same_form_sent_twice_records_one_row_and_shows_it(project, staff, as_user):
    client = as_user(staff)
    add = reverse(ADD, args=[project.pk])
    data = money_post(project, form_token=token_from(client.get(add).content.decode()))
    first = client.post(add, data)
    second = client.post(add, data, follow=True)
    assert first.status_code == 302
    row = Disbursement.objects.get()
    assert second.redirect_chain[-1][0].endswith(f"#disbursement-{row.pk}")
    page = second.content.decode()
    assert "gửi hai lần" in page
    assert f'id="disbursement-{row.pk}"' in page
    assert Disbursement.objects.count() == 1


def test_each_new_form_gets_its_own_token(project, staff, as_user):
    client = as_user(staff)
    add = reverse(ADD, args=[project.pk])
    first = token_from(client.get(add).content.decode())
    assert token_from(client.get(add).content.decode()) != first


def test_a_voucher_number_already_recorded_is_refused_in_vietnamese(
    project, staff, as_user
):
    pay(project, staff, 10_000_000, voucher_no="PC-10")
    response = as_user(staff).post(
        reverse(ADD, args=[project.pk]), money_post(project, voucher_no="PC-10")
    )
    assert response.status_code == 400
    assert "Chứng từ PC-10 đã được ghi cho nguồn KCĐP" in response.content.decode()
    assert Disbursement.objects.count() == 1


def test_a_scripted_write_with_a_used_voucher_is_refused_too(project, staff):
    pay(project, staff, 10_000_000, voucher_no="PC-10")
    with pytest.raises(Refused, match="PC-10"):
        pay(project, staff, 5_000_000, voucher_no="PC-10")
    assert Disbursement.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locks (set DATABASE_URL); SQLite serialises writers",
)
def test_two_identical_posts_at_the_same_moment_record_one_row(project, staff):
    add = reverse(ADD, args=[project.pk])
    form = Client()
    form.force_login(staff)
    data = money_post(project, form_token=token_from(form.get(add).content.decode()))

    def post():
        client = Client()
        client.force_login(staff)
        return client.post(add, data).status_code

    outcomes = run_together(post, post)
    assert outcomes == [302, 302], outcomes
    assert Disbursement.objects.count() == 1
    assert funding_of(project).disbursements.totals()["paid"] == 10_000_000


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locks (set DATABASE_URL); SQLite serialises writers",
)
def test_two_writes_with_one_voucher_at_the_same_moment_make_one(project, staff):
    funding = funding_of(project)

    def write():
        row = Disbursement(
            funding_id=funding.pk,
            kind=DisbursementKind.PAYMENT,
            amount=1_000_000,
            date=dt.date(2026, 5, 10),
            voucher_no="PC-77",
            recorded_by_id=staff.pk,
        )
        row.save()
        return row

    outcomes = run_together(write, write)
    assert sum(isinstance(o, Disbursement) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, Refused) for o in outcomes) == 1, outcomes
