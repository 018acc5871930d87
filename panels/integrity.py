"""Unique constraints as refusals (issue 14, item 4).

A service checks that a row does not exist yet, then creates it. Two requests at the same
moment can both pass the check; the database's unique constraint then refuses the second
insert with an IntegrityError. ``refuse_duplicate`` turns that into the check's own
refusal (a RuleViolation: the form's error, the API's 400), so the person who came second
reads the same message as if they had come a second later.

Anything that still reaches a view as a unique violation (a create without its own check)
is answered by ``unique_violation_response`` (panels.resilience) with a 409 that says the
row was saved once, never a 500.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import IntegrityError, transaction

from panels.errors import Reason, RuleViolation

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE for unique_violation


def constraint_name(error: IntegrityError) -> str | None:
    """The name of the constraint that refused the write (PostgreSQL), or None."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def is_unique_violation(error: BaseException) -> bool:
    if not isinstance(error, IntegrityError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == UNIQUE_VIOLATION:
        return True
    if getattr(cause, "pgcode", None) == UNIQUE_VIOLATION:
        return True
    return "UNIQUE constraint failed" in str(error)  # SQLite, in development


@contextmanager
def refuse_duplicate(reason: Reason, *constraints: str):
    """Run a create in a savepoint; a unique violation of one of ``constraints`` (any
    unique violation when none are named) becomes ``RuleViolation([reason])``."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        name = constraint_name(error)
        matches = (name in constraints) if (constraints and name) else True
        if is_unique_violation(error) and matches:
            raise RuleViolation([reason]) from error
        raise
