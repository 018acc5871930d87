"""The planners: for each subject model, the notices it should have on ``today``.

Every date comes from panels.rules (through meetings.selectors.meeting_deadline_states for
meetings); no organisation is named here: differences are values of its terms of reference.
A planner returns only notices still worth sending; notices_sync withdraws the rest.
"""

from __future__ import annotations

import datetime

from notices.models import BreachRule, NoticeChannel, NoticeKind
from notices.planners_common import _link, _model, _officers
from notices.planning import (
    BreachFinding,
    PlannedNotice,
    Recipient,
    at_hour,
    register,
    register_breaches,
    register_trigger,
)
from panels import rules
from panels.models import DeadlineKind

# Officers are reminded of a duty this many days before its ToR deadline.
OFFICER_REMINDER_LEAD_DAYS = 2
# Members are reminded that the agenda proposal window closes this many days before it does.
PROPOSAL_WINDOW_REMINDER_DAYS = 7
# Members are reminded of a meeting (and how to send apologies) this many days before it.
APOLOGIES_REMINDER_DAYS = 2
# Officers are reminded of a ToR review and of the annual report this many days before.
GOVERNANCE_REMINDER_DAYS = 30
TERM_REMINDER_DAYS = (
    (NoticeKind.TERM_ENDING_90, 90),
    (NoticeKind.TERM_ENDING_30, 30),
)


# --- Memberships --------------------------------------------------------------------


def _memberships_daily(org, today: datetime.date):
    """Seats whose notices depend on the date: terms still to end, seats awaiting training."""
    from django.db.models import Q

    from members.models import CURRENT_STATUSES, Membership, MembershipStatus

    return (
        Membership.objects.for_org(org)
        .filter(
            Q(status__in=CURRENT_STATUSES, term_ends_on__gte=today)
            | Q(status=MembershipStatus.PENDING_TRAINING)
        )
        .select_related("person", "panel", "organisation")
    )


@register("members.membership", daily=_memberships_daily)
def plan_membership(membership, today: datetime.date) -> list[PlannedNotice]:
    """A seat's notices: its term ending (90 and 30 days, to the member), retirement for
    absences (member and officers) and core training still missing (member and officers)."""
    from notices.planners_members import retirement_notices, training_notices

    return [
        *_term_ending_notices(membership, today),
        *retirement_notices(membership, today),
        *training_notices(membership, today),
    ]


def _term_ending_notices(membership, today: datetime.date) -> list[PlannedNotice]:
    """Term of office ending in 90 and in 30 days, to the member. A re-appointment or an
    extension moves the end date: the pending reminders move with it."""
    from members.models import CURRENT_STATUSES
    from notices.selectors import person_recipients

    ends_on = membership.term_ends_on
    if membership.status not in CURRENT_STATUSES or ends_on is None or ends_on < today:
        return []
    (recipient,) = person_recipients(org=membership.organisation, people=[membership.person])
    planned = []
    for index, (kind, days) in enumerate(TERM_REMINDER_DAYS):
        send_on = ends_on - datetime.timedelta(days=days)
        later = TERM_REMINDER_DAYS[index + 1][1] if index + 1 < len(TERM_REMINDER_DAYS) else 0
        if today > ends_on - datetime.timedelta(days=later):
            continue  # the next, nearer reminder has taken over
        planned.append(
            PlannedNotice(
                kind=kind,
                recipient=recipient,
                due_at=at_hour(send_on),
                deadline_on=ends_on,
                panel_id=membership.panel_id,
                title=f"Your term on the {membership.panel.name} ends on {ends_on:%d %B %Y}",
                body=(
                    f"Dear {membership.person.first_name},\n\nYour term of office as a member "
                    f"of the {membership.panel.name} ends on {ends_on:%A %d %B %Y}. Your "
                    "engagement officer will talk to you about what the terms of reference "
                    "allow next (a further term, an extension, or stepping down)."
                ),
                occasion=ends_on.isoformat(),
            )
        )
    return planned


# --- Panels: ToR review, annual report, cadence ---------------------------------------


def _panels(org, today: datetime.date):
    from panels.models import Panel

    return Panel.objects.for_org(org).select_related("organisation")


def _meeting_dates(panel, year: int, today: datetime.date) -> tuple[list, list] | None:
    meeting_model = _model("meetings.Meeting")
    if meeting_model is None:
        return None
    rows = meeting_model.objects.for_org(panel.organisation_id).filter(panel=panel, date__year=year)
    held = [m.date for m in rows if m.status == "held"]
    # Still to come, not cancelled (rules.cadence_judgement counts those after the as-of date).
    planned = [m.date for m in rows if m.status in ("planned", "notice_given")]
    return held, planned


def _next_anniversary(start: datetime.date, today: datetime.date) -> datetime.date:
    from dateutil.relativedelta import relativedelta

    years = max(0, today.year - start.year)
    day = start + relativedelta(years=years)
    return day if day >= today else start + relativedelta(years=years + 1)


@register("panels.panel", daily=_panels)
def plan_panel(panel, today: datetime.date) -> list[PlannedNotice]:
    """Officers: the ToR review date, the annual report and a cadence at risk."""
    from panels.selectors import terms_in_force

    terms = terms_in_force(panel=panel, on=today)
    if terms is None:
        return []
    officers = _officers(panel.organisation)
    link = _link("notices:compliance", org_slug=panel.organisation.slug, panel_slug=panel.slug)
    planned: list[PlannedNotice] = []

    def to_officers(kind, *, send_on, deadline_on, title, body, occasion):
        for officer in officers:
            planned.append(
                PlannedNotice(
                    kind=kind,
                    recipient=officer,
                    due_at=at_hour(send_on),
                    deadline_on=deadline_on,
                    panel_id=panel.pk,
                    title=title,
                    body=body,
                    link=link,
                    occasion=occasion,
                )
            )

    if terms.review_due_on:
        due = terms.review_due_on
        to_officers(
            NoticeKind.TOR_REVIEW_DUE,
            send_on=due - datetime.timedelta(days=GOVERNANCE_REMINDER_DAYS),
            deadline_on=due,
            title=f"{panel.name}: terms of reference review due {due:%d %B %Y}",
            body=(
                f"The terms of reference of the {panel.name} (v{terms.version}) are due for "
                f"review on {due:%d %B %Y} ({rules.source_of(terms)})."
            ),
            occasion=f"v{terms.version}:{due.isoformat()}",
        )
    if terms.annual_report:
        due = _next_anniversary(terms.approved_on or terms.effective_from, today)
        to_officers(
            NoticeKind.ANNUAL_REPORT_DUE,
            send_on=due - datetime.timedelta(days=GOVERNANCE_REMINDER_DAYS),
            deadline_on=due,
            title=f"{panel.name}: annual report to {terms.reports_to or 'the Board'} due",
            body=(
                f"The {panel.name}'s annual report is due by {due:%d %B %Y}, a year on from "
                f"its terms of reference ({rules.source_of(terms, 'Reporting')})."
            ),
            occasion=due.isoformat(),
        )
    dates = _meeting_dates(panel, today.year, today)
    if dates is not None:
        held, upcoming = dates
        # The one judgement of the cadence, as of today (the programme, the compliance page
        # and the Board report ask the same): at risk while still possible, or cannot be met.
        judgement = rules.cadence_judgement(
            terms=terms, year=today.year, held=held, planned=upcoming, as_of=today
        )
        if judgement.at_risk:
            title = (
                f"{panel.name}: the meeting cadence for {today.year} cannot be met"
                if judgement.cannot_be_met
                else f"{panel.name}: not enough meetings planned for {today.year}"
            )
            to_officers(
                NoticeKind.CADENCE_AT_RISK,
                send_on=today,
                deadline_on=judgement.by,
                title=title,
                body=f"{judgement.message} ({rules.source_of(terms, 'Meetings')})",
                occasion=str(today.year),
            )
    return planned


register_trigger("panels.termsofreference", lambda terms: terms.panel)
register_trigger("panels.deadlinerule", lambda rule: rule.terms.panel)


# --- Meetings -----------------------------------------------------------------------

MEMBER_REMINDER_STATUSES = ("planned", "notice_given")
# Notices about a meeting still to come: none of them goes at or after its start.
BEFORE_THE_MEETING = (
    NoticeKind.MEETING_NOTICE,
    NoticeKind.PAPERS_DUE,
    NoticeKind.AGENDA_PROPOSALS_CLOSING,
    NoticeKind.APOLOGIES_REMINDER,
)


def meeting_start(meeting) -> datetime.datetime:
    from notices.planning import local_zone

    start = getattr(meeting, "start_time", None) or datetime.time(0)
    return datetime.datetime.combine(meeting.date, start, tzinfo=local_zone())


def planning_now(today: datetime.date) -> datetime.datetime:
    """The moment the plan is made: now when ``today`` is today, else the start of ``today``
    (a plan made "as of" another day)."""
    from django.utils import timezone

    if today == timezone.localdate():
        return timezone.now()
    return at_hour(today, 0)


def _too_late(start: datetime.datetime, due_at: datetime.datetime, now: datetime.datetime) -> str:
    """Why a notice about the meeting starting at ``start`` must not go, or ""."""
    if now >= start:
        return (
            f"The meeting started at {start:%H:%M} on {start:%d %B %Y}: no reminder is sent "
            "after a meeting starts."
        )
    if due_at >= start:
        return (
            f"It would go at {due_at:%H:%M} on {due_at:%d %B %Y}, at or after the meeting's "
            f"start ({start:%H:%M} on {start:%d %B %Y}): not sent."
        )
    return ""


def _open_meetings(org, today: datetime.date):
    meeting_model = _model("meetings.Meeting")
    # Meetings still ahead, and past ones whose minutes or key messages may still be due.
    return (
        meeting_model.objects.for_org(org)
        .filter(date__gte=today - datetime.timedelta(days=60))
        .select_related("panel", "organisation")
    )


def _meeting_when(meeting) -> str:
    when = f"{meeting.date:%A %d %B %Y}"
    if getattr(meeting, "start_time", None):
        when += f" at {meeting.start_time:%H:%M}"
    if getattr(meeting, "place", ""):
        when += f", {meeting.place}"
    return when


@register("meetings.meeting", daily=_open_meetings)
def plan_meeting(meeting, today: datetime.date) -> list[PlannedNotice]:
    """Every ToR deadline of a meeting as reminders and notices; a cancelled meeting's
    pending notices are withdrawn and those already told hear that it is cancelled."""
    from meetings.selectors import meeting_deadline_states
    from notices.selectors import panel_member_recipients

    org, panel = meeting.organisation, meeting.panel
    link = _link("meetings:detail", org_slug=org.slug, meeting_id=meeting.pk)
    name = meeting.display_title if hasattr(meeting, "display_title") else str(meeting)
    when = _meeting_when(meeting)
    if meeting.status == "cancelled":
        return _cancellation_notices(meeting, name=name, when=when, today=today)
    planned: list[PlannedNotice] = []
    officers = _officers(org)
    members_cache: dict[str, list[Recipient]] = {}

    def members(channel: str = "") -> list[Recipient]:
        if channel not in members_cache:
            members_cache[channel] = panel_member_recipients(
                panel=panel, on=meeting.date, required_channel=channel
            )
        return members_cache[channel]

    def add(kind, recipients, *, send_on, deadline_on, title, body, occasion=""):
        due_at = at_hour(send_on)
        before = kind in BEFORE_THE_MEETING
        # A notice about the meeting never goes at or after its start (a meeting scheduled
        # the same day, or moved earlier): withdrawn in the ledger with the reason.
        withdraw = _too_late(start, due_at, now) if before else ""
        for recipient in recipients:
            planned.append(
                PlannedNotice(
                    kind=kind,
                    recipient=recipient,
                    due_at=due_at,
                    deadline_on=deadline_on,
                    panel_id=panel.pk,
                    title=title,
                    body=body,
                    link=link,
                    occasion=occasion,
                    expires_at=start if before else None,
                    withdraw=withdraw,
                )
            )

    upcoming = meeting.status in MEMBER_REMINDER_STATUSES and meeting.date >= today
    start, now = meeting_start(meeting), planning_now(today)
    for state in meeting_deadline_states(meeting=meeting, today=today):
        due = state.due_on
        rule = f"{state.rule_text} ({state.source})"
        if state.kind == DeadlineKind.MEETING_NOTICE and upcoming:
            # The formal notice of the date: on the ToR's last day, or at once if given early.
            send_on = meeting.notice_given_on or due
            add(
                NoticeKind.MEETING_NOTICE,
                members(),
                send_on=send_on,
                deadline_on=due,
                title=f"{name}: {when}",
                body=f"The {panel.name} will meet on {when}. Notice is given {rule}.",
                occasion=f"{meeting.date.isoformat()}",
            )
        elif state.kind == DeadlineKind.PAPERS_OUT and upcoming and not meeting.papers_issued_on:
            if due >= today:
                add(
                    NoticeKind.PAPERS_DUE,
                    officers,
                    send_on=due - datetime.timedelta(days=OFFICER_REMINDER_LEAD_DAYS),
                    deadline_on=due,
                    title=f"{name}: papers must go out by {due:%A %d %B %Y}",
                    body=f"The agenda and papers for {when} must reach members {rule}.",
                )
        elif state.kind == DeadlineKind.AGENDA_PROPOSALS and upcoming and due >= today:
            add(
                NoticeKind.AGENDA_PROPOSALS_CLOSING,
                members(),
                send_on=due - datetime.timedelta(days=PROPOSAL_WINDOW_REMINDER_DAYS),
                deadline_on=due,
                title=f"{name}: propose agenda items by {due:%A %d %B %Y}",
                body=f"Agenda items for {when} must be proposed {rule}.",
            )
        elif state.kind in (DeadlineKind.MINUTES_OUT, DeadlineKind.KEY_MESSAGES):
            done = state.done_on is not None
            if done or due < today or meeting.status == "cancelled":
                continue
            kind = (
                NoticeKind.MINUTES_DUE
                if state.kind == DeadlineKind.MINUTES_OUT
                else NoticeKind.KEY_MESSAGES_DUE
            )
            send_on = max(meeting.date, due - datetime.timedelta(days=OFFICER_REMINDER_LEAD_DAYS))
            what = "Minutes" if kind == NoticeKind.MINUTES_DUE else "Key messages"
            add(
                kind,
                officers,
                send_on=send_on,
                deadline_on=due,
                title=f"{name}: {what.lower()} due by {due:%A %d %B %Y}",
                body=f"{what} of the meeting on {when} are due {rule}.",
            )
    if upcoming:
        add(
            NoticeKind.APOLOGIES_REMINDER,
            members(),
            send_on=meeting.date - datetime.timedelta(days=APOLOGIES_REMINDER_DAYS),
            deadline_on=meeting.date,
            title=f"Reminder: {name}, {when}",
            body=(
                f"The {panel.name} meets on {when}. If you cannot come, please send your "
                "apologies with a reason, so your absence is recorded as explained."
            ),
            occasion=meeting.date.isoformat(),
        )
    return planned


def _cancellation_notices(
    meeting, *, name: str, when: str, today: datetime.date
) -> list[PlannedNotice]:
    """Members who were told of the meeting (its date notice or papers went out) hear that it
    is cancelled; nobody else is written to."""
    from members.models import Person
    from notices.models import NoticeStatus
    from notices.selectors import notices_for_subject, person_recipients

    told = (
        notices_for_subject(subject=meeting)
        .filter(
            status=NoticeStatus.SENT,
            kind__in=[NoticeKind.MEETING_NOTICE, NoticeKind.APOLOGIES_REMINDER],
            recipient_person__isnull=False,
        )
        .values_list("recipient_person_id", flat=True)
    )
    people = Person.objects.for_org(meeting.organisation_id).filter(pk__in=list(told))
    reason = getattr(meeting, "cancelled_reason", "")
    return [
        PlannedNotice(
            kind=NoticeKind.MEETING_CANCELLED,
            recipient=recipient,
            due_at=at_hour(today),
            panel_id=meeting.panel_id,
            title=f"Cancelled: {name}, {when}",
            body=f"The meeting on {when} is cancelled." + (f" {reason}" if reason else ""),
            occasion=meeting.date.isoformat(),
        )
        for recipient in person_recipients(org=meeting.organisation, people=people)
    ]


# Which ToR deadline kinds are duties whose miss is a breach.
BREACH_RULES = {
    "meeting_notice": BreachRule.MEETING_NOTICE,
    "papers_out": BreachRule.PAPERS_OUT,
    "minutes_out": BreachRule.MINUTES_OUT,
    "key_messages": BreachRule.KEY_MESSAGES,
}


@register_breaches("meetings.meeting")
def _meeting_breaches(meeting, today: datetime.date) -> list[BreachFinding]:
    from meetings.selectors import DeadlineStateKind, meeting_deadline_states

    findings = []
    late = set(filter(None, getattr(meeting, "late_deadlines", "").split(",")))
    for state in meeting_deadline_states(meeting=meeting, today=today):
        on_time = state.state == DeadlineStateKind.DONE
        if state.kind in BREACH_RULES and (state.is_breach or on_time):
            findings.append(
                BreachFinding(
                    rule=BREACH_RULES[state.kind],
                    panel_id=meeting.panel_id,
                    due_on=state.due_on,
                    done_on=state.done_on,
                    rule_text=f"{state.label}: {state.rule_text}",
                    source=state.source,
                    subject_label=str(meeting)[:300],
                    on_time=on_time,
                    reason=meeting.late_reason if state.kind in late else "",
                )
            )
    return findings


# --- Papers issued (meetings.PaperIssue): the ledger delivers them ---------------------


@register("meetings.paperissue")
def plan_paper_issue(issue, today: datetime.date) -> list[PlannedNotice]:
    """Papers issued to one member. Issued by email, the ledger sends the email with the
    link to the papers (so it goes once, after commit, however long the broker is away);
    by post, the ledger makes the letter: a dated covering letter followed by the pack,
    waiting in the officers' print queue to be printed and posted. Due from the start of
    the issue day: they go when issued."""
    meeting = issue.meeting
    person = issue.person
    by_email = issue.channel == "email" and bool(person.email)
    address = "\n".join(x for x in (person.address.strip(), person.postcode.strip()) if x)
    note = ""
    if not by_email:
        note = "Papers by post: covering letter and pack."
        if not person.address.strip():
            note = "No postal address on file: the letter waits in the print queue for one."
    recipient = Recipient(
        key=f"p{person.pk}",
        name=person.full_name,
        channel=NoticeChannel.EMAIL if by_email else NoticeChannel.POST,
        user_id=person.user_id,
        person_id=person.pk,
        email=person.email,
        address="" if by_email else address,
        channel_note=note,
    )
    name = meeting.display_title if hasattr(meeting, "display_title") else str(meeting)
    return [
        PlannedNotice(
            kind=NoticeKind.PAPERS_ISSUED,
            recipient=recipient,
            due_at=at_hour(issue.issued_on, 0),
            deadline_on=meeting.date,
            panel_id=meeting.panel_id,
            title=f"Papers: {name}, {_meeting_when(meeting)}",
            body=(
                f"Dear {person.first_name},\n\nThe agenda and papers for the "
                f"{meeting.panel.name} meeting on {_meeting_when(meeting)} are ready. Please "
                f"read them before the meeting."
            ),
            link=_link(
                "meetings:papers", org_slug=meeting.organisation.slug, meeting_id=meeting.pk
            ),
            occasion=meeting.date.isoformat(),
        )
    ]


# --- People: a changed address or email re-plans their pending notices -----------------


def _person_subjects(person):
    from notices.selectors import pending_subjects_for_person

    return pending_subjects_for_person(person=person)


register_trigger("members.person", _person_subjects)


# --- Officers' daily summary ----------------------------------------------------------

SUMMARY_DAYS = 7
SUMMARY_HOUR = 7


def _organisation(org, today: datetime.date):
    return [org]


@register("panels.organisation", daily=_organisation, hook=False)
def plan_officer_summary(org, today: datetime.date) -> list[PlannedNotice]:
    """Each officer's morning email: what is due in the next 7 days across the panels."""
    from django.utils import timezone

    from notices.selectors import due_soon_by_occasion, officer_recipients

    occasions = due_soon_by_occasion(org=org, now=timezone.now(), days=SUMMARY_DAYS)
    if not occasions:
        return []
    lines = []
    for occasion in occasions:
        panel = f"{occasion.panel_name}: " if occasion.panel_name else ""
        who = occasion.recipients
        channels = [
            name
            for name, count in (
                ("email", occasion.by_email),
                ("post", occasion.by_post),
                ("in panelhub", occasion.in_app),
            )
            if count
        ]
        lines.append(
            f"- {occasion.due_on:%a %d %b} {panel}{occasion.title} "
            f"({who} recipient{'s' if who != 1 else ''}, {', '.join(channels)})"
        )
    body = f"Due in the next {SUMMARY_DAYS} days at {org.name}:\n\n" + "\n".join(lines)
    return [
        PlannedNotice(
            kind=NoticeKind.OFFICER_SUMMARY,
            recipient=officer,
            due_at=at_hour(today, SUMMARY_HOUR),
            title=f"{org.display_name}: due in the next {SUMMARY_DAYS} days",
            body=body,
            link=_link("notices:officer_list", org_slug=org.slug),
            occasion=today.isoformat(),
        )
        for officer in officer_recipients(org=org)
    ]
