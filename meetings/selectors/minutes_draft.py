"""The record a meeting's minutes are drafted from: attendance, declarations of interest per
item, every motion with its mover, tally, outcome and casting vote, and the action points.

The record is read from the register, declarations and motions as they stand, so a draft
always shows the meeting as recorded; publication freezes the public version of it
(``public_version``). The outcome of a motion is the one ``motion_decide`` stored from
``panels.rules.vote_outcome``: nothing here recomputes it.

The public version names no one: attendance is counted, a mover is named by their seat
("Chair", "Resident member") and declarations are counted per item. Names stay in the
panel's own version.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from meetings.models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Audience,
    Declaration,
    Meeting,
    MinuteEntry,
    Minutes,
    Motion,
    MotionKind,
    MotionOutcome,
)
from members.selectors import current_memberships


@dataclass
class AttendanceLine:
    name: str
    role: str
    status: str
    apology_reason: str = ""
    reason_accepted: bool | None = None
    arrived_at: datetime.time | None = None
    left_at: datetime.time | None = None

    @property
    def reason_label(self) -> str:
        return {True: "accepted", False: "not accepted"}.get(
            self.reason_accepted, "not yet decided"
        )


@dataclass
class MotionRecord:
    pk: int
    item_id: int | None
    kind: str
    kind_label: str
    text: str
    mover: str
    mover_role: str
    consensus: bool
    votes_for: int
    votes_against: int
    abstentions: int
    outcome: str
    outcome_label: str
    explanation: str
    casting_vote: bool | None

    @property
    def decided(self) -> bool:
        return self.outcome in (MotionOutcome.CARRIED, MotionOutcome.LOST)

    @property
    def tally(self) -> str:
        if self.consensus:
            return "agreed by consensus"
        if self.outcome == MotionOutcome.PENDING:
            return "not yet voted on"
        return (
            f"{self.votes_for} for, {self.votes_against} against, "
            f"{self.abstentions} abstention{'' if self.abstentions == 1 else 's'}"
        )

    @property
    def casting_label(self) -> str:
        if self.casting_vote is None:
            return ""
        return "The chair's casting vote was used, " + ("for." if self.casting_vote else "against.")

    def public(self) -> dict:
        """The motion as the public version shows it: the mover by seat, not by name."""
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "text": self.text,
            "moved_by": self.mover_role,
            "tally": self.tally,
            "outcome": self.outcome,
            "outcome_label": self.outcome_label,
            "explanation": self.explanation,
            "casting": self.casting_label,
        }


@dataclass
class DeclarationLine:
    name: str
    interest: str


@dataclass
class MinutesRecord:
    meeting: Meeting
    present: list[AttendanceLine] = field(default_factory=list)
    present_virtually: list[AttendanceLine] = field(default_factory=list)
    apologies: list[AttendanceLine] = field(default_factory=list)
    absent: list[AttendanceLine] = field(default_factory=list)
    not_recorded: list[AttendanceLine] = field(default_factory=list)
    late_arrivals: list[AttendanceLine] = field(default_factory=list)
    early_departures: list[AttendanceLine] = field(default_factory=list)
    declarations: dict = field(default_factory=dict)
    motions: dict = field(default_factory=dict)

    def declarations_for(self, item_id) -> list[DeclarationLine]:
        return self.declarations.get(item_id, [])

    def motions_for(self, item_id) -> list[MotionRecord]:
        return self.motions.get(item_id, [])

    @property
    def general_motions(self) -> list[MotionRecord]:
        """Motions put without an agenda item."""
        return self.motions.get(None, [])

    def public_attendance(self) -> dict:
        return {
            "present": len(self.present),
            "present_virtually": len(self.present_virtually),
            "apologies": len(self.apologies),
            "apologies_accepted": sum(1 for a in self.apologies if a.reason_accepted is True),
            "absent": len(self.absent),
            "not_recorded": len(self.not_recorded),
            "late_arrivals": len(self.late_arrivals),
            "early_departures": len(self.early_departures),
        }


def _line(seat, attendance=None) -> AttendanceLine:
    return AttendanceLine(
        name=seat.person.full_name,
        role=seat.get_role_display(),
        status=attendance.status if attendance else "",
        apology_reason=attendance.apology_reason if attendance else "",
        reason_accepted=attendance.reason_accepted if attendance else None,
        arrived_at=attendance.arrived_at if attendance else None,
        left_at=attendance.left_at if attendance else None,
    )


def _motion(motion: Motion) -> MotionRecord:
    return MotionRecord(
        pk=motion.pk,
        item_id=motion.item_id,
        kind=motion.kind,
        kind_label=MotionKind(motion.kind).label,
        text=motion.text,
        mover=motion.mover.person.full_name,
        mover_role=motion.mover.get_role_display(),
        consensus=motion.consensus,
        votes_for=motion.votes_for,
        votes_against=motion.votes_against,
        abstentions=motion.abstentions,
        outcome=motion.outcome,
        outcome_label=MotionOutcome(motion.outcome).label,
        explanation=motion.explanation,
        casting_vote=motion.chair_casting_vote_for,
    )


def build_minutes_record(
    *, meeting: Meeting, register, declarations, motions, memberships=()
) -> MinutesRecord:
    """The record from rows already read (the console passes its own): no queries here."""
    record = MinutesRecord(meeting=meeting)
    buckets = {
        AttendanceStatus.PRESENT: record.present,
        AttendanceStatus.PRESENT_VIRTUALLY: record.present_virtually,
        AttendanceStatus.APOLOGIES: record.apologies,
        AttendanceStatus.ABSENT: record.absent,
    }
    recorded = set()
    for line in sorted(
        register, key=lambda a: (a.membership.person.last_name, a.membership.person.first_name)
    ):
        recorded.add(line.membership_id)
        entry = _line(line.membership, line)
        buckets[line.status].append(entry)
        if line.is_present and line.arrived_at and line.arrived_at > meeting.start_time:
            record.late_arrivals.append(entry)
        if line.is_present and line.left_at and line.left_at < meeting.end_time:
            record.early_departures.append(entry)
    record.not_recorded = [_line(m) for m in memberships if m.pk not in recorded]
    by_item = defaultdict(list)
    for declaration in declarations:
        by_item[declaration.item_id].append(
            DeclarationLine(
                name=declaration.membership.person.full_name, interest=declaration.interest
            )
        )
    record.declarations = dict(by_item)
    by_item = defaultdict(list)
    for motion in sorted(motions, key=lambda m: m.pk):
        by_item[motion.item_id].append(_motion(motion))
    record.motions = dict(by_item)
    return record


def minutes_record(*, meeting: Meeting) -> MinutesRecord:
    """The record of one meeting, in four queries whatever its size."""
    org = meeting.organisation_id
    register = (
        Attendance.objects.for_org(org).filter(meeting=meeting).select_related("membership__person")
    )
    declarations = (
        Declaration.objects.for_org(org)
        .filter(item__meeting=meeting)
        .select_related("membership__person")
    )
    motions = Motion.objects.for_org(org).filter(meeting=meeting).select_related("mover__person")
    return build_minutes_record(
        meeting=meeting,
        register=list(register),
        declarations=list(declarations),
        motions=list(motions),
        memberships=list(current_memberships(panel=meeting.panel, on=meeting.date)),
    )


def minutes_with_rows(*, minutes: Minutes) -> Minutes:
    """A version with its entries (and their items) and action points, for drafting and
    publishing."""
    org = minutes.organisation_id
    return (
        Minutes.objects.for_org(org)
        .select_related("meeting__panel", "meeting__organisation", "approved_at")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=MinuteEntry.objects.for_org(org)
                .select_related("item")
                .order_by("item__position", "item_id"),
            ),
            Prefetch(
                "actions",
                queryset=ActionPoint.objects.for_org(org).select_related("item"),
            ),
        )
        .get(pk=minutes.pk)
    )


def _public_action(action: ActionPoint) -> dict:
    return {
        "description": action.description,
        "owner": action.owner,
        "due_on": action.due_on.isoformat(),
    }


def _action_texts(action: ActionPoint, where: str) -> list[tuple[str, str, str]]:
    return [
        (f"action:{action.pk}:description", f"{where}: action point", action.description),
        (f"action:{action.pk}:owner", f"{where}: action point owner", action.owner),
    ]


def _motion_texts(motion: MotionRecord, where: str) -> list[tuple[str, str, str]]:
    return [(f"motion:{motion.pk}", f"{where}: {motion.kind_label.lower()}", motion.text)]


def public_version(*, minutes: Minutes, record: MinutesRecord) -> dict:
    """What publication would make public, in agenda order: each entry whose audience is
    public and whose item is not confidential, with its narrative, the number of
    declarations of interest, its motions (mover by seat) and its public action points;
    then the motions and public action points tied to no item; and the attendance counted.

    ``texts`` lists every piece of free text in it as (location, where, text), for the
    personal-data scan; it is not frozen. ``minutes`` comes from ``minutes_with_rows``."""
    entries = []
    texts: list[tuple[str, str, str]] = []
    actions = [a for a in minutes.actions.all() if a.audience == Audience.PUBLIC]
    for entry in minutes.entries.all():
        item: AgendaItem = entry.item
        if item.is_confidential or entry.audience != Audience.PUBLIC:
            continue
        where = f"Item {item.position}. {item.title}"
        motions = record.motions_for(item.pk)
        item_actions = [a for a in actions if a.item_id == item.pk]
        entries.append(
            {
                "position": item.position,
                "title": item.title,
                "text": entry.text,
                "declarations": len(record.declarations_for(item.pk)),
                "motions": [m.public() for m in motions],
                "actions": [_public_action(a) for a in item_actions],
            }
        )
        texts.append((f"item:{item.pk}:title", f"{where}: heading", item.title))
        texts.append((f"item:{item.pk}:text", f"{where}: minute", entry.text))
        for motion in motions:
            texts.extend(_motion_texts(motion, where))
        for action in item_actions:
            texts.extend(_action_texts(action, where))
    general_actions = [a for a in actions if a.item_id is None]
    if general_actions or record.general_motions:
        where = "Other decisions and action points"
        entries.append(
            {
                "position": None,
                "title": where,
                "text": "",
                "declarations": 0,
                "motions": [m.public() for m in record.general_motions],
                "actions": [_public_action(a) for a in general_actions],
            }
        )
        for motion in record.general_motions:
            texts.extend(_motion_texts(motion, where))
        for action in general_actions:
            texts.extend(_action_texts(action, where))
    if minutes.correction_note:
        texts.append(("minutes:correction_note", "Correction note", minutes.correction_note))
    return {"entries": entries, "attendance": record.public_attendance(), "texts": texts}
