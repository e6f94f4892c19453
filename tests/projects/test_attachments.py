"""Project documents: real type checked by content, size limit, random stored
names, served only to users who may see the project."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects import attachments
from projects.models import Attachment
from tests.builders import SUBMIT_DAY

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(client, project, name: str, content: bytes, kind: str = "proposal"):
    return client.post(
        reverse("projects:attach", args=[project.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_staff_attach_a_pdf_stored_under_a_random_name(as_user, staff, local_project):
    response = upload(as_user(staff), local_project, "thuyet minh.pdf", PDF_BYTES)
    assert "Đã thêm tài liệu" in response.content.decode()
    document = Attachment.objects.get()
    assert document.original_name == "thuyet minh.pdf"
    assert document.content_type == "application/pdf"
    stored = Path(document.file.name)
    assert "thuyet" not in stored.name and stored.suffix == ".pdf"
    assert len(stored.stem) == 32


def test_a_docx_is_recognised_by_its_content(as_user, staff, local_project):
    upload(as_user(staff), local_project, "du-toan.bin", docx_bytes())
    assert Attachment.objects.get().extension == ".docx"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00 this is a Windows program"),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("archive.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_a_file_whose_content_is_not_allowed_is_refused(
    as_user, staff, local_project, name, content
):
    response = upload(as_user(staff), local_project, name, content)
    assert "Chỉ chấp nhận" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_above_the_limit_is_refused(as_user, staff, local_project, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_BYTES", 10)
    upload(as_user(staff), local_project, "big.pdf", PDF_BYTES)
    assert not Attachment.objects.exists()


def test_documents_are_served_only_to_who_may_see_the_project(
    as_user, staff, reviewer, nobody, local_project
):
    upload(as_user(staff), local_project, "thuyet minh.pdf", PDF_BYTES)
    url = Attachment.objects.get().get_absolute_url()
    response = as_user(staff).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment;" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    # A draft is not visible to the Sở yet, nor to a user without a role.
    assert as_user(reviewer).get(url).status_code == 404
    assert as_user(nobody).get(url).status_code == 404
    from projects import services

    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    assert as_user(reviewer).get(url).status_code == 200


def test_a_manager_cannot_add_documents(as_user, manager, local_project):
    upload(as_user(manager), local_project, "x.pdf", PDF_BYTES)
    assert not Attachment.objects.exists()


def test_media_files_have_no_public_url(client, staff, local_project, as_user):
    upload(as_user(staff), local_project, "thuyet minh.pdf", PDF_BYTES)
    document = Attachment.objects.get()
    client.logout()
    assert client.get("/media/" + document.file.name).status_code == 404
