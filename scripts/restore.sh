#!/bin/sh
# Restore a PanelHub backup into an EMPTY database (createdb first) and the storage, then
# check every table's row count and every file against the backup.
#   createdb panelhub_restored
#   DATABASE_URL=postgres://.../panelhub_restored scripts/restore.sh /backups/panelhub-2026-11-30.tar
set -eu
cd "$(dirname "$0")/.."
exec "${PYTHON:-.venv/bin/python}" manage.py restore "${1:?give the backup tar file}"
