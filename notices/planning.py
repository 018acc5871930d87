"""What a planner returns, and the registries of planners and breach detectors per subject
model.

A planner is a pure-ish function ``plan(subject, today) -> list[PlannedNotice]``: the
notices the subject should have now. It reads through other apps' selectors and asks
``panels.rules`` for every date; ``notices.services.notices_sync`` turns its answer into
ledger rows. A planner registered with ``daily=`` is also run by the daily planner
task for the subjects that callable lists (time-based kinds: terms ending, reviews due).
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models

from notices.models import NoticeChannel, NoticeKind

# Notices for a date go out at this local hour, so members get them in the morning.
NOTICE_SEND_HOUR = 8
# Digest emails (members who chose a daily digest) go out at this local hour.
DIGEST_SEND_HOUR = 7


@dataclass(frozen=True)
class Recipient:
    key: str  # "u<user id>", "p<person id>": part of the dedupe key
    name: str
    channel: str
    user_id: int | None = None
    person_id: int | None = None
    email: str = ""
    address: str = ""
    channel_note: str = ""
    digest: bool = False


@dataclass(frozen=True)
class PlannedNotice:
    kind: str
    recipient: Recipient
    due_at: datetime.datetime
    title: str
    body: str
    panel_id: int | None = None
    deadline_on: datetime.date | None = None
    link: str = ""
    # Part of the dedupe key when a new occasion must be a new notice (a moved meeting's
    # date notice); empty when a change should move the one pending row instead.
    occasion: str = ""
    # Never sent at or after this moment: the dispatcher withdraws it then (a meeting
    # reminder expires when the meeting starts).
    expires_at: datetime.datetime | None = None
    # Set: this notice must not go. It is not created, and a pending row for it (on any
    # occasion) is withdrawn with this reason in the ledger.
    withdraw: str = ""

    def stem(self, subject: models.Model) -> str:
        """The key without its occasion: the same notice to the same person about the same
        subject, whatever date it is for (a pending one moves when the date moves)."""
        return f"{self.kind}|{subject._meta.label_lower}:{subject.pk}|{self.recipient.key}"

    def dedupe_key(self, subject: models.Model) -> str:
        stem = self.stem(subject)
        return (f"{stem}|{self.occasion}" if self.occasion else stem)[:200]


def key_stem(dedupe_key: str) -> str:
    """``PlannedNotice.stem`` of a stored key."""
    return "|".join(dedupe_key.split("|")[:3])


Planner = Callable[[models.Model, datetime.date], list[PlannedNotice]]
DailySubjects = Callable[[object, datetime.date], Iterable[models.Model]]


@dataclass
class PlannerEntry:
    model_label: str
    plan: Planner
    daily: DailySubjects | None = None
    # Re-plan on every save of the model (post_save); False: only the daily planner runs it.
    hook: bool = True


REGISTRY: dict[str, PlannerEntry] = {}
# A change to one of these models re-plans another subject: {label: subject_of(instance)}.
TRIGGERS: dict[str, Callable[[models.Model], models.Model | None]] = {}


def register(model_label: str, *, daily: DailySubjects | None = None, hook: bool = True):
    """Register ``plan`` for a model ("meetings.meeting"); the model may not exist yet."""

    def decorate(plan: Planner) -> Planner:
        REGISTRY[model_label.lower()] = PlannerEntry(model_label.lower(), plan, daily, hook)
        return plan

    return decorate


def register_trigger(model_label: str, subject_of: Callable[[models.Model], models.Model | None]):
    """Re-plan ``subject_of(instance)`` whenever a ``model_label`` row is saved or deleted
    (a new ToR version re-plans its panel)."""
    TRIGGERS[model_label.lower()] = subject_of


@dataclass(frozen=True)
class BreachFinding:
    """A duty whose deadline passed without it (``done_on`` None), or done late. With
    ``on_time`` the duty is recorded as done by its deadline: no breach, and one recorded
    before the date was entered (a past meeting typed in afterwards) is withdrawn."""

    rule: str
    panel_id: int
    due_on: datetime.date
    done_on: datetime.date | None
    rule_text: str
    source: str
    subject_label: str
    on_time: bool = False
    # The officer's reason for going ahead knowing the deadline would be missed.
    reason: str = ""


BreachDetector = Callable[[models.Model, datetime.date], list[BreachFinding]]
# The duties of a subject model whose missed deadlines are breaches: {label: detect(subject,
# today)}. Filled by the planner modules; notices.services.breaches_sync records what they find.
BREACH_DETECTORS: dict[str, BreachDetector] = {}


def register_breaches(model_label: str):
    """Register ``detect(subject, today) -> [BreachFinding]`` for a model."""

    def decorate(detect: BreachDetector) -> BreachDetector:
        BREACH_DETECTORS[model_label.lower()] = detect
        return detect

    return decorate


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def at_hour(day: datetime.date, hour: int = NOTICE_SEND_HOUR) -> datetime.datetime:
    """The moment a notice for ``day`` goes out: that morning, local time."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=local_zone())


def digest_time(due_at: datetime.datetime) -> datetime.datetime:
    """A digest notice waits for the next digest hour at or after its due time."""
    local = due_at.astimezone(local_zone())
    slot = at_hour(local.date(), DIGEST_SEND_HOUR)
    return (
        slot
        if slot >= local
        else at_hour(local.date() + datetime.timedelta(days=1), DIGEST_SEND_HOUR)
    )


# --- Recipients ---------------------------------------------------------------------

NO_EMAIL_NOTE = "No email address on file: sent by post instead."
NO_ADDRESS_NOTE = "No postal address on file: sent by email instead."
NO_CONTACT_NOTE = (
    "No email or postal address on file: the letter waits in the print queue for an address."
)


def person_recipient(person, *, preference=None, required_channel: str = "") -> Recipient:
    """How a person gets a notice: the channel the ToR requires (Helena: papers by post),
    else their preference, falling back to post when there is no email address."""
    chosen = required_channel or (
        preference.channel if preference is not None else person.preferred_channel
    )
    note = ""
    if chosen == NoticeChannel.EMAIL and not person.email:
        chosen, note = NoticeChannel.POST, NO_EMAIL_NOTE
    address = "\n".join(x for x in (person.address.strip(), person.postcode.strip()) if x)
    if chosen == NoticeChannel.POST and not person.address.strip():
        if person.email:
            chosen, note = NoticeChannel.EMAIL, NO_ADDRESS_NOTE
        else:
            note = NO_CONTACT_NOTE
    if chosen not in (NoticeChannel.EMAIL, NoticeChannel.POST):
        chosen = NoticeChannel.EMAIL if person.email else NoticeChannel.POST
    return Recipient(
        key=f"p{person.pk}",
        name=person.full_name,
        channel=chosen,
        user_id=person.user_id,
        person_id=person.pk,
        email=person.email,
        address=address,
        channel_note=note,
        digest=bool(preference is not None and preference.digest and chosen == NoticeChannel.EMAIL),
    )


def officer_recipient(user) -> Recipient:
    return Recipient(
        key=f"u{user.pk}",
        name=user.get_full_name() or user.email,
        channel=NoticeChannel.EMAIL,
        user_id=user.pk,
        email=user.email,
    )


def required_channel_for(rule_channel: str) -> str:
    """The DeadlineRule's channel as a notice channel ("post" → post, "electronic" → email)."""
    return {"post": NoticeChannel.POST, "electronic": NoticeChannel.EMAIL}.get(rule_channel, "")


__all__ = [
    "NOTICE_SEND_HOUR",
    "NoticeKind",
    "PlannedNotice",
    "Recipient",
    "REGISTRY",
    "at_hour",
    "digest_time",
    "officer_recipient",
    "person_recipient",
    "register",
    "register_trigger",
    "required_channel_for",
]
