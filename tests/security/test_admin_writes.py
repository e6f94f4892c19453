"""The admin never writes a lifecycle or money field.

An outside attack saved a rejected project as approved with an invented
decision number, and rewrote a disbursement's voucher number, through
django-simple-history's "revert to this version" page: it saves whatever it is
posted with the view permission alone. Here an administrator (and a superuser)
posts to every admin add, change, delete, history and version URL of the
protected models, with data that would be accepted if saved, and nothing
changes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.forms.models import model_to_dict
from django.urls import reverse

from projects.models import (
    Acceptance,
    Disbursement,
    EquipmentInvestment,
    Inspection,
    ProgressUpdate,
    Project,
    Status,
)
from tests.builders import advance, machine, make_project, pay, running

pytestmark = pytest.mark.django_db

PROTECTED = [
    Project,
    Disbursement,
    EquipmentInvestment,
    Inspection,
    ProgressUpdate,
    Acceptance,
]

# What an attacker would change each record into.
TAMPERED = {
    "status": Status.APPROVED,
    "decision_no": "999/QĐ-UBND",
    "decision_date": "2026-03-20",
    "voucher_no": "PC-GIA",
    "amount": "999000000",
    "supported": "999000000",
    "progress_percent": "100",
    "findings": "Đã sửa qua trang quản trị",
    "machines_achieved": "99",
}


@pytest.fixture
def records(staff, reviewer, local_plan, establishment):
    """One record of every protected model, as the portal makes them."""
    rejected = make_project(
        staff, {local_plan: 50_000_000}, beneficiaries=[establishment]
    )
    advance(rejected, Status.REJECTED, staff=staff, reviewer=reviewer)
    project = running(staff, reviewer, local_plan, establishment)
    pay(project, staff, 30_000_000, voucher_no="PC-01")
    machine(project, staff)
    Inspection.objects.create(
        project=project,
        planned_date=dt.date(2026, 6, 1),
        actual_date=dt.date(2026, 6, 2),
        progress_percent=40,
        recorded_by=staff,
    )
    ProgressUpdate.objects.create(
        project=project, date=dt.date(2026, 6, 3), progress_percent=45, by=staff
    )
    accepted = running(staff, reviewer, local_plan, establishment)
    advance(accepted, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    return rejected


def snapshot() -> dict:
    """Every field of every protected row, and how many versions each has."""
    return {
        model.__name__: (
            {obj.pk: model_to_dict(obj) for obj in model.objects.all()},
            model.history.count(),
        )
        for model in PROTECTED
    }


def form_data(obj) -> dict[str, str]:
    """The record's own fields as a form would post them, then tampered with."""
    data = {}
    for name, value in model_to_dict(obj).items():
        if value is None:
            data[name] = ""
        elif isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, dt.date | Decimal | bool | int):
            data[name] = str(value) if not isinstance(value, bool) else "on"
        else:
            data[name] = str(getattr(value, "pk", value))
    for name, value in TAMPERED.items():
        if name in data:
            data[name] = value
    return data


def admin_urls(obj) -> list[tuple[str, dict]]:
    meta = obj._meta
    prefix = f"admin:{meta.app_label}_{meta.model_name}"
    versions = list(obj.history.values_list("history_id", flat=True))
    tampered = form_data(obj)
    urls = [
        (reverse(f"{prefix}_add"), tampered, 403),
        (reverse(f"{prefix}_change", args=[obj.pk]), tampered, 403),
        (reverse(f"{prefix}_delete", args=[obj.pk]), {"post": "yes"}, 403),
        # The version list only reads: a POST shows it again.
        (reverse(f"{prefix}_history", args=[obj.pk]), tampered, 200),
    ]
    for version in versions:
        url = reverse(f"{prefix}_simple_history", args=[obj.pk, version])
        urls.append((url, tampered, 403))
    return urls


@pytest.fixture(params=["administrator", "superuser"])
def administrator(request, admin_user):
    if request.param == "administrator":
        return admin_user
    return User.objects.create_superuser("root", "root@kc.test", "pw-root")


def test_no_admin_url_writes_a_protected_record(records, administrator, client):
    client.force_login(administrator)
    before = snapshot()
    log_entries = LogEntry.objects.count()
    tried = 0
    for model in PROTECTED:
        for obj in model.objects.all():
            for url, data, expected in admin_urls(obj):
                response = client.post(url, data)
                tried += 1
                assert response.status_code == expected, (url, response.status_code)
    assert tried >= 6 * 5
    assert snapshot() == before
    assert LogEntry.objects.count() == log_entries
    assert records.status == Status.REJECTED


def test_the_history_of_a_protected_record_can_still_be_read(
    records, admin_user, client
):
    client.force_login(admin_user)
    url = reverse("admin:projects_project_history", args=[records.pk])
    assert client.get(url).status_code == 200
    version = records.history.earliest("history_date").history_id
    page = client.get(
        reverse("admin:projects_project_simple_history", args=[records.pk, version])
    )
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
