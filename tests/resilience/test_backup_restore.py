"""Backup and restore (issue 14, item 6): the database and the uploads go into one tar
and come back together into a fresh database and an empty storage, row for row and file
for file (real PostgreSQL: pg_dump and pg_restore)."""

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.management import call_command
from django.db import connection

from panels.backup import _conninfo, backup, restore, row_counts
from panels.models import Panel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fresh_database():
    """An empty database beside the test one, dropped afterwards."""
    settings_dict = dict(connection.settings_dict)
    name = f"{settings_dict['NAME']}_restore"
    admin = _conninfo({**settings_dict, "NAME": "postgres"})
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield {**settings_dict, "NAME": name}
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_row_for_row_and_file_for_file(
    tenant_a, tenant_b, fresh_database, tmp_path
):
    Panel.objects.create(organisation=tenant_a.org, slug="second", name="Second Panel")
    # Its own storage: the test process's media folder holds other tests' files.
    source = InMemoryStorage()
    source.save("papers/agenda.pdf", ContentFile(b"%PDF-1.4 agenda"))
    source.save("receipts/2026/bus.png", ContentFile(b"\x89PNG receipt"))
    archive = tmp_path / "panelhub.tar"
    manifest = backup(settings_dict=connection.settings_dict, storage=source, to=archive)
    assert manifest["row_counts"]["panels_panel"] == 3
    assert manifest["files"] == ["papers/agenda.pdf", "receipts/2026/bus.png"]

    empty = InMemoryStorage()
    result = restore(archive=archive, settings_dict=fresh_database, storage=empty)
    assert result.ok, result.differences
    assert result.files_restored == 2
    assert row_counts(fresh_database) == row_counts(connection.settings_dict)
    assert empty.open("receipts/2026/bus.png").read() == b"\x89PNG receipt"


def test_restore_refuses_a_database_that_is_not_empty(tenant_a, tmp_path):
    archive = tmp_path / "panelhub.tar"
    backup(settings_dict=connection.settings_dict, storage=default_storage, to=archive)
    with pytest.raises(ValueError, match="is not empty: restore into a new one"):
        restore(archive=archive, settings_dict=connection.settings_dict, storage=InMemoryStorage())


def test_the_commands_back_up_and_say_what_they_did(tenant_a, tmp_path, capsys):
    archive = tmp_path / "b.tar"
    call_command("backup", to=str(archive))
    assert "Backed up" in capsys.readouterr().out and archive.exists()
