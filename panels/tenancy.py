"""The one scoping mechanism for tenant-owned rows.

Every tenant-owned model inherits ``TenantModel``: it carries its organisation and
its default manager is a django-scopes ``ScopedManager``. A request under
``/<org-slug>/`` runs inside ``scope(organisation=org)`` (see the middleware), so a
query that forgot its tenant raises ``ScopeError`` instead of leaking rows; tasks
and commands open the scope they need with ``org_scope(org)``. Selectors still say
``.for_org(org)`` explicitly: the scope is the guard behind it.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import models
from django.db.models.signals import class_prepared
from django.http import Http404
from django_scopes import ScopedManager, scope, scopes_disabled

from panels.history import track

__all__ = [
    "TenantModel",
    "TenantQuerySet",
    "get_for_org_or_404",
    "org_scope",
    "scopes_disabled",
    "tenant_models",
]


class TenantQuerySet(models.QuerySet):
    def for_org(self, org) -> "TenantQuerySet":
        """Rows of one organisation (or of a list of organisations, for the admin)."""
        if isinstance(org, (list, tuple, set, models.QuerySet)):
            return self.filter(organisation__in=list(org))
        return self.filter(organisation=org)


TenantManager = models.Manager.from_queryset(TenantQuerySet)


class TenantModel(models.Model):
    organisation = models.ForeignKey(
        "panels.Organisation", on_delete=models.CASCADE, related_name="+"
    )

    objects = ScopedManager(organisation="organisation", _manager_class=TenantManager)

    class Meta:
        abstract = True


def _track_tenant_model(sender, **kwargs) -> None:
    """Every tenant-owned model has a history (panels/history.py), as soon as it exists."""
    if issubclass(sender, TenantModel):
        track(sender)


class_prepared.connect(_track_tenant_model)


@contextmanager
def org_scope(org) -> Iterator[None]:
    """Run code (a task, a command) inside one organisation's scope."""
    with scope(organisation=org):
        yield


def get_for_org_or_404(model: type[TenantModel], *, org, **lookup) -> TenantModel:
    """The row of org matching lookup; a missing row and a foreign row are the same 404."""
    try:
        return model.objects.for_org(org).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No {model._meta.verbose_name} here.") from None


def tenant_models() -> Iterable[type[TenantModel]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, TenantModel)]
