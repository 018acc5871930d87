"""The reason for a change, beside its history.

Every change of a tenant-owned row is recorded by the database itself (panels/history.py):
who, when, from which page or task, every field before and after. A service calls
``audit_record`` to add what the history cannot know: the action's name and the reason
given. The entry keeps the history context id, so the timelines show the reason beside
the change it explains.
"""

from django.db import models

from panelhub.history import current_context_id
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
    """Name the action and give its reason, tied to the history context of the change
    (``before``/``after`` name what the service changed, for the admin's audit list)."""
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
        context_id=current_context_id(),
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
