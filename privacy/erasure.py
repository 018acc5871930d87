"""Erasure: a person's identifying data replaced by "Former member N" everywhere.

Three steps, in one transaction (``person_erase``):

1. Their own rows: the person's name becomes the pseudonym; email, phone, address,
   postcode, date of birth and household reference are emptied; the free text written
   about them (``FREE_TEXT``: apology reasons, declarations' notes, interests, remarks,
   reviews, leave and removal reasons, claims' descriptions, applications' statements,
   notices' recipient addresses and bodies) is emptied; their stored files (receipts,
   letters) are deleted through the storage API; their calendar feed goes; their sign-in
   is unlinked and, if it is theirs alone, deactivated and scrambled (email addresses,
   second factors and roles deleted).
2. Their history: the same fields are overwritten in the ``<Model>History`` rows of those
   rows (the history is never edited through the application; this service is the one
   path that does, on purpose), and files named only in history are deleted too.
3. A sweep of every text and JSON column of every table of the organisation (history
   tables included) and of Django's admin log for their rows: every earlier name, email,
   phone number and address the history knows for them is replaced. This catches the
   minutes, other people's notices and the reasons services gave.

Meeting records, votes and counts are left as they are: the seat, attendance lines and
votes stay, pointing at the person, who is now "Former member N", so the register still
counts them. The erasure row records who asked, who confirmed and how many rows changed,
never what was erased.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled

from members.models import Person
from panelhub.history import history_enabled
from panels.history import event_model, tracked_models
from panels.models import AuditEntry, OrganisationRole, User
from panels.tenancy import tenant_models

PSEUDONYM = "Former member {number}"
ERASED = "(erased)"
# Shorter strings are not swept: replacing them everywhere would damage other text.
SWEEP_MIN_LENGTH = 5


@dataclass(frozen=True)
class FreeText:
    """Fields of one model that hold what was written about the person, and the path
    from that model to the person."""

    model: str
    to_person: str
    values: dict
    files: tuple[str, ...] = ()


FREE_TEXT = (
    FreeText(
        "members.Application",
        "person",
        {"statement": "", "override_reason": "", "outcome_reasons": "", "eligibility_reasons": []},
    ),
    FreeText("members.RecruitmentStep", "application__person", {"notes": ""}),
    FreeText("members.Declaration", "person", {"note": ""}),
    FreeText("members.InterestDeclaration", "person", {"interest": ERASED}),
    FreeText("members.Remark", "person", {"text": ERASED}),
    FreeText(
        "members.MemberReview",
        "membership__person",
        {"contributions": "", "skills": "", "training_needs": ""},
    ),
    FreeText("members.LeaveOfAbsence", "membership__person", {"reason": ""}),
    FreeText(
        "members.Removal",
        "membership__person",
        {"reason": ERASED, "appeal_text": "", "appeal_decision_reason": ""},
    ),
    FreeText(
        "members.RemovalFlag", "membership__person", {"reason": ERASED, "decision_reason": ""}
    ),
    FreeText("members.MembershipEvent", "membership__person", {"reason": "", "details": {}}),
    FreeText(
        "members.ExpenseClaim",
        "membership__person",
        {
            "description": ERASED,
            "receipt": "",
            "receipt_name": "",
            "decision_reason": "",
            "held_reason": "",
        },
        files=("receipt",),
    ),
    FreeText("meetings.Attendance", "membership__person", {"apology_reason": ""}),
    FreeText("meetings.Declaration", "membership__person", {"interest": ERASED}),
    FreeText("notices.Letter", "notice__recipient_person", {"pdf": ""}, files=("pdf",)),
)

PERSON_BLANKS = {
    "email": "",
    "phone": "",
    "address": "",
    "postcode": "",
    "date_of_birth": None,
    "household_reference": "",
    "user": None,
}


def pseudonym(number: int) -> str:
    return PSEUDONYM.format(number=number)


def _delete_files(names) -> int:
    deleted = 0
    for name in {n for n in names if n}:
        try:
            if default_storage.exists(name):
                default_storage.delete(name)
                deleted += 1
        except OSError:  # a file already gone is not an error here
            continue
    return deleted


def blank_rows(model, queryset, values: dict, files: tuple[str, ...] = ()) -> int:
    """Blank these fields in the rows and in every history row of them; delete the files
    they and their history name. The number of live rows changed."""
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return 0
    history = event_model(model)
    names = []
    for field in files:
        names += list(queryset.values_list(field, flat=True))
        if history is not None:
            names += list(history.objects.filter(pgh_obj_id__in=ids).values_list(field, flat=True))
    changed = model.objects.filter(pk__in=ids).update(**values)
    if history is not None:
        history.objects.filter(pgh_obj_id__in=ids).update(**values)
    # The values services named when they changed these rows go too.
    AuditEntry.objects.filter(
        object_type=model._meta.label_lower, object_id__in=[str(pk) for pk in ids]
    ).update(before=None, after=None)
    _delete_files(names)
    return changed


def _earlier_identities(person: Person, name: str) -> list[tuple[str, str]]:
    """Every (text, replacement) to sweep: each name, email, phone and address the person
    had, from their history and their current row."""
    versions = [person]
    history = event_model(Person)
    if history is not None:
        versions += list(history.objects.filter(pgh_obj_id=person.pk))
    terms: dict[str, str] = {}
    for v in versions:
        full = f"{v.first_name} {v.last_name}".strip()
        terms.setdefault(full, name)
        terms.setdefault(f"{v.last_name}, {v.first_name}", name)
        terms.setdefault(v.email, ERASED)
        terms.setdefault(v.phone, ERASED)
        address = (v.address or "").strip()
        if address:
            lines = [line.strip() for line in address.splitlines() if line.strip()]
            terms.setdefault(address, ERASED)
            terms.setdefault(", ".join(lines), ERASED)
            terms.setdefault("\n".join(lines), ERASED)
    # Longest first, so a full address goes before a shorter text inside it.
    return sorted(
        ((t, r) for t, r in terms.items() if t and len(t) >= SWEEP_MIN_LENGTH),
        key=lambda tr: -len(tr[0]),
    )


def _text_columns() -> dict[str, list[tuple[str, str]]]:
    """Every table with an organisation column, and its text and JSON columns."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name, c.data_type
            FROM information_schema.columns c
            JOIN information_schema.columns o
              ON o.table_schema = c.table_schema AND o.table_name = c.table_name
             AND o.column_name = 'organisation_id'
            WHERE c.table_schema = current_schema()
              AND c.data_type IN ('text', 'character varying', 'jsonb', 'json')
            ORDER BY c.table_name, c.column_name
            """
        )
        tables: dict[str, list[tuple[str, str]]] = {}
        for table, column, data_type in cursor.fetchall():
            tables.setdefault(table, []).append((column, data_type))
    return tables


def _replacing(column_sql: str, terms, *, as_json: bool) -> tuple[str, list]:
    expression, params = column_sql, []
    for text, replacement in terms:
        if as_json:
            text = json.dumps(text, ensure_ascii=False)[1:-1]
            replacement = json.dumps(replacement, ensure_ascii=False)[1:-1]
        expression = f"regexp_replace({expression}, %s, %s, 'gi')"
        params += [re.escape(text), replacement.replace("\\", "\\\\")]
    return expression, params


def _sweep_orm(*, org_id: int, terms, skip_tables: set[str]) -> Counter:
    """The sweep on a database without PostgreSQL's regular expressions (the SQLite demo,
    which keeps no history): every tenant model's text fields, through the ORM."""
    counts: Counter = Counter()
    patterns = [(re.compile(re.escape(t), re.IGNORECASE), r) for t, r in terms]
    for model in tenant_models():
        if model._meta.db_table in skip_tables:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if not fields:
            continue
        for row in model.objects.filter(organisation_id=org_id).only(
            "pk", *[f.name for f in fields]
        ):
            changed = {}
            for f in fields:
                value = getattr(row, f.attname)
                if value in (None, "", [], {}):
                    continue
                text = (
                    json.dumps(value, ensure_ascii=False)
                    if isinstance(f, models.JSONField)
                    else value
                )
                new = text
                for pattern, replacement in patterns:
                    new = pattern.sub(replacement, new)
                if new != text:
                    changed[f.attname] = json.loads(new) if isinstance(f, models.JSONField) else new
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)
                counts[model._meta.db_table] += 1
    return counts


def sweep(*, org_id: int, terms, skip_tables: set[str]) -> Counter:
    """Replace each term in every text and JSON column of the organisation's tables, live
    tables first and history tables last (the live updates write history of their own)."""
    counts: Counter = Counter()
    if not terms:
        return counts
    if not history_enabled():
        return _sweep_orm(org_id=org_id, terms=terms, skip_tables=skip_tables)
    history_tables = {e._meta.db_table for e in tracked_models().values()}
    tables = _text_columns()
    ordered = sorted(tables, key=lambda t: (t in history_tables, t))
    pattern = "|".join(re.escape(t) for t, _ in terms)
    json_pattern = "|".join(re.escape(json.dumps(t, ensure_ascii=False)[1:-1]) for t, _ in terms)
    for table in ordered:
        if table in skip_tables:
            continue
        sets, wheres, set_params, where_params = [], [], [], []
        for column, data_type in tables[table]:
            quoted = connection.ops.quote_name(column)
            is_json = data_type in ("jsonb", "json")
            source = f"{quoted}::text" if is_json else quoted
            expression, params = _replacing(source, terms, as_json=is_json)
            if is_json:
                expression = f"({expression})::{data_type}"
            sets.append(f"{quoted} = {expression}")
            set_params += params
            wheres.append(f"{source} ~* %s")
            where_params.append(json_pattern if is_json else pattern)
        sql = (
            f"UPDATE {connection.ops.quote_name(table)} SET {', '.join(sets)} "
            f"WHERE organisation_id = %s AND ({' OR '.join(wheres)})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*set_params, org_id, *where_params])
            if cursor.rowcount:
                counts[table] += cursor.rowcount
    return counts


def _sweep_admin_log(person: Person, terms) -> int:
    """Django's admin log names the rows it changed: sweep the entries about their rows."""
    from privacy.subject_access import gather

    changed = 0
    for kind in gather(person):
        content_type = ContentType.objects.get_for_model(kind.model)
        entries = LogEntry.objects.filter(
            content_type=content_type, object_id__in=[str(r.pk) for r in kind.rows]
        )
        for entry in entries:
            repr_, message = entry.object_repr, entry.change_message
            for text, replacement in terms:
                pattern = re.compile(re.escape(text), re.IGNORECASE)
                repr_ = pattern.sub(replacement, repr_)
                message = pattern.sub(replacement, message)
            if (repr_, message) != (entry.object_repr, entry.change_message):
                LogEntry.objects.filter(pk=entry.pk).update(
                    object_repr=repr_[:200], change_message=message
                )
                changed += 1
    return changed


def _discard_exports(person: Person) -> None:
    """A subject access export not yet downloaded holds everything: its file goes."""
    from privacy.models import ExportStatus, SubjectAccessExport

    for export in SubjectAccessExport.objects.filter(
        person=person, status__in=[ExportStatus.BUILDING, ExportStatus.READY]
    ):
        if export.file:
            export.file.delete(save=False)
        export.status = ExportStatus.EXPIRED
        export.save(update_fields=["file", "status"])


def _retire_sign_in(person: Person, org) -> int:
    """Unlink the person's sign-in and remove its roles here; if no other organisation
    knows that user (no role, no person there), deactivate it and scramble what identifies
    it."""
    user_id = person.user_id
    if user_id is None:
        return 0
    OrganisationRole.objects.filter(user_id=user_id, organisation=org).delete()
    # The addresses their own requests came from, in the history's contexts.
    if history_enabled():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE pghistory_context SET metadata = metadata - 'ip' "
                "WHERE metadata->>'user' = %s AND metadata ? 'ip'",
                [str(user_id)],
            )
    with scopes_disabled():
        elsewhere = (
            Person.objects.filter(user_id=user_id).exclude(pk=person.pk).exists()
            or OrganisationRole.objects.filter(user_id=user_id).exists()
        )
    if elsewhere:
        return 1
    User.objects.filter(pk=user_id).update(
        email=f"erased-{uuid.uuid4().hex}@erased.invalid",
        first_name="",
        last_name="",
        is_active=False,
        password="!" + uuid.uuid4().hex,  # unusable
    )
    for label in ("account.EmailAddress", "mfa.Authenticator", "socialaccount.SocialAccount"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model.objects.filter(user_id=user_id).delete()
    return 1


def person_erase(*, person: Person, number: int) -> dict[str, int]:
    """Replace the person's identifying data with "Former member <number>" everywhere (the
    caller holds the transaction and has checked they may be erased). Rows changed, by
    table: the erasure's record."""
    org = person.organisation
    name = pseudonym(number)
    counts: Counter = Counter()
    terms = _earlier_identities(person, name)

    # 1 and 2: their own rows and those rows' history.
    for spec in FREE_TEXT:
        model = apps.get_model(spec.model)
        rows = model.objects.filter(organisation=org, **{spec.to_person: person})
        counts[model._meta.db_table] += blank_rows(model, rows, spec.values, spec.files)
    notice_model = apps.get_model("notices.Notice")
    notices = notice_model.objects.filter(organisation=org).filter(
        Q(recipient_person=person) | Q(recipient_user_id=person.user_id)
        if person.user_id
        else Q(recipient_person=person)
    )
    # Nothing more goes to them: a notice still waiting is withdrawn.
    notices.filter(status="pending").update(
        status="withdrawn", withdrawn_reason="The recipient's personal data was erased."
    )
    counts[notice_model._meta.db_table] += blank_rows(
        notice_model,
        notices,
        {"recipient_name": name, "recipient_email": "", "recipient_address": "", "body": ERASED},
    )
    if person.user_id:
        notification = apps.get_model("notices.Notification")
        counts[notification._meta.db_table] += blank_rows(
            notification,
            notification.objects.filter(organisation=org, user_id=person.user_id),
            {"body": ERASED},
        )
    feed = apps.get_model("meetings.CalendarFeed")
    feed.objects.filter(organisation=org, person=person).delete()
    _discard_exports(person)
    AuditEntry.objects.filter(
        organisation=org, object_type=Person._meta.label_lower, object_id=str(person.pk)
    ).update(before=None, after=None, object_repr=name)

    counts["auth_user"] += _retire_sign_in(person, org)
    person_values = {"first_name": "Former member", "last_name": str(number), **PERSON_BLANKS}
    counts[Person._meta.db_table] += blank_rows(
        Person, Person.objects.filter(pk=person.pk), person_values
    )
    # Marked, so no page or service fills the record in again (members.services).
    Person.objects.filter(pk=person.pk).update(erased_on=timezone.localdate())

    # 3: everything else that names them.
    person_tables = {Person._meta.db_table}
    person_history = event_model(Person)
    if person_history is not None:
        person_tables.add(person_history._meta.db_table)
    counts.update(sweep(org_id=org.pk, terms=terms, skip_tables=person_tables))
    counts["django_admin_log"] += _sweep_admin_log(person, terms)
    return {table: n for table, n in sorted(counts.items()) if n}


def is_erased(person: Person) -> bool:
    from privacy.models import Erasure, ErasureStatus

    return Erasure.objects.filter(person=person, status=ErasureStatus.DONE).exists()


__all__ = ["ERASED", "FREE_TEXT", "blank_rows", "is_erased", "person_erase", "pseudonym"]
