from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khuyencong.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore the database and uploaded files from a backup archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="do not ask for confirmation"
        )

    def handle(self, *args, archive: Path, yes: bool = False, **options) -> None:
        if not archive.exists():
            raise CommandError(f"Không tìm thấy tệp {archive}")
        if not yes:
            answer = input(
                "Khôi phục sẽ thay thế toàn bộ dữ liệu hiện có. Gõ 'yes' để tiếp tục: "
            )
            if answer.strip() != "yes":
                raise CommandError("Đã hủy khôi phục.")
        try:
            backup_restore(archive=archive)
        except BackupError as exc:
            raise CommandError(f"Khôi phục thất bại: {exc}") from exc
        self.stdout.write(f"Đã khôi phục từ {archive}")
