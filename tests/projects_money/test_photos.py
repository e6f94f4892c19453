"""Photos: content-checked, size-limited, private, served to readers only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects import services
from projects.models import ExecutionPhoto, Refused, Status
from tests.builders import advance, machine
from tests.factories import png


@pytest.fixture(autouse=True)
def english():
    yield


def add_url(project) -> str:
    return reverse("money:photo_add", args=[project.pk])


def test_staff_upload_a_photo_readers_get_it_others_do_not(
    project, staff, manager, nobody, as_user, settings
):
    row = machine(project, staff)
    upload = png()
    response = as_user(staff).post(
        add_url(project),
        {"image": upload, "caption": "Máy sau lắp đặt", "equipment": row.pk},
    )
    assert response.status_code == 302, response.content.decode()
    photo = ExecutionPhoto.objects.get()
    assert photo.image.name.startswith(f"execution/{project.pk}/")
    assert "may.png" not in photo.image.name
    url = reverse("money:photo", args=[project.pk, photo.pk])
    response = as_user(manager).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert as_user(nobody).get(url).status_code == 403
    # No public route serves the media folder.
    assert (
        as_user(manager).get(settings.MEDIA_URL + photo.image.name).status_code == 404
    )


def test_a_file_that_is_not_an_image_is_refused(project, staff, as_user):
    fake = SimpleUploadedFile("hoa-don.png", b"%PDF-1.4 not an image")
    response = as_user(staff).post(add_url(project), {"image": fake})
    assert response.status_code == 400
    assert not ExecutionPhoto.objects.exists()


def test_a_photo_above_the_size_limit_is_refused(project, staff, as_user, settings):
    settings.PHOTO_MAX_BYTES = 100
    response = as_user(staff).post(add_url(project), {"image": png(size=(64, 64))})
    assert response.status_code == 400
    assert not ExecutionPhoto.objects.exists()


def test_no_photo_is_added_or_deleted_after_settlement(project, staff, reviewer):
    photo = ExecutionPhoto(project=project, uploaded_by=staff, image=png())
    photo.save()
    advance(project, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    services.project_settle(
        project=project,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=dt.date(2026, 12, 1),
        voucher_no="PC-QT-01",
        settled={"KCDP": 0},
    )
    with pytest.raises(Refused):
        ExecutionPhoto(project=project, uploaded_by=staff, image=png()).save()
    with pytest.raises(Refused):
        photo.delete()
    assert ExecutionPhoto.objects.count() == 1
