"""Landlord-sized data (meetings layer): each panel's programme over the history and the
months ahead, with agendas, papers, registers, motions, minutes and key messages.

Meetings fall on working days at the ToR's cadence (monthly, quarterly, or its minimum a
year; before each committee date where the panel meets before a committee). Their duties
(notice, papers, minutes, key messages) are dated against the ToR deadlines as
``panels.rules`` computes them: most on time, about one in ten late, so the notices layer
finds real breaches. Registers never give anyone the run of unexplained absences the ToR
would act on, and motions are decided by ``rules.vote_outcome``.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from meetings.models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CommitteeDate,
    ItemSource,
    KeyMessages,
    Meeting,
    MeetingStatus,
    MinuteEntry,
    Minutes,
    Motion,
    MotionKind,
    MotionOutcome,
    Paper,
    PaperIssue,
    PresidingBasis,
)
from members.models import Channel, Membership, Person
from panels import rules
from panels.models import (
    DeadlineKind,
    DeadlineRule,
    Organisation,
    Panel,
    Role,
    TermsOfReference,
    User,
)
from panels.scale import ScalePlan, bulk, scale_email, working_day_on_or_after
from panels.selectors import working_calendar

LATE_SHARE = 0.1
# Synthetic volume, not a rule: how many meetings a year to generate for a ToR that states
# no cadence (the rules answer "not stated" for it).
MEETINGS_A_YEAR_WHERE_NOT_STATED = 4
CANCELLED_SHARE = 0.04
ITEMS = (
    ("Apologies and declarations of interest", "Chair", 5),
    ("Minutes of the last meeting and matters arising", "Chair", 10),
    ("Performance report: quarter results against targets", "Performance Officer", 30),
    ("Complaints and customer feedback", "Customer Experience Manager", 20),
    ("Service review update", "Review lead", 30),
    ("Policy for consultation", "Policy Officer", 25),
    ("Work plan and budget", "Engagement Officer", 15),
)
CONFIDENTIAL_ITEM = ("Individual complaint case review", "Complaints Manager", 20)
AOB_ITEM = ("Any other business", "Chair", 10)
NOTICE_TO_ACT_TEXT = (
    "That the panel serves a Notice to Act on the Board about the persistent failure to "
    "complete emergency repairs within 24 hours."
)
PAPER_NAME = "scale-agenda-pack.pdf"


def seed_org(plan: ScalePlan, org: Organisation, org_index: int) -> None:
    rng = plan.rng("meetings", org_index)
    calendar = working_calendar(org=org)
    officer = User.objects.get(email=scale_email(org.slug, f"{Role.OFFICER}1"))
    panels = list(Panel.objects.for_org(org).order_by("id"))
    terms_of = {t.panel_id: t for t in TermsOfReference.objects.for_org(org)}
    rules_of: dict[int, list[DeadlineRule]] = {}
    for rule in DeadlineRule.objects.for_org(org):
        rules_of.setdefault(rule.terms_id, []).append(rule)
    seats_of: dict[int, list[Membership]] = {}
    for seat in Membership.objects.for_org(org).order_by("id"):
        seats_of.setdefault(seat.panel_id, []).append(seat)
    people = {p.pk: p for p in Person.objects.for_org(org)}
    paper_file = _shared_paper(org)

    meetings, committee_dates = [], []
    for panel in panels:
        terms = terms_of[panel.pk]
        dates, committees = _programme(rng, plan, calendar, terms, panel)
        committee_dates.extend(committees)
        for date in dates:
            meetings.append(
                _meeting(rng, plan, calendar, org, panel, terms, rules_of.get(terms.pk, []), date)
            )
    committee_dates = bulk(CommitteeDate, committee_dates)
    by_panel_date = {(c.panel_id, c.date): c for c in committee_dates}
    for meeting in meetings:
        meeting.created_by = officer
        meeting.before_committee = by_panel_date.get(
            (meeting.panel_id, getattr(meeting, "_committee_on", None))
        )
    meetings = bulk(Meeting, meetings)

    items, attendance, motions, issues = [], [], [], []
    absences: dict[int, int] = {}  # consecutive unexplained absences per seat
    for meeting in meetings:
        terms = terms_of[meeting.panel_id]
        seats = [s for s in seats_of.get(meeting.panel_id, []) if _seat_on(s, meeting.date)]
        meeting._items = _agenda(rng, org, meeting, terms)
        items.extend(meeting._items)
        if meeting.papers_issued_on:
            for seat in seats:
                person = people[seat.person_id]
                issues.append(
                    PaperIssue(
                        organisation=org,
                        meeting=meeting,
                        person=person,
                        channel=PaperIssue.IssueChannel.POST
                        if person.preferred_channel == Channel.POST
                        else PaperIssue.IssueChannel.EMAIL,
                        issued_on=meeting.papers_issued_on,
                        issued_by=officer,
                    )
                )
        if meeting.status != MeetingStatus.HELD:
            continue
        register = _register(rng, org, meeting, terms, seats, absences, officer)
        attendance.extend(register)
        meeting._present = [
            a.membership
            for a in register
            if a.status in (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT_VIRTUALLY)
        ]
        meeting._seats = seats
    items = bulk(AgendaItem, items)
    bulk(Attendance, attendance)
    bulk(PaperIssue, issues)
    bulk(
        Paper,
        [
            Paper(
                organisation=org,
                item=item,
                title=f"{item.title} (report)",
                file=paper_file,
                original_name="performance-report.pdf",
                uploaded_by=officer,
            )
            for meeting in meetings
            for item in meeting._items
            if item.position == 3  # the performance report
        ],
    )

    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    for meeting in held:
        motions.extend(_motions(rng, org, meeting, terms_of[meeting.panel_id], officer))
    bulk(Motion, motions)
    _minutes(rng, org, held, officer)
    _key_messages(org, [m for m in held if terms_of[m.panel_id].key_messages_published])


# --- The programme ----------------------------------------------------------------------


def _programme(rng, plan: ScalePlan, calendar, terms: TermsOfReference, panel: Panel):
    """The meeting dates of one panel from the first day of the history to the months
    ahead, and the committee dates it meets before (if any)."""
    per_year = rules.meetings_required_per_year(terms) or MEETINGS_A_YEAR_WHERE_NOT_STATED
    step = 365 // per_year
    committees, dates = [], []
    day = plan.first_day + datetime.timedelta(days=rng.randint(0, step - 1))
    while day <= plan.last_day:
        if terms.meets_before_committee:
            committee_on = working_day_on_or_after(day + datetime.timedelta(days=14), calendar)
            committees.append(
                CommitteeDate(
                    organisation=panel.organisation,
                    panel=panel,
                    committee=terms.meets_before_committee,
                    date=committee_on,
                )
            )
        dates.append(
            (working_day_on_or_after(day, calendar), committees[-1] if committees else None)
        )
        day += datetime.timedelta(days=step + rng.randint(-5, 5))
    # A working day can repeat after rounding forward over a holiday: keep the first.
    seen, unique = set(), []
    for date, committee in dates:
        if date not in seen:
            seen.add(date)
            unique.append((date, committee))
    return unique, committees


def _meeting(rng, plan, calendar, org, panel, terms, deadline_rules, entry) -> Meeting:
    date, committee = entry
    start = terms.usual_start_time or datetime.time(18, 0)
    end = terms.usual_end_time or datetime.time(start.hour + 2, start.minute)
    past = date < plan.base_date
    status = MeetingStatus.HELD if past else MeetingStatus.PLANNED
    if past and rng.random() < CANCELLED_SHARE:
        status = MeetingStatus.CANCELLED
    meeting = Meeting(
        organisation=org,
        panel=panel,
        title=f"{panel.name} meeting",
        date=date,
        start_time=start,
        end_time=end,
        place=rng.choice(("Community room, Main Office", "Civic Centre, Room 2", "Online")),
        status=status,
        cancelled_reason="Not enough members could attend." if status == "cancelled" else "",
        presiding_basis=PresidingBasis.CHAIR if status == MeetingStatus.HELD else "",
    )
    meeting._committee_on = committee.date if committee else None
    due = {
        r.kind: rules.deadline_date(r, date, calendar)
        for r in deadline_rules
        if r.direction == "before" or past
    }

    def done(kind: str, default_days: int, after: bool = False) -> datetime.date | None:
        """When a duty was done: against its deadline, on time or (sometimes) late."""
        if kind in due:
            on_time = calendar.last_working_day_on_or_before(due[kind])
            if rng.random() < LATE_SHARE:
                day = due[kind] + datetime.timedelta(days=rng.randint(1, 3))
            else:
                day = on_time - datetime.timedelta(days=rng.randint(0, 2))
        else:
            delta = datetime.timedelta(days=default_days + rng.randint(0, 3))
            day = date + delta if after else date - delta
        return day if day < plan.base_date else None

    meeting.notice_given_on = done(DeadlineKind.MEETING_NOTICE, 28)
    if meeting.notice_given_on:
        if status == MeetingStatus.PLANNED:
            meeting.status = MeetingStatus.NOTICE_GIVEN
        meeting.papers_issued_on = done(DeadlineKind.PAPERS_OUT, 7)
    if status == MeetingStatus.HELD:
        meeting.minutes_published_on = done(DeadlineKind.MINUTES_OUT, 14, after=True)
        if terms.key_messages_published:
            meeting.key_messages_published_on = done(DeadlineKind.KEY_MESSAGES, 5, after=True)
    return meeting


def _seat_on(seat: Membership, day: datetime.date) -> bool:
    return seat.starts_on <= day and (seat.ended_on is None or day <= seat.ended_on)


def _agenda(rng, org, meeting: Meeting, terms) -> list[AgendaItem]:
    chosen = list(ITEMS[:3]) + rng.sample(ITEMS[3:], k=rng.randint(1, len(ITEMS) - 3))
    if rng.random() < 0.3:
        chosen.append(CONFIDENTIAL_ITEM)
    chosen.append(AOB_ITEM)
    return [
        AgendaItem(
            organisation=org,
            meeting=meeting,
            position=n,
            title=title,
            owner=owner,
            minutes_allotted=minutes,
            is_confidential=(title, owner, minutes) == CONFIDENTIAL_ITEM,
            source=ItemSource.AOB if (title, owner, minutes) == AOB_ITEM else ItemSource.OFFICER,
        )
        for n, (title, owner, minutes) in enumerate(chosen, start=1)
    ]


def _register(rng, org, meeting, terms, seats, absences, officer) -> list[Attendance]:
    """One line per seat. Nobody reaches the ToR's limit of unexplained absences (a real
    panel would have acted on it through the members services)."""
    limit = terms.absence_limit
    lines = []
    for seat in seats:
        roll = rng.random()
        if roll < 0.8:
            status = AttendanceStatus.PRESENT
            if terms.may_meet_virtually and rng.random() < 0.2:
                status = AttendanceStatus.PRESENT_VIRTUALLY
        elif roll < 0.95:
            status = AttendanceStatus.APOLOGIES
        else:
            status = AttendanceStatus.ABSENT
        unexplained = status == AttendanceStatus.ABSENT
        if unexplained and limit and absences.get(seat.pk, 0) + 1 >= limit:
            status, unexplained = AttendanceStatus.PRESENT, False
        absences[seat.pk] = absences.get(seat.pk, 0) + 1 if unexplained else 0
        lines.append(
            Attendance(
                organisation=org,
                meeting=meeting,
                membership=seat,
                status=status,
                apology_reason="Hospital appointment" if status == "apologies" else "",
                reason_accepted=True if status == AttendanceStatus.APOLOGIES else None,
                recorded_by=officer,
            )
        )
    return lines


def _motions(rng, org, meeting, terms, officer) -> list[Motion]:
    voters = [s for s in meeting._present if rules.is_voting_member(terms, s.role)]
    if not voters:
        return []
    membership = len([s for s in meeting._seats if rules.is_voting_member(terms, s.role)])
    kinds = [MotionKind.ORDINARY] * rng.randint(1, 2)
    if terms.all_member_majority_motions and rng.random() < 0.1:
        kinds.append(MotionKind.NOTICE_TO_ACT)
    motions = []
    for kind in kinds:
        consensus = terms.decision_method == "consensus_then_vote" and rng.random() < 0.6
        votes_for = rng.randint(len(voters) // 2, len(voters))
        votes_against = rng.randint(0, len(voters) - votes_for)
        abstentions = len(voters) - votes_for - votes_against
        casting = None
        if votes_for == votes_against and not consensus and terms.chair_casting_vote:
            casting = True
        outcome = rules.vote_outcome(
            terms=terms,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            membership=membership,
            motion_kind=kind,
            consensus=consensus,
            chair_casting_vote_for=casting,
        )
        if outcome.method == "tie_awaiting_casting_vote":
            result = MotionOutcome.AWAITING_CASTING_VOTE
        else:
            result = MotionOutcome.CARRIED if outcome.carried else MotionOutcome.LOST
        motions.append(
            Motion(
                organisation=org,
                meeting=meeting,
                item=meeting._items[2],
                kind=kind,
                text=NOTICE_TO_ACT_TEXT
                if kind == MotionKind.NOTICE_TO_ACT
                else "That the panel accepts the report and its recommendations.",
                mover=rng.choice(voters),
                consensus=outcome.method == "consensus",
                votes_for=0 if outcome.method == "consensus" else votes_for,
                votes_against=0 if outcome.method == "consensus" else votes_against,
                abstentions=0 if outcome.method == "consensus" else abstentions,
                chair_casting_vote_for=casting if outcome.casting_vote_used else None,
                outcome=result,
                method=outcome.method,
                explanation=outcome.explanation[:300],
                decided_at=datetime.datetime.combine(
                    meeting.date, meeting.end_time, tzinfo=datetime.UTC
                )
                if result != MotionOutcome.AWAITING_CASTING_VOTE
                else None,
                recorded_by=officer,
            )
        )
    return motions


def _minutes(rng, org, held: list[Meeting], officer) -> None:
    versions = bulk(
        Minutes,
        [
            Minutes(
                organisation=org,
                meeting=meeting,
                version=1,
                published_on=meeting.minutes_published_on,
                published_by=officer if meeting.minutes_published_on else None,
                created_by=officer,
            )
            for meeting in held
        ],
    )
    entries, actions = [], []
    for meeting, minutes in zip(held, versions, strict=True):
        public = []
        for item in meeting._items:
            text = f"The panel discussed {item.title.lower()} presented by the {item.owner}."
            entries.append(MinuteEntry(organisation=org, minutes=minutes, item=item, text=text))
            item_actions = []
            if item.position == 3 or rng.random() < 0.15:
                action = ActionPoint(
                    organisation=org,
                    minutes=minutes,
                    item=item,
                    description=f"{item.owner} to report back on {item.title.lower()}",
                    owner=item.owner,
                    due_on=meeting.date + datetime.timedelta(days=rng.randint(14, 60)),
                    done_on=None,
                )
                actions.append(action)
                item_actions.append(action)
            if not item.is_confidential:
                public.append(
                    {
                        "position": item.position,
                        "title": item.title,
                        "text": text,
                        "actions": [
                            {"description": a.description, "due_on": a.due_on.isoformat()}
                            for a in item_actions
                        ],
                    }
                )
        if minutes.published_on:
            minutes.public_entries = public
    Minutes.objects.bulk_update(
        [m for m in versions if m.published_on], ["public_entries"], batch_size=500
    )
    bulk(MinuteEntry, entries)
    bulk(ActionPoint, actions)


def _key_messages(org, held: list[Meeting]) -> None:
    rows = []
    for meeting in held:
        text = (
            f"The {meeting.panel.name} reviewed performance and complaints and agreed its "
            "recommendations to the Board."
        )
        chair = next((s for s in meeting._present if s.role == "chair"), None)
        rows.append(
            KeyMessages(
                organisation=org,
                meeting=meeting,
                version=1,
                text=text,
                signed_off_by=chair,
                signed_off_on=meeting.key_messages_published_on,
                published_on=meeting.key_messages_published_on,
                public_text=text if meeting.key_messages_published_on else "",
            )
        )
    bulk(KeyMessages, rows)


def _shared_paper(org: Organisation) -> str:
    """One small PDF per organisation that every scale paper points at, through the storage
    API (so it lands wherever uploads go)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return default_storage.save(f"papers/{org.pk}/{PAPER_NAME}", ContentFile(out.getvalue()))
