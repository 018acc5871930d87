"""manage.py backup --to FILE: the database (pg_dump) and every upload, in one tar."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from panels.backup import backup


class Command(BaseCommand):
    help = "Back up the database and the uploads together into one tar file."

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, help="The tar file to write.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Backups need PostgreSQL (DATABASE_URL=postgres://...).")
        target = Path(options["to"])
        manifest = backup(
            settings_dict=connection.settings_dict, storage=default_storage, to=target
        )
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"Backed up {len(manifest['row_counts'])} tables ({rows} rows) and "
            f"{len(manifest['files'])} files to {target}"
        )
