"""Reads about notices, notifications, letters, preferences and breaches. Every query is
scoped with .for_org(org)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from notices.models import (
    OPEN_STATUSES,
    Breach,
    Letter,
    Notice,
    NoticeChannel,
    NoticeKind,
    NoticePreference,
    NoticeStatus,
    Notification,
    WorkerHeartbeat,
)
from notices.planning import REGISTRY, Recipient, officer_recipient, person_recipient
from panels.models import STAFF_ROLES, Organisation, Panel, Role, User
from panels.tenancy import scopes_disabled

# --- Recipients ---------------------------------------------------------------------


def officer_users(*, org: Organisation) -> list[User]:
    """Officers and admins of the organisation: they get the officers' reminders."""
    return list(
        User.objects.filter(
            is_active=True,
            organisation_roles__organisation=org,
            organisation_roles__role__in=list(STAFF_ROLES),
        )
        .distinct()
        .order_by("id")
    )


def officer_recipients(*, org: Organisation) -> list[Recipient]:
    return [officer_recipient(user) for user in officer_users(org=org)]


def board_recipients(*, org: Organisation) -> list[Recipient]:
    """Board members of the organisation (they answer the panel's recommendations)."""
    users = (
        User.objects.filter(
            is_active=True,
            organisation_roles__organisation=org,
            organisation_roles__role=Role.BOARD,
        )
        .distinct()
        .order_by("id")
    )
    return [officer_recipient(user) for user in users]


def board_and_officer_recipients(*, org: Organisation) -> list[Recipient]:
    seen, recipients = set(), []
    for recipient in [*board_recipients(org=org), *officer_recipients(org=org)]:
        if recipient.key not in seen:
            seen.add(recipient.key)
            recipients.append(recipient)
    return recipients


def preferences_by_person(*, org: Organisation, person_ids) -> dict[int, NoticePreference]:
    return {
        p.person_id: p
        for p in NoticePreference.objects.for_org(org).filter(person_id__in=list(person_ids))
    }


def person_recipients(*, org: Organisation, people, required_channel: str = "") -> list[Recipient]:
    people = list(people)
    prefs = preferences_by_person(org=org, person_ids=[p.pk for p in people])
    return [
        person_recipient(p, preference=prefs.get(p.pk), required_channel=required_channel)
        for p in people
    ]


def panel_member_recipients(
    *, panel: Panel, on: datetime.date, required_channel: str = ""
) -> list[Recipient]:
    """Every current seat's person on the panel (active or on leave on ``on``)."""
    from members.selectors import current_memberships

    people = {m.person_id: m.person for m in current_memberships(panel=panel, on=on)}
    return person_recipients(
        org=panel.organisation, people=people.values(), required_channel=required_channel
    )


def person_for_user(*, org: Organisation, user):
    from members.models import Person

    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.for_org(org).filter(user=user).first()


def preference_for_person(*, org: Organisation, person) -> NoticePreference | None:
    return NoticePreference.objects.for_org(org).filter(person=person).first()


def preference_initial(*, org: Organisation, person) -> dict:
    """The preference form as the member last left it (their preferred channel, one email at
    a time, until they choose); large print is on the person."""
    preference = preference_for_person(org=org, person=person)
    return {
        "channel": preference.channel if preference else person.preferred_channel,
        "digest": preference.digest if preference else False,
        "large_print": person.large_print,
    }


# --- Ledger -------------------------------------------------------------------------


def notices_for_subject(*, subject) -> QuerySet[Notice]:
    content_type = ContentType.objects.get_for_model(subject)
    return Notice.objects.for_org(subject.organisation_id).filter(
        subject_type=content_type, subject_id=subject.pk
    )


def notice_list_for_officers(*, org: Organisation, status: str = "") -> QuerySet[Notice]:
    notices = Notice.objects.for_org(org).select_related("panel", "recipient_person")
    if status == "open":
        return notices.filter(status__in=OPEN_STATUSES).order_by("due_at", "id")
    if status:
        return notices.filter(status=status).order_by("-updated_at", "-id")
    return notices.order_by("-due_at", "-id")


def notice_counts(*, org: Organisation) -> dict[str, int]:
    rows = Notice.objects.for_org(org).values("status").annotate(n=Count("id"))
    counts = {s.value: 0 for s in NoticeStatus}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def notification_list(*, org: Organisation, user) -> QuerySet[Notification]:
    return Notification.objects.for_org(org).filter(user=user).order_by("-created_at", "-id")


def letter_queue(*, org: Organisation) -> QuerySet[Letter]:
    return (
        Letter.objects.for_org(org)
        .select_related("notice", "notice__panel", "notice__recipient_person")
        .order_by("printed_at", "-created_at", "-id")
    )


def _days_window(now: datetime.datetime, days: int) -> tuple[datetime.datetime, datetime.datetime]:
    """From the start of today to the end of today + ``days`` (local time): "due in the next
    7 days" on 30 November means 30 November to 7 December, nothing overdue from October."""
    today = timezone.localtime(now).date()
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(today, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        today + datetime.timedelta(days=days + 1), datetime.time.min, tzinfo=tz
    )
    return start, end


def due_soon_for_officer_summary(
    *, org: Organisation, now: datetime.datetime, days: int = 7
) -> QuerySet[Notice]:
    """Notices still to go out from today to today + ``days``, for the officers' summary."""
    start, end = _days_window(now, days)
    return (
        Notice.objects.for_org(org)
        .filter(status__in=OPEN_STATUSES, due_at__gte=start, due_at__lt=end)
        .exclude(kind=NoticeKind.OFFICER_SUMMARY)
        .select_related("panel")
        .order_by("due_at", "id")
    )


@dataclass(frozen=True)
class DueSoonOccasion:
    """One occasion going out (the same notice to several people): when, what, how many."""

    due_on: datetime.date
    title: str
    panel_name: str
    recipients: int
    by_email: int
    by_post: int
    in_app: int


def due_soon_by_occasion(
    *, org: Organisation, now: datetime.datetime, days: int = 7
) -> list[DueSoonOccasion]:
    """What goes out from today to today + ``days``, one line per occasion (due day, kind,
    title, panel) with its recipient count by channel: one query, grouped in the database."""
    tz = timezone.get_current_timezone()
    rows = (
        due_soon_for_officer_summary(org=org, now=now, days=days)
        .annotate(due_on=TruncDate("due_at", tzinfo=tz))
        .order_by()
        .values("due_on", "kind", "title", "panel__name")
        .annotate(
            recipients=Count("id"),
            by_email=Count("id", filter=Q(channel=NoticeChannel.EMAIL)),
            by_post=Count("id", filter=Q(channel=NoticeChannel.POST)),
            in_app=Count("id", filter=Q(channel=NoticeChannel.IN_APP)),
            first_due=Min("due_at"),
        )
        .order_by("first_due", "title")
    )
    return [
        DueSoonOccasion(
            due_on=row["due_on"],
            title=row["title"],
            panel_name=row["panel__name"] or "",
            recipients=row["recipients"],
            by_email=row["by_email"],
            by_post=row["by_post"],
            in_app=row["in_app"],
        )
        for row in rows
    ]


# --- Breaches -----------------------------------------------------------------------


def breaches_for_panel(
    *, panel: Panel, start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[Breach]:
    """Breaches of the panel's ToR whose deadline fell between start and end (inclusive);
    the reports app counts these."""
    breaches = Breach.objects.for_org(panel.organisation_id).filter(panel=panel)
    if start is not None:
        breaches = breaches.filter(due_on__gte=start)
    if end is not None:
        breaches = breaches.filter(due_on__lte=end)
    return breaches.order_by("-due_on", "id")


def breach_counts_by_panel(
    *, org: Organisation, start: datetime.date, end: datetime.date
) -> dict[int, int]:
    rows = (
        Breach.objects.for_org(org)
        .filter(due_on__gte=start, due_on__lte=end)
        .values("panel_id")
        .annotate(n=Count("id"))
    )
    return {r["panel_id"]: r["n"] for r in rows}


# --- Health -------------------------------------------------------------------------


# /healthz says "degraded" (503) past these: a due notice waiting longer than a dead
# worker's lease plus two beat ticks, or no dispatcher seen for three ticks.
HEALTH_MAX_DUE_AGE_SECONDS = 300
HEALTH_MAX_HEARTBEAT_AGE_SECONDS = 180


def dispatcher_health(*, now: datetime.datetime | None = None) -> dict:
    """Age of the freshest dispatcher heartbeat and of the oldest due notice not yet sent,
    and whether either is past its threshold (``ok``)."""
    now = now or timezone.now()
    latest = WorkerHeartbeat.objects.order_by("-last_seen_at").values_list(
        "last_seen_at", flat=True
    )[:1]
    # Across every organisation: only ages leave this function, never a row.
    with scopes_disabled():
        oldest_due = list(
            Notice.objects.filter(
                Q(status=NoticeStatus.PENDING, next_attempt_at__lte=now)
                | Q(status__in=[NoticeStatus.CLAIMED, NoticeStatus.SENDING], due_at__lte=now)
            )
            .order_by("next_attempt_at")
            .values_list("next_attempt_at", flat=True)[:1]
        )
        uncertain = Notice.objects.filter(status=NoticeStatus.UNCERTAIN).count()
    heartbeat_at = latest[0] if latest else None
    oldest = oldest_due[0] if oldest_due else None
    heartbeat_age = round((now - heartbeat_at).total_seconds()) if heartbeat_at else None
    due_age = max(0, round((now - oldest).total_seconds())) if oldest else 0
    problems = []
    if heartbeat_age is None or heartbeat_age > HEALTH_MAX_HEARTBEAT_AGE_SECONDS:
        problems.append(
            "no dispatcher has run"
            if heartbeat_age is None
            else f"no dispatcher seen for {heartbeat_age} s "
            f"(over {HEALTH_MAX_HEARTBEAT_AGE_SECONDS} s)"
        )
    if due_age > HEALTH_MAX_DUE_AGE_SECONDS:
        problems.append(
            f"a due notice has waited {due_age} s (over {HEALTH_MAX_DUE_AGE_SECONDS} s)"
        )
    return {
        "ok": not problems,
        "problems": problems,
        "worker_heartbeat_age_seconds": heartbeat_age,
        "oldest_due_unsent_notice_age_seconds": due_age,
        "interrupted_sends": uncertain,
        "max_heartbeat_age_seconds": HEALTH_MAX_HEARTBEAT_AGE_SECONDS,
        "max_due_age_seconds": HEALTH_MAX_DUE_AGE_SECONDS,
    }


def pending_subjects_for_person(*, person) -> list:
    """The subjects of a person's pending notices, to re-plan when their details change."""
    pairs = (
        Notice.objects.for_org(person.organisation_id)
        .filter(recipient_person=person, status=NoticeStatus.PENDING)
        .values_list("subject_type_id", "subject_id")
        .distinct()
    )
    subjects = []
    for type_id, subject_id in pairs:
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or model._meta.label_lower not in REGISTRY:
            continue
        subject = model._base_manager.filter(pk=subject_id).first()
        if subject is not None:
            subjects.append(subject)
    return subjects
