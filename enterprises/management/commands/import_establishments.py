"""Import establishments from an xlsx file, as the upload page does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from enterprises.services import establishment_import


class Command(BaseCommand):
    help = (
        "Import establishments from an Excel (.xlsx) file made from the import "
        "template. Writes every row or none; exits non-zero listing the errors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="path of the .xlsx file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check every row and report, but write nothing",
        )

    def handle(self, *args: Any, file: Path, dry_run: bool, **options: Any) -> None:
        # Messages are for the centre's staff: in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            if not file.is_file():
                raise CommandError(f"{file}: không tìm thấy tệp (file not found).")
            with file.open("rb") as handle:
                result = establishment_import(file=handle, dry_run=dry_run)
            if not result.ok:
                raise CommandError("\n".join(str(issue) for issue in result.errors))
            self.stdout.write(result.summary())
