"""Celery tasks for data protection. Thin: they take ids, re-read rows, run twice safely."""

import logging

from celery import shared_task
from django_scopes import scopes_disabled

from panels.models import Organisation
from panels.tenancy import org_scope
from privacy.models import SubjectAccessExport

logger = logging.getLogger(__name__)

EXPORT_TASK = "privacy.build_subject_access_export"
EXPIRE_TASK = "privacy.expire_exports_nightly"
RETENTION_TASK = "privacy.apply_retention_nightly"


@shared_task(name=EXPORT_TASK, acks_late=True, ignore_result=True)
def privacy_build_export(export_id: int) -> None:
    """Build one subject access export; a failure is recorded on it and shown."""
    from privacy.services import export_build, export_fail

    with scopes_disabled():
        export = (
            SubjectAccessExport.objects.select_related("organisation", "person")
            .filter(pk=export_id)
            .first()
        )
    if export is None:
        return
    with org_scope(export.organisation):
        try:
            export_build(export=export)
        except Exception as exc:
            logger.exception("Subject access export %s failed", export_id)
            export_fail(export=export, error=f"{type(exc).__name__}: {exc}")


@shared_task(name=EXPIRE_TASK, acks_late=True, ignore_result=True)
def privacy_expire_exports_nightly() -> int:
    """Delete the files of exports not downloaded before they expired."""
    from privacy.services import export_expire_due

    total = 0
    for org in Organisation.objects.order_by("pk"):
        with org_scope(org):
            total += export_expire_due(org=org)
    return total


@shared_task(name=RETENTION_TASK, acks_late=True, ignore_result=True)
def privacy_apply_retention_nightly() -> int:
    """Anonymise or delete, in each organisation, what has passed its retention period
    (privacy/retention.py); idempotent, so a redelivered or repeated run changes nothing."""
    from privacy.retention import retention_apply

    total = 0
    for org in Organisation.objects.order_by("pk"):
        with org_scope(org):
            total += retention_apply(org=org).total
    return total
