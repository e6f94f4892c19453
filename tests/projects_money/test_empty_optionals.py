"""No record can make a page fail: every page of a project renders for every
role when each optional field of its records is empty.

The outside attack added a photo without choosing equipment (the form allows
it, the model allows it) and the project's execution page answered 500 for
every role until the photo was deleted — from that very page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from projects.models import (
    Disbursement,
    DisbursementKind,
    EquipmentInvestment,
    ExecutionPhoto,
    Inspection,
    ProgressUpdate,
)
from reports.models import ReportJob
from reports.services import dossier_request
from tests.builders import funding_of
from tests.factories import png

ROLES = ["staff", "reviewer", "manager", "admin_user"]


@pytest.fixture(autouse=True)
def english():
    yield


@pytest.fixture
def bare(project, staff, as_user):
    """The project with one record of each kind holding only what is required."""
    beneficiary = project.beneficiaries.get()
    equipment = EquipmentInvestment(
        project=project,
        establishment=beneficiary,
        item="Máy sấy",
        quantity=1,
        unit_price=10_000_000,
        supported=5_000_000,
        invoice_date=dt.date(2026, 5, 2),
        recorded_by=staff,
    ).store(serials=[], by=staff)
    Inspection.objects.create(
        project=project, planned_date=dt.date(2026, 7, 1), recorded_by=staff
    )
    ProgressUpdate.objects.create(
        project=project, date=dt.date(2026, 6, 1), progress_percent=10, by=staff
    )
    Disbursement(
        funding=funding_of(project),
        kind=DisbursementKind.PAYMENT,
        amount=1_000_000,
        date=dt.date(2026, 5, 2),
        recorded_by=staff,
    ).save()
    # A photo of nothing in particular, through the page as a user adds it.
    response = as_user(staff).post(
        reverse("money:photo_add", args=[project.pk]), {"image": png()}
    )
    assert response.status_code == 302, response.content.decode()
    photo = ExecutionPhoto.objects.get()
    assert (photo.equipment, photo.inspection, photo.caption) == (None, None, "")
    return project, equipment, photo


def pages(project, equipment, photo) -> list[str]:
    pk = project.pk
    inspection = project.inspections.get()
    disbursement = project.disbursements.get()
    establishment = project.beneficiaries.get()
    return [
        reverse("projects:list"),
        reverse("projects:detail", args=[pk]),
        reverse("projects:edit", args=[pk]),
        reverse("projects:todo"),
        reverse("projects:plans"),
        reverse("money:list"),
        reverse("money:project", args=[pk]),
        reverse("money:history", args=[pk]),
        reverse("money:equipment_edit", args=[pk, equipment.pk]),
        reverse("money:inspection_edit", args=[pk, inspection.pk]),
        reverse("money:disbursement_edit", args=[pk, disbursement.pk]),
        reverse("money:acceptance", args=[pk]),
        reverse("money:photo", args=[pk, photo.pk]),
        reverse("money:overdue"),
        reverse("money:budget"),
        reverse("money:establishment_equipment", args=[establishment.pk]),
        reverse("enterprises:establishment_detail", args=[establishment.pk]),
        reverse("dashboard:dashboard"),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_bare_project_renders(request, bare, as_user, role):
    client = as_user(request.getfixturevalue(role))
    project, equipment, photo = bare
    for url in pages(project, equipment, photo):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
    page = client.get(reverse("money:project", args=[project.pk]))
    assert page.status_code == 200
    assert reverse("money:photo", args=[project.pk, photo.pk]) in page.content.decode()


def test_the_dossier_of_a_bare_project_is_produced(
    bare, manager, in_process, django_capture_on_commit_callbacks
):
    project, _equipment, _photo = bare
    with django_capture_on_commit_callbacks(execute=True):
        job = dossier_request(project=project, requested_by=manager)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
