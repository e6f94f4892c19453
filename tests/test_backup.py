"""Backup and restore bring back the records and the uploaded files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from enterprises.models import Commune, Sector

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_then_restore_brings_back_rows_and_media(tmp_path: Path):
    if connection.vendor != "postgresql":
        pytest.skip("sao lưu/khôi phục kiểm thử trên PostgreSQL (pg_dump/pg_restore)")
    Sector.objects.create(code="T1", name="Ngành thử sao lưu")
    media = Path(settings.MEDIA_ROOT)
    (media / "attachments").mkdir(parents=True, exist_ok=True)
    (media / "attachments" / "quyet-dinh.pdf").write_bytes(b"%PDF-1.4 test")
    archive = tmp_path / "kc.tar.gz"
    call_command("backup", output=archive)

    Sector.objects.filter(code="T1").delete()
    Commune.objects.filter(province_id=38).update(region="coastal")
    (media / "attachments" / "quyet-dinh.pdf").unlink()
    (media / "stray.txt").write_text("written after the backup")

    call_command("restore", archive, yes=True)

    assert Sector.objects.filter(code="T1", name="Ngành thử sao lưu").exists()
    assert not Commune.objects.filter(region="coastal").exists()
    assert (media / "attachments" / "quyet-dinh.pdf").read_bytes() == b"%PDF-1.4 test"
    assert not (media / "stray.txt").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tar archive")
    with pytest.raises(CommandError, match="Khôi phục thất bại"):
        call_command("restore", bogus, yes=True)
