"""Backup and restore of the database and the uploads together (issue 14, item 6).

A backup is one tar file:

* ``database.dump``: ``pg_dump --format=custom`` of the database;
* ``uploads/<name>``: every file in the default storage (local disk or an S3 bucket,
  read through Django's storage API, so both work alike);
* ``manifest.json``: when, the row count of every table and the list of files, which the
  restore checks its result against.

``restore`` loads the dump into an empty database (``pg_restore --no-owner``) and writes
the files back into the storage, then compares row counts and files with the manifest and
says what differs. Run through ``manage.py backup`` / ``manage.py restore`` or the
wrappers in scripts/ (docs/operations.md).
"""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.core.files.base import ContentFile
from django.core.files.storage import Storage

MANIFEST = "manifest.json"
DUMP = "database.dump"
UPLOADS = "uploads/"


def _pg_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _conninfo(settings_dict: dict) -> str:
    parts = {
        "dbname": settings_dict["NAME"],
        "host": settings_dict.get("HOST") or "",
        "port": settings_dict.get("PORT") or "",
        "user": settings_dict.get("USER") or "",
        "password": settings_dict.get("PASSWORD") or "",
    }
    return " ".join(f"{k}='{v}'" for k, v in parts.items() if v)


def row_counts(settings_dict: dict) -> dict[str, int]:
    """Rows in every table of the public schema."""
    with psycopg.connect(_conninfo(settings_dict)) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from pg_tables)
            counts[table] = cursor.fetchone()[0]
    return counts


def storage_files(storage: Storage, path: str = "") -> list[str]:
    """Every file name in the storage, walked from ``path``."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return []
    names = [f"{path}/{name}" if path else name for name in files]
    for directory in directories:
        names.extend(storage_files(storage, f"{path}/{directory}" if path else directory))
    return sorted(names)


def backup(*, settings_dict: dict, storage: Storage, to: Path) -> dict:
    """Write a backup tar of the database and every stored file; returns its manifest."""
    names = storage_files(storage)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMP
        subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", settings_dict["NAME"]],
            env=_pg_env(settings_dict),
            check=True,
            capture_output=True,
        )
        manifest = {
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": settings_dict["NAME"],
            "row_counts": row_counts(settings_dict),
            "files": names,
        }
        to.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(to, "w") as tar:
            tar.add(dump, arcname=DUMP)
            for name in names:
                with storage.open(name, "rb") as handle:
                    data = handle.read()
                info = tarfile.TarInfo(UPLOADS + name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            encoded = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(encoded)
            tar.addfile(info, io.BytesIO(encoded))
    return manifest


@dataclass
class RestoreResult:
    manifest: dict
    files_restored: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def restore(*, archive: Path, settings_dict: dict, storage: Storage) -> RestoreResult:
    """Load a backup into an empty database and the storage, then check both against the
    manifest (row count of every table, every file)."""
    with tarfile.open(archive, "r") as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
        existing = row_counts(settings_dict)
        if any(existing.values()):
            raise ValueError(
                f"The database {settings_dict['NAME']} is not empty: restore into a new one "
                "(createdb), then point DATABASE_URL at it."
            )
        with tempfile.TemporaryDirectory() as work:
            tar.extract(DUMP, work, filter="data")
            subprocess.run(  # noqa: S603
                [
                    "pg_restore",
                    "--no-owner",
                    "--exit-on-error",
                    f"--dbname={settings_dict['NAME']}",
                    str(Path(work) / DUMP),
                ],
                env=_pg_env(settings_dict),
                check=True,
                capture_output=True,
            )
        result = RestoreResult(manifest=manifest)
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith(UPLOADS):
                continue
            name = member.name[len(UPLOADS) :]
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, ContentFile(tar.extractfile(member).read()))
            if saved != name:
                result.differences.append(f"file {name} was stored as {saved}")
            result.files_restored += 1
    counts = row_counts(settings_dict)
    for table, expected in manifest["row_counts"].items():
        if counts.get(table) != expected:
            result.differences.append(f"{table}: {counts.get(table)} rows, expected {expected}")
    missing = [name for name in manifest["files"] if not storage.exists(name)]
    result.differences.extend(f"file {name} is missing" for name in missing)
    return result
