"""Retention: how long each organisation keeps each type of record, and the nightly run
that anonymises or deletes what has passed its period.

Defaults follow common practice in UK social housing (an organisation's admin may change
them on the retention page):

* unsuccessful applications: 6 months after the decision (recruitment records of
  applicants not appointed; the ICO's employment practices guidance and the NHF's
  template retention schedules both use six months);
* people whose seats have all ended: 6 years after the last seat ended (the limitation
  period for a claim, Limitation Act 1980 s.5);
* expense receipts: 6 years (HMRC asks for records supporting payments to be kept for six
  years), counted from the claim's decision;
* notices and letters sent: 2 years after they went;
* history of changes: 6 years.

Each step works in batches of ``BATCH_SIZE``, each batch in its own transaction, and picks
only rows not yet dealt with, so a run stopped half-way resumes and a second run on the
same day changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from members.models import (
    SEAT_HOLDING_STATUSES,
    Application,
    ApplicationStatus,
    ExpenseClaim,
    ExpenseStatus,
    Membership,
    Person,
    RecruitmentStep,
)
from notices.models import OPEN_STATUSES, Letter, Notice, Notification
from panels.history import event_model, tracked_models
from panels.models import AuditEntry
from privacy.erasure import blank_rows
from privacy.models import Erasure, ErasureStatus, RecordType, RetentionPeriod, RetentionRun

BATCH_SIZE = 200

DEFAULT_DAYS = {
    RecordType.UNSUCCESSFUL_APPLICATIONS: 183,
    RecordType.ENDED_MEMBERSHIPS: 6 * 365,
    RecordType.RECEIPTS: 6 * 365,
    RecordType.NOTICES: 2 * 365,
    RecordType.HISTORY: 6 * 365,
}

WHAT_HAPPENS = {
    RecordType.UNSUCCESSFUL_APPLICATIONS: "The application, its answers and its recruitment "
    "steps are deleted with their history, counted from the decision (or from the day it "
    'came in). An applicant with nothing else held becomes "Former member N".',
    RecordType.ENDED_MEMBERSHIPS: 'The person becomes "Former member N" everywhere '
    "(as on erasure), counted from the day their last seat ended. Meeting records, votes "
    "and counts stay.",
    RecordType.RECEIPTS: "The receipt file is deleted; the claim (amount, date, decision) "
    "stays as the payment record. Counted from the claim's decision.",
    RecordType.NOTICES: "The recipient's name and address and the message are removed and "
    "the letter's PDF is deleted; the row stays so the notice is never sent again.",
    RecordType.HISTORY: "Earlier versions of records, and the reasons given for changes, "
    "are deleted.",
}

RETAINED = "(removed at the end of its retention period)"
UNSUCCESSFUL = (
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.NOT_SELECTED,
    ApplicationStatus.WITHDRAWN,
)


def duration_text(days: int) -> str:
    """Days in words a reader takes in at once: "6 years", "about 6 months", "10 days"."""
    if days >= 365 and days % 365 == 0:
        years = days // 365
        return f"{years} year{'s' if years != 1 else ''}"
    if days >= 28:
        months = round(days / 30.44)
        return f"about {months} month{'s' if months != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


def retention_periods(*, org) -> dict[str, int]:
    """Days kept, by record type: the organisation's own or the default."""
    days = {str(t): d for t, d in DEFAULT_DAYS.items()}
    for period in RetentionPeriod.objects.for_org(org):
        days[period.record_type] = period.days
    return days


def retention_period_set(*, org, record_type: str, days: int, by) -> RetentionPeriod:
    """Set how long the organisation keeps one type of record (more than zero days)."""
    from panels.errors import RuleViolation

    if record_type not in RecordType.values:
        raise RuleViolation(code="retention.unknown", message="No such type of record.")
    if days is None or days < 1:
        raise RuleViolation(
            code="retention.not_positive",
            message="A retention period must be at least one day.",
            field=record_type,
        )
    period, _ = RetentionPeriod.objects.update_or_create(
        organisation=org, record_type=record_type, defaults={"days": days, "updated_by": by}
    )
    return period


def _batches(queryset, step: Callable[[list], int]) -> int:
    """Run step on the rows' ids in key order, a batch at a time, each batch in its own
    transaction (a row the step leaves as it was is not tried again in this run)."""
    done, last = 0, None
    while True:
        batch = queryset.order_by("pk")
        if last is not None:
            batch = batch.filter(pk__gt=last)
        ids = list(batch.values_list("pk", flat=True)[:BATCH_SIZE])
        if not ids:
            return done
        last = ids[-1]
        with transaction.atomic():
            done += step(ids)


def _unsuccessful_applications(org, cutoff: datetime.date) -> int:
    due = (
        Application.objects.for_org(org)
        .filter(status__in=UNSUCCESSFUL)
        .annotate(since=Coalesce("decided_on", "submitted_on"))
        .filter(since__lt=cutoff)
    )
    applicants = set()

    def delete(ids):
        rows = Application.objects.filter(pk__in=ids)
        applicants.update(rows.values_list("person_id", flat=True))
        step_ids = list(
            RecruitmentStep.objects.filter(application_id__in=ids).values_list("pk", flat=True)
        )
        _, deleted = rows.delete()
        _forget_history(Application, ids, org)
        _forget_history(RecruitmentStep, step_ids, org)
        return deleted.get(Application._meta.label, 0)

    removed = _batches(due, delete)
    # An applicant with nothing else held is anonymised as on erasure.
    from privacy.services import erasure_by_retention

    for person in Person.objects.for_org(org).filter(pk__in=applicants).order_by("pk"):
        if not (
            Application.objects.filter(person=person).exists()
            or Membership.objects.filter(person=person).exists()
        ):
            erasure_by_retention(org=org, person=person)
    return removed


def _forget_history(model, ids: list, org) -> None:
    history = event_model(model)
    if history is not None and ids:
        history.objects.filter(organisation_id=org.pk, pgh_obj_id__in=ids).delete()
    AuditEntry.objects.filter(
        organisation=org, object_type=model._meta.label_lower, object_id__in=[str(i) for i in ids]
    ).delete()


def _ended_memberships(org, cutoff: datetime.date) -> int:
    from privacy.services import erasure_by_retention

    holding = Membership.objects.filter(person=OuterRef("pk"), status__in=SEAT_HOLDING_STATUSES)
    recent = Membership.objects.filter(person=OuterRef("pk")).filter(
        Q(ended_on__gte=cutoff)
        | Q(ended_on__isnull=True, term_ends_on__gte=cutoff)
        | Q(ended_on__isnull=True, term_ends_on__isnull=True)
    )
    erased = Erasure.objects.filter(person=OuterRef("pk"), status=ErasureStatus.DONE)
    due = (
        Person.objects.for_org(org)
        .filter(Exists(Membership.objects.filter(person=OuterRef("pk"))))
        .exclude(Exists(holding))
        .exclude(Exists(recent))
        .exclude(Exists(erased))
    )

    def erase(ids):
        return sum(
            1
            for person in Person.objects.filter(pk__in=ids)
            if erasure_by_retention(org=org, person=person) is not None
        )

    return _batches(due, erase)


def _receipts(org, cutoff: datetime.date) -> int:
    due = (
        ExpenseClaim.objects.for_org(org)
        .exclude(receipt="")
        .exclude(status=ExpenseStatus.SUBMITTED)
        .annotate(since=Coalesce("decided_on", "incurred_on"))
        .filter(since__lt=cutoff)
    )

    def delete(ids):
        return blank_rows(
            ExpenseClaim,
            ExpenseClaim.objects.filter(pk__in=ids),
            {"receipt": "", "receipt_name": ""},
            files=("receipt",),
        )

    return _batches(due, delete)


def _notices(org, cutoff: datetime.date) -> int:
    since = datetime.datetime.combine(cutoff, datetime.time.min, tzinfo=datetime.UTC)
    due = (
        Notice.objects.for_org(org)
        .exclude(status__in=OPEN_STATUSES)
        .exclude(body=RETAINED)
        .annotate(went=Coalesce("sent_at", "due_at"))
        .filter(went__lt=since)
    )

    def remove(ids):
        blank_rows(Letter, Letter.objects.filter(notice_id__in=ids), {"pdf": ""}, files=("pdf",))
        blank_rows(Notification, Notification.objects.filter(notice_id__in=ids), {"body": RETAINED})
        return blank_rows(
            Notice,
            Notice.objects.filter(pk__in=ids),
            {
                "recipient_name": "",
                "recipient_email": "",
                "recipient_address": "",
                "body": RETAINED,
            },
        )

    return _batches(due, remove)


def _history(org, cutoff: datetime.date) -> int:
    since = datetime.datetime.combine(cutoff, datetime.time.min, tzinfo=datetime.UTC)
    removed = 0
    for history in tracked_models().values():
        old = history.objects.filter(organisation_id=org.pk, pgh_created_at__lt=since)
        removed += _batches(
            old,
            lambda ids, h=history: h.objects.filter(pgh_id__in=ids).delete()[0],
        )
    reasons = AuditEntry.objects.for_org(org).filter(at__lt=since)
    removed += _batches(reasons, lambda ids: AuditEntry.objects.filter(pk__in=ids).delete()[0])
    return removed


STEPS = {
    # Receipts and notices first, so they are counted as such when a person whose seats
    # ended long ago is then erased (which deletes their receipts and letters too).
    RecordType.RECEIPTS: _receipts,
    RecordType.NOTICES: _notices,
    RecordType.UNSUCCESSFUL_APPLICATIONS: _unsuccessful_applications,
    RecordType.ENDED_MEMBERSHIPS: _ended_memberships,
    # Last: the steps above write history of their own.
    RecordType.HISTORY: _history,
}


def retention_apply(*, org, today: datetime.date | None = None) -> RetentionRun:
    """Anonymise or delete what has passed its retention period, and record the run."""
    today = today or timezone.localdate()
    periods = retention_periods(org=org)
    counts = {}
    for record_type, step in STEPS.items():
        cutoff = today - datetime.timedelta(days=periods[str(record_type)])
        counts[str(record_type)] = step(org, cutoff)
    return RetentionRun.objects.create(organisation=org, counts=counts, total=sum(counts.values()))


def retention_last_run(*, org) -> RetentionRun | None:
    return RetentionRun.objects.for_org(org).order_by("-ran_at", "-id").first()
