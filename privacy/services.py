"""Subject access: start an export, build it (in a task), hand it over once."""

from __future__ import annotations

import datetime
import uuid

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from members.models import Person
from panels.audit import audit_record
from panels.errors import RuleViolation
from privacy.models import ExportStatus, SubjectAccessExport
from privacy.subject_access import build_zip

# How long a built export waits for its one download before it is deleted.
EXPORT_EXPIRY = datetime.timedelta(days=7)


def export_start(*, org, person: Person, by) -> SubjectAccessExport:
    """Record the request and have a task build the ZIP once the request is saved."""
    export = SubjectAccessExport.objects.create(organisation=org, person=person, requested_by=by)
    audit_record(
        org=org,
        actor=by,
        action="privacy.export_requested",
        obj=export,
        reason=f"Subject access export for person #{person.pk}",
    )
    task = apps.get_app_config("privacy").export_task
    transaction.on_commit(lambda: task.delay(export.pk))
    return export


def export_build(*, export: SubjectAccessExport) -> SubjectAccessExport:
    """Build the ZIP (idempotent: only an export still being built is built)."""
    if export.status != ExportStatus.BUILDING or export.person is None:
        return export
    content, counts = build_zip(export.person, org=export.organisation)
    name = f"{export.organisation.slug}-{uuid.uuid4().hex}.zip"
    export.file.save(name, ContentFile(content), save=False)
    now = timezone.now()
    export.size = len(content)
    export.counts = counts
    export.built_at = now
    export.expires_at = now + EXPORT_EXPIRY
    export.status = ExportStatus.READY
    export.save()
    return export


def export_fail(*, export: SubjectAccessExport, error: str) -> None:
    export.status = ExportStatus.FAILED
    export.error = error[:2000]
    export.save(update_fields=["status", "error"])


REFUSALS = {
    ExportStatus.BUILDING: "This export is still being built.",
    ExportStatus.DOWNLOADED: "This export has already been downloaded once; start a new one "
    "if it is needed again.",
    ExportStatus.EXPIRED: "This export expired before it was downloaded; start a new one.",
    ExportStatus.FAILED: "This export failed; start a new one.",
}


def export_take(*, export: SubjectAccessExport, by) -> bytes:
    """The ZIP's bytes, handed over once: the stored file is deleted as it is read.
    Refused (RuleViolation) when not ready, already downloaded or expired."""
    with transaction.atomic():
        export = SubjectAccessExport.objects.select_for_update().get(pk=export.pk)
        now = timezone.now()
        if export.status == ExportStatus.READY and export.expires_at and export.expires_at <= now:
            _discard(export, ExportStatus.EXPIRED)
        content = None
        if export.status == ExportStatus.READY:
            with export.file.open("rb") as handle:
                content = handle.read()
            _discard(export, ExportStatus.DOWNLOADED)
            export.downloaded_at = now
            export.downloaded_by = by
            export.save(update_fields=["downloaded_at", "downloaded_by"])
            audit_record(
                org=export.organisation,
                actor=by,
                action="privacy.export_downloaded",
                obj=export,
                reason=f"{export.size} bytes handed over",
            )
    if content is None:  # refused after the expiry above is saved
        raise RuleViolation(code="export_not_available", message=REFUSALS[export.status])
    return content


def _discard(export: SubjectAccessExport, status: str) -> None:
    if export.file:
        export.file.delete(save=False)
    export.status = status
    export.save(update_fields=["status", "file"])


def export_expire_due(*, org, now=None) -> int:
    """Delete the files of exports nobody downloaded in time (nightly; idempotent)."""
    now = now or timezone.now()
    count = 0
    for export in SubjectAccessExport.objects.for_org(org).filter(
        status=ExportStatus.READY, expires_at__lte=now
    ):
        _discard(export, ExportStatus.EXPIRED)
        count += 1
    return count
