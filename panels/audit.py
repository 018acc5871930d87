"""One audit row per state change."""

from django.db import models

from panels.models import AuditEntry


def audit_record(
    *,
    org,
    actor,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Write who changed what, when, from what to what, and why."""
    return AuditEntry.objects.create(
        organisation=org,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        reason=reason,
    )


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    """The named fields of obj as JSON-safe values, for an audit row's before/after."""
    values = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)
        values[name] = value
    return values
