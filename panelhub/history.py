"""History context: who or what is writing, attached to every history row.

The history itself is written by PostgreSQL triggers (django-pghistory, set up for every
tenant-owned model in panels/history.py). Each row points at a context: the user, page
and address of a request (panels.history.HistoryContextMiddleware), or the Celery task
or management command that wrote it (this module). SQLite has no triggers: there the
context is not set at all (pghistory's statement prefix is PostgreSQL's ``set_config``),
and the history pages say that history needs PostgreSQL.
"""

from __future__ import annotations

import contextlib
import threading
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections


def history_enabled(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True where the database records history (PostgreSQL)."""
    return connections[using].vendor == "postgresql"


def history_context(**metadata):
    """A context manager grouping the writes inside it under one history context with this
    metadata (nested ones add their metadata to the outer one); a no-op on SQLite."""
    if not history_enabled():
        return contextlib.nullcontext()
    import pghistory

    return pghistory.context(**metadata)


def current_context_id() -> uuid.UUID | None:
    """The id of the history context the current code runs in, if any."""
    from pghistory.runtime import _tracker

    value = getattr(_tracker, "value", None)
    return value.id if value is not None else None


class Lazy:
    """A context value worked out only when a write is recorded (so a request that
    writes nothing never loads its user for the history's sake)."""

    def __init__(self, func):
        self.func = func

    def resolve(self):
        return self.func()


class ContextEncoder(DjangoJSONEncoder):
    """pghistory's encoder for context metadata (PGHISTORY_JSON_ENCODER)."""

    def default(self, o):
        if isinstance(o, Lazy):
            return o.resolve()
        return super().default(o)


# --- Celery tasks and management commands ------------------------------------------------

_open = threading.local()


def task_context_enter(task_id: str, task_name: str) -> None:
    """Open a history context for one Celery task (celery's task_prerun signal)."""
    manager = history_context(task=task_name, task_id=task_id)
    manager.__enter__()
    stack = getattr(_open, "tasks", None)
    if stack is None:
        stack = _open.tasks = {}
    stack[task_id] = manager


def task_context_exit(task_id: str) -> None:
    """Close the task's history context (celery's task_postrun signal)."""
    manager = getattr(_open, "tasks", {}).pop(task_id, None)
    if manager is not None:
        manager.__exit__(None, None, None)


def command_context(argv: list[str]):
    """The history context of a management command run through manage.py."""
    name = argv[1] if len(argv) > 1 else "help"
    return history_context(command=name)
