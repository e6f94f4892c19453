"""Checks for uploaded archives before any parser opens them.

An xlsx (or docx, or zip attachment) is a zip archive. A hostile one can be
tiny on the wire and expand to gigabytes (a "zip bomb"), or be malformed so
that the parser fails deep inside; both are refused here, from the archive's
central directory alone, without decompressing anything.
"""

from __future__ import annotations

import zipfile
from typing import IO

from django.utils.translation import gettext as _

# Real spreadsheets compress text about 5-20x; 100x only comes from padding.
MAX_RATIO = 100
MAX_ENTRIES = 10_000
MAX_EXPANDED_BYTES = 300 * 1024 * 1024
# The ratio is also checked per part: a bomb hidden beside an incompressible
# padding part passes the whole archive's ratio. Tiny parts may compress far
# better than real text without harm, so only parts above this are checked.
PART_RATIO_FROM_BYTES = 1024 * 1024


class UnsafeArchive(Exception):
    """The archive is malformed or would expand beyond reason; message for users."""


def check_zip(file: IO[bytes]) -> None:
    position = file.tell()
    try:
        try:
            archive = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UnsafeArchive(_("The file is damaged and cannot be opened.")) from exc
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise UnsafeArchive(_("The file holds too many parts to be a document."))
        expanded = sum(e.file_size for e in entries)
        compressed = sum(e.compress_size for e in entries) or 1
        padded = any(
            e.file_size > PART_RATIO_FROM_BYTES
            and e.file_size / max(e.compress_size, 1) > MAX_RATIO
            for e in entries
        )
        if expanded > MAX_EXPANDED_BYTES or expanded / compressed > MAX_RATIO or padded:
            raise UnsafeArchive(
                _(
                    "The file would expand to %(size)s MB when opened; it is "
                    "refused as unsafe."
                )
                % {"size": expanded // (1024 * 1024)}
            )
    finally:
        file.seek(position)
