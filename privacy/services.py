"""Data protection services: subject access exports (start, build in a task, hand over
once) and erasures (asked for by one officer, confirmed by another)."""

from __future__ import annotations

import datetime
import uuid

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from members.models import (
    SEAT_HOLDING_STATUSES,
    Application,
    ApplicationStatus,
    ExpenseClaim,
    ExpenseStatus,
    Membership,
    Person,
)
from panels.audit import audit_record
from panels.errors import Reason, RuleViolation
from panels.models import Organisation
from privacy.erasure import person_erase
from privacy.models import (
    Erasure,
    ErasureStatus,
    ErasureTrigger,
    ExportStatus,
    SubjectAccessExport,
)
from privacy.subject_access import build_zip

# How long a built export waits for its one download before it is deleted.
EXPORT_EXPIRY = datetime.timedelta(days=7)
PENDING_APPLICATION_STATUSES = (
    ApplicationStatus.RECEIVED,
    ApplicationStatus.IN_PROGRESS,
    ApplicationStatus.SELECTED,
)


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


# --- Erasure (two officers) --------------------------------------------------------------


def erasure_refusals(*, org, person: Person, today=None) -> list[Reason]:
    """Why the person may not be erased yet: a seat they hold, a claim awaiting a
    decision, an application still being considered (empty: they may be)."""
    today = today or timezone.localdate()
    reasons = []
    for seat in (
        Membership.objects.for_org(org)
        .filter(person=person, status__in=SEAT_HOLDING_STATUSES)
        .select_related("panel")
    ):
        reasons.append(
            Reason(
                code="erasure.current_seat",
                message=f"They hold a current seat on {seat.panel.name} "
                f"({seat.get_status_display().lower()}): end the seat before erasing.",
            )
        )
    open_claims = ExpenseClaim.objects.for_org(org).filter(
        membership__person=person, status=ExpenseStatus.SUBMITTED
    )
    for claim in open_claims:
        reasons.append(
            Reason(
                code="erasure.open_claim",
                message=f"Their expense claim of £{claim.amount} "
                f"({claim.incurred_on:%d %b %Y}) awaits a decision: decide it before erasing.",
            )
        )
    pending = Application.objects.for_org(org).filter(
        person=person, status__in=PENDING_APPLICATION_STATUSES
    )
    for application in pending.select_related("panel"):
        reasons.append(
            Reason(
                code="erasure.pending_application",
                message=f"Their application to {application.panel.name} is still being "
                "considered: decide or withdraw it before erasing.",
            )
        )
    return reasons


def erasure_done(*, org, person: Person) -> Erasure | None:
    return Erasure.objects.for_org(org).filter(person=person, status=ErasureStatus.DONE).first()


def erasure_request(*, org, person: Person, by) -> Erasure:
    """An officer asks for the person's erasure; a second officer must confirm it.
    Refused (RuleViolation) while they hold a seat, a claim awaits a decision or an
    application is pending. A person already erased, or already asked for: nothing new."""
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        existing = (
            Erasure.objects.for_org(org)
            .filter(person=person, status__in=[ErasureStatus.DONE, ErasureStatus.REQUESTED])
            .first()
        )
        if existing is not None:
            return existing
        reasons = erasure_refusals(org=org, person=person)
        if reasons:
            raise RuleViolation(reasons)
        erasure = Erasure.objects.create(organisation=org, person=person, requested_by=by)
        audit_record(org=org, actor=by, action="privacy.erasure_requested", obj=erasure)
    return erasure


def erasure_confirm(*, org, person: Person, by) -> Erasure:
    """A second officer confirms the erasure: the person's identifying data is replaced
    by "Former member N" everywhere (privacy.erasure). The officer who asked may not
    confirm; a person already erased: nothing happens."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=org.pk).first()
        person = Person.objects.select_for_update().get(pk=person.pk)
        done = erasure_done(org=org, person=person)
        if done is not None:
            return done
        erasure = (
            Erasure.objects.for_org(org)
            .select_for_update()
            .filter(person=person, status=ErasureStatus.REQUESTED)
            .first()
        )
        if erasure is None:
            raise RuleViolation(
                code="erasure.not_requested",
                message="No erasure has been asked for: an officer must ask for it first, "
                "then a second officer confirms it.",
            )
        if erasure.requested_by_id is not None and erasure.requested_by_id == by.pk:
            raise RuleViolation(
                code="erasure.same_officer",
                message="You asked for this erasure, so you cannot confirm it: a second "
                "officer must.",
            )
        reasons = erasure_refusals(org=org, person=person)
        if reasons:
            raise RuleViolation(reasons)
        _erase(erasure, person=person, by=by)
    return erasure


def erasure_cancel(*, org, person: Person, by) -> Erasure | None:
    """Withdraw an erasure asked for and not yet confirmed (nothing to cancel: None)."""
    with transaction.atomic():
        erasure = (
            Erasure.objects.for_org(org)
            .select_for_update()
            .filter(person=person, status=ErasureStatus.REQUESTED)
            .first()
        )
        if erasure is None:
            return None
        erasure.status = ErasureStatus.CANCELLED
        erasure.cancelled_by = by
        erasure.save(update_fields=["status", "cancelled_by"])
        audit_record(org=org, actor=by, action="privacy.erasure_cancelled", obj=erasure)
    return erasure


def _next_number(org) -> int:
    """The next N of "Former member N" (the caller holds the organisation's row lock)."""
    last = Erasure.objects.for_org(org).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _erase(erasure: Erasure, *, person: Person, by) -> None:
    erasure.number = _next_number(erasure.organisation)
    erasure.counts = person_erase(person=person, number=erasure.number)
    erasure.status = ErasureStatus.DONE
    erasure.confirmed_by = by if getattr(by, "is_authenticated", False) else None
    erasure.done_at = timezone.now()
    erasure.save(update_fields=["number", "counts", "status", "confirmed_by", "done_at"])
    audit_record(
        org=erasure.organisation,
        actor=by,
        action="privacy.erased",
        obj=erasure,
        reason=f"{sum(erasure.counts.values())} rows changed",
    )


def erasure_by_retention(*, org, person: Person) -> Erasure | None:
    """Erase a person whose retention period has passed (no second officer: the period
    is the organisation's decision). Skipped (None) if they may not be erased or were."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=org.pk).first()
        person = Person.objects.select_for_update().get(pk=person.pk)
        if erasure_done(org=org, person=person) or erasure_refusals(org=org, person=person):
            return None
        Erasure.objects.for_org(org).filter(person=person, status=ErasureStatus.REQUESTED).update(
            status=ErasureStatus.CANCELLED
        )
        erasure = Erasure.objects.create(
            organisation=org, person=person, trigger=ErasureTrigger.RETENTION
        )
        _erase(erasure, person=person, by=None)
    return erasure
