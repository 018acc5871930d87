"""The history of every tenant-owned row (django-pghistory).

``panels.tenancy`` hands every concrete ``TenantModel`` to ``track`` as Django prepares
the class, so a model added later is tracked without anyone remembering to: a
``<Model>History`` event model beside it in its app snapshots every insert, update and
delete, written by PostgreSQL triggers in the same transaction as the change. Bulk
``.update()``, the Django admin, raw ORM writes in tasks and commands: no path through
the database skips them. Each event row points at a ``pghistory.Context`` saying who
(user id), where (request path, IP address) or what (Celery task, management command)
wrote it: ``HistoryContextMiddleware`` below for requests, ``panelhub.history`` for tasks
and commands.

SQLite (the ``make run`` demo default) has no triggers: nothing is recorded there and
the history pages say so (docs/data-protection.md).
"""

from __future__ import annotations

from django.db import models

from panelhub.history import Lazy, history_context, history_enabled

# Tenant models whose history would only repeat what another table already is: the
# audit table (reasons given for changes, which points at the history itself).
UNTRACKED = {"panels.AuditEntry"}

_events: dict[type[models.Model], type[models.Model]] = {}


def track(model: type[models.Model]) -> None:
    """Give a concrete tenant model its history (called from panels.tenancy)."""
    meta = model._meta
    if meta.abstract or meta.proxy or model in _events:
        return
    if f"{meta.app_label}.{model.__name__}" in UNTRACKED:
        return
    import pghistory

    event = pghistory.create_event_model(
        model,
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        model_name=f"{model.__name__}History",
        abstract=False,
        obj_field=pghistory.ObjForeignKey(related_name="pgh_history"),
        meta={"verbose_name": f"history of {meta.verbose_name}"},
    )
    _events[model] = event


def event_model(model: type[models.Model]) -> type[models.Model] | None:
    """The history (event) model of a tracked model, or None."""
    return _events.get(model._meta.concrete_model or model)


def tracked_models() -> dict[type[models.Model], type[models.Model]]:
    """Every tracked model and its history model."""
    return dict(_events)


class HistoryContextMiddleware:
    """Every write a request makes is recorded with the signed-in user, the path and the
    client's address (TRUSTED_PROXY_COUNT aware, as sign-in throttling sees it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not history_enabled():
            return self.get_response(request)
        from panels.signin import client_ip

        def user_id():
            user = getattr(request, "user", None)
            return user.pk if getattr(user, "is_authenticated", False) else None

        with history_context(user=Lazy(user_id), url=request.path, ip=client_ip(request)):
            return self.get_response(request)
