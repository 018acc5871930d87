"""Planners for a member's seat: absences (warning one short of the ToR limit, retirement,
a removal flag for the panel), leave of absence ending and core training still missing.

Every consequence comes from ``panels.rules.attendance_consequence`` with the ToR in force;
no organisation is named: IVH's three-and-retire and Stockport's two-and-flag are values of
their terms of reference (``absence_limit``, ``absence_consequence``).
"""

from __future__ import annotations

import datetime

from notices.models import NoticeKind
from notices.planners_common import _link, _model, _officers
from notices.planning import PlannedNotice, Recipient, at_hour, register, register_trigger
from panels import rules
from panels.models import AbsenceConsequence

# Absence notices are news: a register corrected long after the meeting, or an old
# retirement saved again, does not write to anyone.
ABSENCE_NOTICE_WINDOW_DAYS = 30
# Members (and officers) hear that a leave of absence ends this many days before it does.
LEAVE_REMINDER_DAYS = 14
# Officers hear that a seat is still waiting for core training this long after it began.
TRAINING_CHASE_DAYS = 28


def _member(membership) -> Recipient:
    from notices.selectors import person_recipients

    (recipient,) = person_recipients(org=membership.organisation, people=[membership.person])
    return recipient


def _notices(kind, recipients, **values) -> list[PlannedNotice]:
    return [PlannedNotice(kind=kind, recipient=r, **values) for r in recipients]


def _member_link(membership) -> str:
    """The member's own page (their seat, leave and training)."""
    return _link("members:mine", org_slug=membership.organisation.slug)


def _officer_link(membership) -> str:
    """The officers' page about the person."""
    return _link(
        "members:person",
        org_slug=membership.organisation.slug,
        person_id=membership.person_id,
    )


def _split(common: dict, membership) -> tuple[dict, dict]:
    """The same notice's values for the member and for officers (each with their link)."""
    return (
        {**common, "link": _member_link(membership)},
        {**common, "link": _officer_link(membership)},
    )


# --- Absences: a warning one short of the limit (subject: the register line) -----------


def _terms_on(panel, day: datetime.date):
    from panels.selectors import terms_in_force

    return terms_in_force(panel=panel, on=day)


@register("meetings.attendance")
def plan_attendance(line, today: datetime.date) -> list[PlannedNotice]:
    """A run of unexplained absences one short of the ToR's limit: the member is warned
    and officers are told. Withdrawn when the reason is accepted or the line changes."""
    from meetings.selectors import consecutive_unexplained_absences
    from members.models import CURRENT_STATUSES

    meeting, membership = line.meeting, line.membership
    if (
        meeting.status != "held"
        or not line.is_unexplained_absence
        or membership.status not in CURRENT_STATUSES
        or meeting.date < today - datetime.timedelta(days=ABSENCE_NOTICE_WINDOW_DAYS)
    ):
        return []
    terms = _terms_on(meeting.panel, meeting.date)
    if terms is None:
        return []
    run = consecutive_unexplained_absences(membership=membership, up_to=meeting)
    consequence = rules.attendance_consequence(
        terms=terms, consecutive_unexplained=run, on_date=meeting.date
    )
    if consequence.kind != "warning":
        return []  # retirement and flags are planned on the seat and the flag
    person, panel = membership.person, meeting.panel
    limit = terms.absence_limit
    follows = (
        "automatic retirement from the panel"
        if terms.absence_consequence == AbsenceConsequence.AUTOMATIC_RETIREMENT
        else "the panel deciding whether you may be removed"
    )
    common = {
        "due_at": at_hour(max(meeting.date, today)),
        "deadline_on": meeting.date,
        "panel_id": panel.pk,
    }
    for_member, for_officers = _split(common, membership)
    member_notice = _notices(
        NoticeKind.ABSENCE_WARNING,
        [_member(membership)],
        title=f"{panel.name}: {run} meeting(s) missed in a row",
        body=(
            f"Dear {person.first_name},\n\nOur records show you have missed {run} meeting(s) "
            f"of the {panel.name} in a row without an accepted reason, the last on "
            f"{meeting.date:%A %d %B %Y}. Under the terms of reference, {limit} in a row "
            f"leads to {follows} ({consequence.source}). If you cannot come to the next "
            "meeting, please send your apologies with a reason before it."
        ),
        **for_member,
    )
    officer_notice = _notices(
        NoticeKind.ABSENCE_WARNING,
        _officers(membership.organisation),
        title=f"{panel.name}: {person.full_name} is one absence from the limit",
        body=f"{person.full_name}: {consequence.message} ({consequence.source})",
        **for_officers,
    )
    return [*member_notice, *officer_notice]


def _unexplained_lines_of_held_meeting(meeting):
    """A meeting marked held (or changed after) re-plans its absence lines: the run of
    absences only counts held meetings."""
    if meeting.status != "held":
        return []
    attendance = _model("meetings.Attendance")
    lines = (
        attendance.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting, status__in=["absent", "apologies"])
        .exclude(reason_accepted=True)
        .select_related("membership__person", "membership__organisation")
    )
    subjects = []
    for line in lines:
        line.meeting = meeting
        subjects.append(line)
    return subjects


register_trigger("meetings.meeting", _unexplained_lines_of_held_meeting)


# --- Retirement for absences (subject: the seat) ----------------------------------------


def retirement_notices(membership, today: datetime.date) -> list[PlannedNotice]:
    """A seat retired under the ToR's attendance rule: the member and the officers are told,
    with the bar on rejoining. Part of the seat's planner (plan_membership)."""
    from members.models import MembershipStatus

    ended_on = membership.ended_on
    if (
        membership.status != MembershipStatus.RETIRED_BY_ATTENDANCE
        or ended_on is None
        or ended_on < today - datetime.timedelta(days=ABSENCE_NOTICE_WINDOW_DAYS)
    ):
        return []
    panel, person = membership.panel, membership.person
    terms = _terms_on(panel, ended_on)
    if terms is None:
        return []
    consequence = rules.attendance_limit_consequence(terms=terms, on_date=ended_on)
    barred = membership.rejoin_barred_until
    bar = f" You may not rejoin the panel before {barred:%d %B %Y}." if barred else ""
    common = {
        "due_at": at_hour(max(ended_on, today)),
        "deadline_on": ended_on,
        "panel_id": panel.pk,
        "occasion": ended_on.isoformat(),
    }
    for_member, for_officers = _split(common, membership)
    return [
        *_notices(
            NoticeKind.ABSENCE_RETIREMENT,
            [_member(membership)],
            title=f"You have been retired from the {panel.name}",
            body=(
                f"Dear {person.first_name},\n\nYou missed {terms.absence_limit} meetings of the "
                f"{panel.name} in a row without a reasonable explanation. Under the terms of "
                f"reference ({consequence.source}) you were retired from the panel on "
                f"{ended_on:%d %B %Y}.{bar} Thank you for the time you gave the panel."
            ),
            **for_member,
        ),
        *_notices(
            NoticeKind.ABSENCE_RETIREMENT,
            _officers(membership.organisation),
            title=f"{panel.name}: {person.full_name} retired for absences",
            body=f"{person.full_name}: {consequence.message} ({consequence.source})",
            **for_officers,
        ),
    ]


# --- A removal flag for the panel to decide (subject: the flag) ---------------------------


@register("members.removalflag")
def plan_removal_flag(flag, today: datetime.date) -> list[PlannedNotice]:
    """The ToR says a member may be removed after a run of absences: officers are told, so
    the panel decides. Withdrawn once decided or the seat has ended."""
    from members.models import CURRENT_STATUSES

    membership = flag.membership
    if (
        flag.decision != ""
        or membership.status not in CURRENT_STATUSES
        or flag.raised_on < today - datetime.timedelta(days=ABSENCE_NOTICE_WINDOW_DAYS)
    ):
        return []
    panel, person = membership.panel, membership.person
    return _notices(
        NoticeKind.ABSENCE_RETIREMENT,
        _officers(membership.organisation),
        due_at=at_hour(max(flag.raised_on, today)),
        deadline_on=flag.raised_on,
        panel_id=panel.pk,
        title=f"{panel.name}: decide on {person.full_name}'s absences",
        body=(
            f"{person.full_name} was flagged on {flag.raised_on:%d %B %Y}: {flag.reason} "
            "Put it to the panel and record its decision on the member's page."
        ),
        link=_officer_link(membership),
    )


def _flags_of_seat(membership):
    """A seat that ends (removed, stepped down) re-plans its open removal flags."""
    flag_model = _model("members.RemovalFlag")
    return list(
        flag_model.objects.for_org(membership.organisation_id)
        .filter(membership=membership, decision="")
        .select_related("membership__person", "membership__panel")
    )


register_trigger("members.membership", _flags_of_seat)


# --- Leave of absence ending (subject: the leave) -----------------------------------------


@register("members.leaveofabsence")
def plan_leave(leave, today: datetime.date) -> list[PlannedNotice]:
    """The member and the officers hear, two weeks before, that a leave of absence ends (the
    member is expected back; payments resume where the ToR paused them). Moves with the
    end date; withdrawn on an early return or when the seat ends."""
    from members.models import CURRENT_STATUSES

    membership = leave.membership
    ends_on = leave.ends_on
    if (
        leave.returned_on is not None
        or ends_on < today
        or membership.status not in CURRENT_STATUSES
    ):
        return []
    panel, person = membership.panel, membership.person
    send_on = max(leave.starts_on, ends_on - datetime.timedelta(days=LEAVE_REMINDER_DAYS))
    terms = _terms_on(panel, ends_on)
    pay = (
        " Your payments, paused during the leave, resume from your return."
        if terms is not None and terms.payments_pause_on_leave
        else ""
    )
    common = {
        "due_at": at_hour(send_on),
        "deadline_on": ends_on,
        "panel_id": panel.pk,
        "occasion": ends_on.isoformat(),
    }
    for_member, for_officers = _split(common, membership)
    return [
        *_notices(
            NoticeKind.LEAVE_ENDING,
            [_member(membership)],
            title=f"Your leave from the {panel.name} ends on {ends_on:%d %B %Y}",
            body=(
                f"Dear {person.first_name},\n\nYour leave of absence from the {panel.name} "
                f"ends on {ends_on:%A %d %B %Y}, and we look forward to seeing you at the next "
                f"meeting after it.{pay} If you need longer, please talk to your engagement "
                "officer before then."
            ),
            **for_member,
        ),
        *_notices(
            NoticeKind.LEAVE_ENDING,
            _officers(membership.organisation),
            title=f"{panel.name}: {person.full_name}'s leave ends {ends_on:%d %B %Y}",
            body=(
                f"{person.full_name}'s leave of absence ({leave.starts_on:%d %B %Y} to "
                f"{ends_on:%d %B %Y}) ends soon: plan their return."
            ),
            **for_officers,
        ),
    ]


# --- Core training missing (subject: the seat) ---------------------------------------------


def training_notices(membership, today: datetime.date) -> list[PlannedNotice]:
    """A seat waiting for core training (the ToR says no one is active before it): the
    member hears at once, officers after four weeks if it is still missing. Withdrawn when
    the training is recorded (the seat becomes active)."""
    from members.models import MembershipStatus

    if membership.status != MembershipStatus.PENDING_TRAINING:
        return []
    panel, person = membership.panel, membership.person
    terms = _terms_on(panel, max(membership.starts_on, today))
    if terms is None or not terms.training_before_active:
        return []
    source = rules.source_of(terms, "Eligibility")
    starts_on = membership.starts_on
    for_member, for_officers = _split({"deadline_on": starts_on, "panel_id": panel.pk}, membership)
    return [
        *_notices(
            NoticeKind.TRAINING_MISSING,
            [_member(membership)],
            due_at=at_hour(starts_on),
            title=f"Core training before you join the {panel.name}",
            body=(
                f"Dear {person.first_name},\n\nWelcome to the {panel.name}. New members must "
                f"complete core training before they become active members ({source}). Your "
                "engagement officer will arrange it with you; until then you cannot vote or "
                "count towards the quorum."
            ),
            **for_member,
        ),
        *_notices(
            NoticeKind.TRAINING_MISSING,
            _officers(membership.organisation),
            due_at=at_hour(starts_on + datetime.timedelta(days=TRAINING_CHASE_DAYS)),
            title=f"{panel.name}: {person.full_name} still needs core training",
            body=(
                f"{person.full_name} was appointed from {starts_on:%d %B %Y} but has no core "
                f"training recorded, so the seat is not yet active ({source})."
            ),
            **for_officers,
        ),
    ]
