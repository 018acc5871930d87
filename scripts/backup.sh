#!/bin/sh
# Back up PanelHub: the database (pg_dump) and every upload, together, into one tar file.
#   DATABASE_URL=postgres://... [STORAGE_BACKEND=s3 ...] scripts/backup.sh /backups/panelhub-$(date +%F).tar
# Restore with scripts/restore.sh (docs/operations.md).
set -eu
cd "$(dirname "$0")/.."
exec "${PYTHON:-.venv/bin/python}" manage.py backup --to "${1:?give the tar file to write}"
