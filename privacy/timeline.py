"""A row's history as a readable timeline: who changed which field from what to what.

Reads the ``<Model>History`` rows the database triggers wrote (panels/history.py) and the
reasons services gave (panels.AuditEntry, joined by history context). A fixed number of
queries whatever the length of the history: the events with their contexts, the users
named in them, the reasons.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats, timezone

from panels.history import event_model
from panels.models import AuditEntry, User

# Fields every row has that say nothing a reader needs in a timeline.
HIDDEN = {"id", "organisation", "created_at", "updated_at"}
LABELS = {"insert": "Created", "update": "Changed", "delete": "Deleted"}


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Entry:
    at: datetime.datetime
    action: str
    who: str
    where: str
    ip: str
    changes: list[Change] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in HIDDEN]


def _shown(f: models.Field, value) -> str:
    if value is None or value == "":
        return "(empty)"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j M Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j M Y")
    if f.is_relation:
        return f"{f.related_model._meta.verbose_name} #{value}"
    return str(value)


def _where(metadata: dict) -> str:
    if metadata.get("url"):
        return f"page {metadata['url']}"
    if metadata.get("task"):
        return f"scheduled task {metadata['task']}"
    if metadata.get("command"):
        return f"command {metadata['command']}"
    return "directly in the database"


def timeline(obj: models.Model, *, org) -> list[Entry]:
    """The history of one row of org, oldest first."""
    history = event_model(type(obj))
    if history is None:
        return []
    events = list(
        history.objects.filter(organisation_id=org.pk, pgh_obj_id=obj.pk)
        .select_related("pgh_context")
        .order_by("pgh_id")
    )
    contexts = {e.pgh_context_id: (e.pgh_context.metadata if e.pgh_context else {}) for e in events}
    user_ids = {m.get("user") for m in contexts.values() if m.get("user")}
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    reasons: dict = {}
    for entry in AuditEntry.objects.for_org(org).filter(
        context_id__in=[c for c in contexts if c],
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
    ):
        text = entry.action + (f": {entry.reason}" if entry.reason else "")
        reasons.setdefault(entry.context_id, []).append(text)

    fields = _fields(type(obj))
    entries, previous = [], None
    for event in events:
        metadata = contexts.get(event.pgh_context_id) or {}
        user = users.get(metadata.get("user"))
        entry = Entry(
            at=event.pgh_created_at,
            action=LABELS.get(event.pgh_label, event.pgh_label),
            who=(user.email if user else "PanelHub itself" if metadata else "unknown"),
            where=_where(metadata),
            ip=metadata.get("ip", ""),
            reasons=reasons.get(event.pgh_context_id, []),
        )
        for f in fields:
            after = getattr(event, f.attname, None)
            before = getattr(previous, f.attname, None) if previous is not None else None
            if event.pgh_label == "delete" or (previous is not None and before == after):
                continue
            if previous is None and after in (None, ""):
                continue
            entry.changes.append(Change(f.verbose_name, _shown(f, before), _shown(f, after)))
        if event.pgh_label != "update" or entry.changes:
            entries.append(entry)
        previous = event
    return entries
