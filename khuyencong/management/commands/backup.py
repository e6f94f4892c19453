from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from khuyencong.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and uploaded files into one .tar.gz archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="archive path (default: var/backups/khuyencong-<time>.tar.gz)",
        )

    def handle(self, *args, output: Path | None = None, **options) -> None:
        if output is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = Path("var/backups") / f"khuyencong-{stamp}.tar.gz"
        try:
            path = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(f"Sao lưu thất bại: {exc}") from exc
        self.stdout.write(f"Đã sao lưu vào {path}")
