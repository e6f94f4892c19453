"""What an uploaded attachment really is, judged by its bytes, not its name."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Largest attachment accepted, in bytes. Scanned proposals and minutes are
# typically a few MiB.
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str


PDF = FileType(".pdf", "application/pdf")
PNG = FileType(".png", "image/png")
JPEG = FileType(".jpg", "image/jpeg")
DOCX = FileType(
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = FileType(
    ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
ODT = FileType(".odt", "application/vnd.oasis.opendocument.text")
ODS = FileType(".ods", "application/vnd.oasis.opendocument.spreadsheet")

ALLOWED = (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS)


def _office_type(upload: UploadedFile) -> FileType | None:
    """A ZIP is accepted only when it is an OOXML or OpenDocument file."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
            if "mimetype" in names:
                kind = archive.read("mimetype").decode("ascii", "replace").strip()
                return {ODT.content_type: ODT, ODS.content_type: ODS}.get(kind)
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        upload.seek(0)
    return None


def sniff(upload: UploadedFile) -> FileType | None:
    """The allowed type the file's content shows, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    return None


def check(upload: UploadedFile) -> FileType:
    """The file's type if it may be stored, else ValidationError saying why."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(max)s.") % {"max": filesizeformat(MAX_BYTES)},
            code="too_large",
        )
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(
            _(
                "Only PDF, Word (.docx), Excel (.xlsx), OpenDocument, JPEG and PNG "
                "files are accepted; this file's content is none of them."
            ),
            code="type",
        )
    return kind
