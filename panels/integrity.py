"""Unique constraints as refusals (issue 14, item 4).

A service checks that a row does not exist yet, then creates it. Two requests at the same
moment can both pass the check; the database's unique constraint then refuses the second
insert with an IntegrityError. ``refuse_duplicate`` runs the create in a savepoint and
turns that into the check's own refusal (a RuleViolation: the form's error on the field
the check names, the API's 400), so the person who came second reads the same message as
if they had come a second later. ``created_once`` is its twin for creates whose check
returns the row already there (opening the minutes: whoever came second gets the draft the
first opened).

Every unique constraint of every model is accounted for: either a service names it in
``refuse_duplicate`` / ``created_once`` (found in the source by
tests/resilience/test_unique_constraints_mapped.py), or it is listed in ``NOT_REFUSED``
below with the reason no refusal is needed. A new constraint fails that test until it is
one or the other.

A constraint is named as Django names it: a ``UniqueConstraint``'s ``name``; a field's
``unique=True`` (or a OneToOneField) as ``"app_label.Model.field"``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

from django.db import IntegrityError, transaction

from panels.errors import Reason, RuleViolation

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE for unique_violation

T = TypeVar("T")


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


def _field_constraint_prefix(key: str) -> str | None:
    """``"app.Model.field"`` -> the prefix PostgreSQL's name for that field's unique
    constraint starts with (``<table>_<column>_key``, or Django's ``..._<hash>_uniq``)."""
    if key.count(".") != 2:
        return None
    from django.apps import apps

    app_label, model_name, field_name = key.split(".")
    model = apps.get_model(app_label, model_name)
    return f"{model._meta.db_table}_{model._meta.get_field(field_name).column}_"


def violates(error: BaseException, constraints: tuple[str, ...]) -> bool:
    """Is ``error`` a unique violation of one of ``constraints`` (of any unique constraint
    when none are named, or when the database does not say which)?"""
    if not is_unique_violation(error):
        return False
    name = constraint_name(error)
    if not constraints or not name:
        return True
    for key in constraints:
        prefix = _field_constraint_prefix(key)
        if name == key or (prefix and name.startswith(prefix)):
            return True
    return False


@contextmanager
def refuse_duplicate(refusal: Reason | Exception, *constraints: str):
    """Run a create in a savepoint; a unique violation of one of ``constraints`` becomes
    the check's refusal: ``RuleViolation([refusal])`` for a Reason, or ``refusal`` itself
    (e.g. the ValidationError ``full_clean`` raises for the same duplicate)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if not violates(error, constraints):
            raise
        if isinstance(refusal, Reason):
            raise RuleViolation([refusal]) from error
        raise refusal from error


def created_once(create: Callable[[], T], existing: Callable[[], T], *constraints: str) -> T:
    """``create()`` in a savepoint; if another request created the same row meanwhile (a
    unique violation of ``constraints``), ``existing()``: what the check would have found."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError as error:
        if not violates(error, constraints):
            raise
        return existing()


# Unique constraints no service needs to refuse, and why. Keys as in the module docstring.
NOT_REFUSED: dict[str, str] = {
    # Privacy: erasures are asked for and confirmed under row locks; retention periods are
    # set with update_or_create.
    "erasure_one_open_request_per_person": "erasure_request locks the person's row, then "
    "returns the open request if there is one",
    "erasure_once_per_person": "erasure_confirm locks the organisation and the person, then "
    "returns the erasure already done",
    "erasure_number_unique_per_org": "numbered by erasure_confirm under the organisation's "
    "row lock",
    "retention_once_per_record_type": "retention_period_set uses update_or_create: the "
    "second request updates the same period",
    # Written only by machinery, never from a person's request racing another.
    "panels.Organisation.slug": "organisations are made by the seeding commands and the "
    "Django admin (whose form validates the slug), not by a service",
    "panel_slug_per_org": "panels are made by the seeding commands and the Django admin, "
    "whose form validates unique constraints",
    "panels.Invitation.token_hash": "the hash of 32 random bytes (secrets.token_urlsafe)",
    "panels.ApiToken.prefix": "random (secrets), never chosen by a person",
    "meetings.CalendarFeed.token": "random (secrets), made with the feed",
    "notices.WorkerHeartbeat.hostname": "written by the dispatcher with update_or_create",
    # Idempotent by construction: get_or_create / ignore_conflicts take the other's row.
    "organisation_role_unique": "granted with get_or_create (invitation acceptance under "
    "the invitation's row lock, the seeding commands)",
    "conduct_signature_once_per_version": "get_or_create: signing the same version again "
    "changes nothing, so a race signs once",
    "meetings.CalendarFeed.person": "get_or_create: the second request gets the same feed",
    "budget_once_per_panel_year": "budget_set uses get_or_create: the second request "
    "updates the same year's budget",
    "breach_once_per_rule": "planned with get_or_create",
    "notices.Notice.dedupe_key": "planned with bulk_create(ignore_conflicts=True): a notice "
    "planned twice is planned once, by design",
    "notices.Notification.notice": "made by the dispatcher for notices it holds the claim "
    "on (bulk_create(ignore_conflicts=True) after an interrupted send)",
    "notices.Letter.notice": "made by the dispatcher for notices it holds the claim on",
    "notices.NoticeSecret.notice": "created with its new notice (notices.messages.message_plan)",
    "notices.NoticePreference.person": "made with get_or_create (notice_preference_save)",
    "report_narrative_once_per_period": "made with get_or_create (narrative_save)",
    # Created in the same transaction as the row they belong to, or numbered under a row
    # lock taken before the number is read, so no two requests can reach the same value.
    "deadline_kind_once_per_tor": "created with their new terms of reference version, "
    "whose kinds are validated (_deadline_problems) before the insert",
    "tor_version_per_panel": "terms_revise locks the panel row, then numbers latest + 1",
    "tor_one_version_per_effective_date": "terms_revise locks the panel row and refuses an "
    "effective date not after the latest version's (terms.effective_from_overlaps)",
    "members.Removal.membership": "membership_remove locks the seat and ends it before the "
    "insert: a second removal is refused as not current",
    "members.Application.membership": "an application's seat is made for it when it is "
    "appointed (membership_appoint), under the application's row lock, once selected",
    "removal_flag_one_open_per_membership": "membership_flag_for_removal locks the seat, "
    "then returns the open flag if there is one",
    "papers_issued_once": "papers_issue locks the meeting and skips people already issued",
    "agenda_one_aob_per_meeting": "agenda_item_add locks the meeting before it looks for AOB",
    "one_vote_per_member": "motion_decide locks the motion, deletes its votes and writes "
    "each seat's ballot once (a dict keyed by seat)",
    "minute_entry_once_per_item": "created with their new minutes version, one per agenda item",
    "disclosure_once_per_minutes_hit": "confirmed under the minutes' row lock, after the "
    "check that the hit is not already confirmed",
    "disclosure_once_per_key_messages_hit": "confirmed under the key messages' row lock, "
    "after the check that the hit is not already confirmed",
    "recommendation_number_per_review": "recommendation_add locks the review, then numbers "
    "latest + 1",
    "scrutiny.BoardResponse.recommendation": "response_record locks the recommendation "
    "before checking for a response (response.already_recorded)",
    "escalation_step_number_unique": "created with their new escalation, numbered 1..n",
    "report_version_unique": "report_request locks the panel row, then numbers latest + 1",
    "scrutiny.NoticeToAct.motion": "notice_to_act_serve locks the motion (motion_lock) "
    "before checking for a notice (notice_to_act.already_served)",
    "panels.FormSubmission.token": "is itself the idempotency guard: panels.idempotency "
    "turns its violation into 'saved once'",
}
