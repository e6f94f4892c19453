"""Backup and restore of the database and the uploaded files, in one archive.

PostgreSQL goes through pg_dump/pg_restore (custom format); the embedded SQLite
file through SQLite's online backup API. MEDIA_ROOT travels as a tar member, so
attachments and generated reports come back with the records that name them.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)]
    if db["USER"]:
        args += ["-U", db["USER"]]
    env = {**os.environ}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]}: {result.stderr.strip()[:500]}")


def backup_create(*, output: Path, alias: str = "default") -> Path:
    """Write <output> (a .tar.gz) holding the database dump and MEDIA_ROOT."""
    db = connections[alias].settings_dict
    vendor = connections[alias].vendor
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database.dump"
        if vendor == "postgresql":
            args, env = _pg_env(db)
            _run(["pg_dump", *args, "-Fc", "-f", str(dump), db["NAME"]], env)
        elif vendor == "sqlite":
            src = sqlite3.connect(db["NAME"])
            dst = sqlite3.connect(dump)
            with dst:
                src.backup(dst)
            src.close()
            dst.close()
        else:
            raise BackupError(f"unsupported database: {vendor}")
        meta = {
            "format": FORMAT_VERSION,
            "vendor": vendor,
            "created": timezone.now().isoformat(),
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(output, "w:gz") as tar:
            data = json.dumps(meta).encode()
            info = tarfile.TarInfo("meta.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname="database.dump")
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname="media")
    return output


def backup_restore(*, archive: Path, alias: str = "default") -> None:
    """Replace the database and MEDIA_ROOT by the archive's content."""
    db = connections[alias].settings_dict
    vendor = connections[alias].vendor
    with tempfile.TemporaryDirectory() as tmp:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"không đọc được tệp sao lưu: {exc}") from exc
        meta_path = Path(tmp) / "meta.json"
        if not meta_path.exists():
            raise BackupError("tệp sao lưu thiếu meta.json")
        meta = json.loads(meta_path.read_text())
        if meta.get("vendor") != vendor:
            source = meta.get("vendor")
            raise BackupError(
                f"bản sao lưu của {source} không khôi phục được vào {vendor}"
            )
        dump = Path(tmp) / "database.dump"
        connections[alias].close()
        if vendor == "postgresql":
            args, env = _pg_env(db)
            _run(
                [
                    "pg_restore",
                    *args,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "-d",
                    db["NAME"],
                    str(dump),
                ],
                env,
            )
        else:
            src = sqlite3.connect(dump)
            dst = sqlite3.connect(db["NAME"])
            with dst:
                src.backup(dst)
            src.close()
            dst.close()
        media = Path(settings.MEDIA_ROOT)
        restored = Path(tmp) / "media"
        if media.exists():
            shutil.rmtree(media)
        if restored.exists():
            shutil.copytree(restored, media)
        else:
            media.mkdir(parents=True, exist_ok=True)
