"""manage.py restore FILE: load a backup into an empty database and the storage, then
compare every table's row count and every file with the backup's manifest."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from panels.backup import restore


class Command(BaseCommand):
    help = "Restore a backup (manage.py backup) into an empty database and the storage."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The tar file written by manage.py backup.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Restores need PostgreSQL (DATABASE_URL=postgres://...).")
        connection.close()  # pg_restore and the checks use their own connections
        try:
            result = restore(
                archive=Path(options["archive"]),
                settings_dict=connection.settings_dict,
                storage=default_storage,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        tables = len(result.manifest["row_counts"])
        self.stdout.write(f"Restored {tables} tables and {result.files_restored} files.")
        if not result.ok:
            raise CommandError("Differences from the backup:\n" + "\n".join(result.differences))
        self.stdout.write("Every table's row count and every file match the backup.")
