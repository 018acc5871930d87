"""Everything held about one person, gathered for a subject access request.

The rows are found by following foreign keys backwards from the person: a row is theirs
if it points at them or at a row already theirs (a seat, an application, a notice),
up to three steps (person -> seat -> attendance line; person -> notice -> letter). A row
they merely point at (a panel, a meeting) is not theirs and is not followed, so another
person's rows are never reached. Each kind of row is written as JSON and CSV, with its
history rows (without the context of who changed them: that is the officers' data) and
the reasons given; files (receipts, letters) are copied in through the storage API.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from members.models import Person
from panels.history import event_model, tracked_models
from panels.models import AuditEntry
from panels.spreadsheet import csv_text

MAX_DEPTH = 3
# Fields never exported: secrets and the tenancy bookkeeping.
SECRET_FIELDS = {"token", "token_hash", "secret", "key", "password"}


@dataclass
class Kind:
    label: str
    description: str
    model: type[models.Model]
    rows: list = field(default_factory=list)
    history: list = field(default_factory=list)
    reasons: list = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.model._meta.label_lower.replace(".", "-")


def _links_to(model, targets: set) -> list[models.ForeignKey]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model in targets
    ]


def gather(person: Person) -> list[Kind]:
    """Every tenant row about the person, by kind (the person first)."""
    org_id = person.organisation_id
    found: dict[type, dict[int, models.Model]] = {Person: {person.pk: person}}
    frontier = {Person}
    for _ in range(MAX_DEPTH):
        grown = set()
        for model in tracked_models():
            for fk in _links_to(model, frontier):
                ids = list(found[fk.related_model])
                rows = model.objects.filter(organisation_id=org_id, **{f"{fk.attname}__in": ids})
                bucket = found.setdefault(model, {})
                for row in rows.order_by("pk"):
                    if row.pk not in bucket:
                        bucket[row.pk] = row
                        grown.add(model)
        if not grown:
            break
        frontier = grown
    kinds = []
    for model, rows in found.items():
        if not rows:
            continue
        meta = model._meta
        kind = Kind(
            label=str(meta.verbose_name_plural).capitalize(),
            description=(model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " "),
            model=model,
            rows=list(rows.values()),
        )
        history = event_model(model)
        if history is not None:
            kind.history = list(
                history.objects.filter(organisation_id=org_id, pgh_obj_id__in=list(rows))
                .order_by("pgh_id")
                .values()
            )
        kind.reasons = list(
            AuditEntry.objects.filter(
                organisation_id=org_id,
                object_type=meta.label_lower,
                object_id__in=[str(pk) for pk in rows],
            ).values("at", "action", "object_id", "reason")
        )
        kinds.append(kind)
    return kinds


def _exported_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in SECRET_FIELDS and f.name != "organisation"
    ]


def _row_dict(row, fields) -> dict:
    values = {}
    for f in fields:
        value = f.value_from_object(row)
        if isinstance(f, models.FileField):
            value = value.name if value else ""
        values[f.attname if f.is_relation else f.name] = value
    return values


def _history_dict(row: dict) -> dict:
    hidden = {"pgh_context_id", "pgh_obj_id", "organisation_id"}
    return {k: v for k, v in row.items() if k not in hidden}


def _csv(rows: list[dict]) -> str:
    if not rows:
        return csv_text(headers=[], rows=[])
    plain = json.loads(json.dumps(rows, cls=DjangoJSONEncoder))
    return csv_text(headers=list(plain[0]), rows=[list(r.values()) for r in plain])


def build_zip(person: Person, *, org) -> tuple[bytes, dict]:
    """The ZIP of everything held about the person, and the row counts by kind."""
    kinds = gather(person)
    buffer = io.BytesIO()
    counts, index, missing = {}, [], []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in kinds:
            fields = _exported_fields(kind.model)
            rows = [_row_dict(r, fields) for r in kind.rows]
            history = [_history_dict(h) for h in kind.history]
            base = f"data/{kind.slug}"
            archive.writestr(f"{base}.json", json.dumps(rows, cls=DjangoJSONEncoder, indent=2))
            archive.writestr(f"{base}.csv", _csv(rows))
            if history:
                archive.writestr(
                    f"history/{kind.slug}.json",
                    json.dumps(history, cls=DjangoJSONEncoder, indent=2),
                )
                archive.writestr(f"history/{kind.slug}.csv", _csv(history))
            if kind.reasons:
                archive.writestr(
                    f"history/{kind.slug}-reasons.json",
                    json.dumps(kind.reasons, cls=DjangoJSONEncoder, indent=2),
                )
            documents = []
            for row in kind.rows:
                for f in fields:
                    if not isinstance(f, models.FileField):
                        continue
                    stored = getattr(row, f.name)
                    if not stored:
                        continue
                    name = (
                        f"documents/{kind.slug}/{row.pk}-{f.name}-{stored.name.rsplit('/', 1)[-1]}"
                    )
                    try:
                        with stored.open("rb") as handle:
                            archive.writestr(name, handle.read())
                        documents.append(name)
                    except (FileNotFoundError, OSError):
                        missing.append(f"{kind.label} #{row.pk} ({f.verbose_name})")
            counts[kind.label] = len(rows)
            index.append(
                {
                    "kind": kind,
                    "count": len(rows),
                    "history": len(history),
                    "base": base,
                    "documents": documents,
                }
            )
        archive.writestr(
            "index.html",
            render_to_string(
                "privacy/subject_access_index.html",
                {
                    "person": person,
                    "org": org,
                    "index": index,
                    "missing": missing,
                    "made_at": timezone.now(),
                },
            ),
        )
    return buffer.getvalue(), counts
