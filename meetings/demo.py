"""Meetings for every demo organisation, spread across last year and this one by the ToR's
own cadence (monthly, quarterly, six a year, before each committee date), so each panel is
on track today: meetings already past were held, with notice, papers, a register and
minutes on time; one of them had its papers out late (the organisation's one deliberate
breach, for the compliance pages). The latest held meeting has items (one confidential),
a motion, minutes (and key messages where the ToR has them); the next one has its agenda.
Venues, agendas and papers (real multi-page PDFs, meetings.demo_papers) come from each
organisation's own profile. Idempotent: a panel that already has meetings is left alone."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from meetings import demo_papers, services
from meetings.models import Attendance, AttendanceStatus, ItemSource, Meeting, MotionKind
from meetings.selectors import eligible_voters, untrained_voters
from members.models import Person
from members.selectors import current_memberships
from panels import rules
from panels.demo import DEMO_ORGANISATIONS, demo_email, main_panel
from panels.models import Organisation, Role
from panels.selectors import terms_in_force, working_calendar
from panels.tenancy import org_scope

COMMITTEE_MONTHS = (3, 6, 9, 12)


# Each organisation's own venue, homes, standing agenda items, performance figures and the
# policy its panel is consulted on.
PROFILES = {
    "helena": {
        "venue": "Boardroom, Helena Partnerships, Sherdley Road, St Helens",
        "homes": 13400,
        "items": [("Repairs performance: first-time fixes", "Head of Repairs")],
        "figures": [("Repairs completed right first time", "%", 85, (81, 83, 82, 84))],
        "policy": ("Repairs and maintenance policy 2027", "Director of Property Services"),
    },
    "hfh": {
        "venue": "Riverside Community Centre, Hartlepool",
        "homes": 2150,
        "items": [("Void homes: time to re-let", "Lettings Manager")],
        "figures": [("Average days to re-let a home", " days", 28, (34, 31, 30, 27))],
        "policy": ("Lettings policy review", "Head of Housing Management"),
    },
    "ivh": {
        "venue": "Meeting room 2, Irwell Valley Homes, Sale",
        "homes": 8700,
        "items": [("Customer offer: what residents told us", "Customer Insight Lead")],
        "figures": [("Residents satisfied with the customer offer", "%", 75, (69, 71, 74, 76))],
        "policy": ("Customer offer standards", "Director of Customer Experience"),
    },
    "tht": {
        "venue": "Quality and Insight Room, Thirteen Hub, Middlesbrough",
        "homes": 34600,
        "items": [("Complaints handled within the Code's timescales", "Complaints Manager")],
        "figures": [("Stage one complaints answered in time", "%", 95, (88, 90, 93, 94))],
        "policy": ("Complaints and compensation policy", "Head of Customer Resolution"),
    },
    "stockport": {
        "venue": "Aspire Room, Cheadle Place, Stockport",
        "homes": 11900,
        "items": [("Anti-social behaviour: case outcomes", "Neighbourhoods Manager")],
        "figures": [("ASB cases resolved at first intervention", "%", 70, (62, 64, 67, 71))],
        "policy": ("Anti-social behaviour policy", "Head of Neighbourhoods"),
    },
}
POLICY_SECTIONS = [
    "What residents can expect",
    "How to ask and how long it takes",
    "Vulnerable residents and reasonable adjustments",
    "Putting things right",
    "How we check the policy works",
]


def _quarters_before(day: datetime.date, count: int) -> tuple[str, ...]:
    quarter, year = (day.month - 1) // 3, day.year
    labels = []
    for _ in range(count):
        quarter -= 1
        if quarter < 0:
            quarter, year = 3, year - 1
        labels.insert(0, f"Q{quarter + 1} {year}")
    return tuple(labels)


_PAPERS: dict[tuple[str, str], bytes] = {}


def _paper(key: tuple[str, str], make) -> ContentFile:
    """Each organisation's papers are drawn once per seed run (WeasyPrint is the slow part)
    and uploaded to each meeting that takes them."""
    if key not in _PAPERS:
        content = make()
        _PAPERS[key] = content.read()
    return ContentFile(_PAPERS[key], name=f"{key[1]}.pdf")


def _performance_paper(org, panel, meeting_on: datetime.date) -> ContentFile:
    profile = PROFILES.get(org.slug, PROFILES["helena"])
    quarter = f"{meeting_on.year}-q{(meeting_on.month - 1) // 3 + 1}"

    def make() -> ContentFile:
        labels = _quarters_before(meeting_on, 4)
        figures = [
            demo_papers.Figure(name, unit, target, values, labels)
            for name, unit, target, values in profile["figures"]
        ]
        return demo_papers.performance_summary(
            organisation=org.name,
            panel=panel.name,
            meeting_on=meeting_on,
            homes=profile["homes"],
            figures=figures,
        )

    return _paper((org.slug, f"performance-summary-{quarter}"), make)


def _policy_paper(org) -> ContentFile:
    title, owner = PROFILES.get(org.slug, PROFILES["helena"])["policy"]
    return _paper(
        (org.slug, "policy-draft"),
        lambda: demo_papers.policy_draft(
            organisation=org.name, title=title, owner=owner, sections=POLICY_SECTIONS
        ),
    )


def seed() -> None:
    today = timezone.localdate()
    for spec in DEMO_ORGANISATIONS:
        org = Organisation.objects.get(slug=spec.slug)
        with org_scope(org):
            _seed_org(org, today)


def _seed_org(org: Organisation, today: datetime.date) -> None:
    panel = main_panel(org)
    terms = terms_in_force(panel=panel, on=today)
    if terms is None:
        return
    if terms.meets_before_committee:
        _committee_dates(org, panel, terms, today.year)
    member = Person.objects.for_org(org).filter(email=demo_email(org.slug, Role.MEMBER)).first()
    if member is not None:
        services.calendar_feed_for(person=member)
    if Meeting.objects.for_org(org).filter(panel=panel).exists():
        return
    venue = PROFILES.get(org.slug, PROFILES["helena"])["venue"]
    for year in (today.year - 1, today.year):
        if terms.meets_before_committee:
            _committee_dates(org, panel, terms, year)
        services.meeting_programme_generate(
            panel=panel, year=year, today=datetime.date(year, 1, 1), place=venue
        )
    meetings = list(Meeting.objects.for_org(org).filter(panel=panel).order_by("date"))
    if not any(m.date >= today for m in meetings):
        year = today.year + 1
        if terms.meets_before_committee:
            _committee_dates(org, panel, terms, year)
        services.meeting_programme_generate(
            panel=panel, year=year, today=datetime.date(year, 1, 1), place=venue
        )
        meetings = list(Meeting.objects.for_org(org).filter(panel=panel).order_by("date"))
    past = [m for m in meetings if m.date < today]
    future = [m for m in meetings if m.date >= today]
    # The one deliberate breach, on a duty this ToR sets: the papers of the meeting before
    # the latest went out late, or its notice was given late. (A ToR with neither has its
    # breach in scrutiny: a Board response overdue.)
    kinds = {d.kind for d in terms.deadlines.all()}
    late = "papers" if "papers_out" in kinds else "notice" if "meeting_notice" in kinds else ""
    breach = past[-2] if len(past) >= 2 else None
    for meeting in past[:-1]:
        _seed_past(org, panel, terms, meeting, today, late=late if meeting is breach else "")
    if past:
        _seed_held(org, panel, terms, past[-1], today)
    if future:
        _seed_upcoming(future[0], today)


def _committee_dates(org, panel, terms, year: int) -> None:
    from meetings.models import CommitteeDate

    calendar = working_calendar(org=org)
    for month in COMMITTEE_MONTHS:
        date = calendar.working_day_on_or_after(datetime.date(year, month, 20))
        CommitteeDate.objects.get_or_create(
            organisation=org,
            panel=panel,
            date=date,
            defaults={"committee": terms.meets_before_committee},
        )


def _papers_on(meeting, late: bool) -> datetime.date:
    """Ten days before the meeting (inside every demo ToR's papers deadline), or the day
    before it for the deliberate breach."""
    return meeting.date - datetime.timedelta(days=1 if late else 10)


def _seed_past(org, panel, terms, meeting, today, *, late: str) -> None:
    """A meeting already past: notice, agenda, the performance paper, papers out, a
    register (one apology), held, minutes (and key messages) published three days later;
    ``late`` ("papers" or "notice") makes that duty late."""
    notice_days = 7 if late == "notice" else 21
    services.meeting_give_notice(
        meeting=meeting, today=meeting.date - datetime.timedelta(days=notice_days)
    )
    services.agenda_item_add(
        meeting=meeting, title="Welcome, apologies and declarations", owner="Chair", today=today
    )
    title, owner = PROFILES.get(org.slug, PROFILES["helena"])["items"][0]
    item = services.agenda_item_add(
        meeting=meeting, title=title, owner=owner, minutes_allotted=30, today=today
    )
    services.paper_upload(
        item=item,
        title="Performance summary",
        file=_performance_paper(org, panel, meeting.date),
    )
    meeting.refresh_from_db()
    meeting.papers_issued_on = _papers_on(meeting, late == "papers")
    meeting.save(update_fields=["papers_issued_on"])
    seats = list(current_memberships(panel=panel, on=meeting.date))
    for index, seat in enumerate(seats):
        apologies = index == len(seats) - 1 and len(seats) > 3
        line = services.attendance_record(
            meeting=meeting,
            membership=seat,
            status=AttendanceStatus.APOLOGIES if apologies else AttendanceStatus.PRESENT,
            apology_reason="Work commitment" if apologies else "",
            today=meeting.date,
        )
        if apologies:
            services.attendance_decide_reason(attendance=line, accepted=True)
    chair = next((s for s in seats if s.role == "chair"), seats[0] if seats else None)
    if chair is not None:
        meeting = services.meeting_record_presiding(meeting=meeting, membership=chair)
    services.meeting_mark_held(meeting=meeting, today=today)
    minutes = services.minutes_start(meeting=meeting)
    for entry in minutes.entries.all():
        services.minute_entry_write(
            entry=entry, text="The panel discussed the item and noted the report."
        )
    published_on = min(today, meeting.date + datetime.timedelta(days=3))
    services.minutes_publish(minutes=minutes, today=published_on)
    if terms.key_messages_published and chair is not None:
        key = services.key_messages_write(
            meeting=meeting, text=f"The panel reviewed {title.lower()} and noted the results."
        )
        signer = meeting.presiding_membership or chair
        services.key_messages_sign_off(key_messages=key, chair=signer, today=published_on)
        services.key_messages_publish(key_messages=key, today=published_on)


def _seed_held(org, panel, terms, meeting, today) -> None:
    held_on = meeting.date
    services.meeting_give_notice(meeting=meeting, today=held_on - datetime.timedelta(days=21))
    welcome = services.agenda_item_add(
        meeting=meeting, title="Welcome, apologies and declarations", owner="Chair", today=held_on
    )
    title, owner = PROFILES.get(org.slug, PROFILES["helena"])["items"][0]
    repairs = services.agenda_item_add(
        meeting=meeting, title=title, owner=owner, minutes_allotted=30, today=held_on
    )
    confidential = services.agenda_item_add(
        meeting=meeting,
        title="Complaint case review (restricted)",
        owner="Complaints Manager",
        is_confidential=True,
        today=held_on,
    )
    services.agenda_item_add(
        meeting=meeting, title="Any other business", source=ItemSource.AOB, today=held_on
    )
    services.paper_upload(
        item=repairs, title="Performance summary", file=_performance_paper(org, panel, held_on)
    )
    meeting.refresh_from_db()
    meeting.papers_issued_on = _papers_on(meeting, False)
    meeting.save(update_fields=["papers_issued_on"])

    seats = list(current_memberships(panel=panel, on=held_on))
    residents = [s for s in seats if s.role == "resident"]
    absent, apologies = residents[-1], residents[-2]
    for seat in seats:
        status = AttendanceStatus.PRESENT
        reason = ""
        if seat == absent:
            status = AttendanceStatus.ABSENT
        elif seat == apologies:
            status, reason = AttendanceStatus.APOLOGIES, "Hospital appointment"
        line = services.attendance_record(
            meeting=meeting, membership=seat, status=status, apology_reason=reason, today=held_on
        )
        if status == AttendanceStatus.APOLOGIES:
            services.attendance_decide_reason(attendance=line, accepted=True)
    present = [s for s in seats if s not in (absent, apologies)]
    mover = next(s for s in present if s.role in ("chair", "vice_chair", "resident"))
    # The chosen member is used only when the ToR lets the members choose (chair and vice
    # chair both absent), so the demo never depends on who holds a seat on the day.
    meeting = services.meeting_record_presiding(meeting=meeting, membership=mover)
    motion = services.motion_propose(
        meeting=meeting,
        text="That the panel recommends a review of first-time fixes for repairs.",
        mover=mover,
        item=repairs,
    )
    # Count the voters the way the rules do (voting roles present, no declared interest),
    # rather than assuming every seat votes.
    voters = eligible_voters(
        terms=terms,
        register=list(
            Attendance.objects.for_org(org).filter(meeting=meeting).select_related("membership")
        ),
        item=repairs,
        declarations=[],
    )
    untrained = untrained_voters(meeting=meeting, terms=terms, voters=voters)
    voters = [v for v in voters if v.pk not in untrained]
    if terms.decision_method == "consensus_then_vote":
        services.motion_decide(motion=motion, consensus=True)
    else:
        services.motion_decide(
            motion=motion, votes_for=len(voters) - 1, votes_against=0, abstentions=1
        )
    if rules.notice_to_act_power(terms=terms):
        # Stockport: the panel resolves to serve a Notice to Act. Decided like any motion
        # (quorum checked, rules.vote_outcome's majority of all members), so the demo
        # carries it only if the members present are enough; scrutiny.demo serves it.
        notice = services.motion_propose(
            meeting=meeting,
            text=f"That the panel serves a Notice to Act on the Board about {title.lower()}.",
            mover=mover,
            kind=MotionKind.NOTICE_TO_ACT,
            item=repairs,
        )
        services.motion_decide(motion=notice, votes_for=len(voters), votes_against=0)
    services.meeting_mark_held(meeting=meeting, today=today)
    minutes = services.minutes_start(meeting=meeting)
    texts = {
        welcome.pk: "The chair welcomed members. Apologies were received and accepted.",
        repairs.pk: "The Head of Repairs presented the report. First-time fixes are 78% against "
        "a target of 85%. Members asked for a review; the motion and the vote are recorded "
        "under this item.",
        confidential.pk: "The panel reviewed an individual complaint case in private.",
    }
    for entry in minutes.entries.all():
        if entry.item_id in texts:
            services.minute_entry_write(entry=entry, text=texts[entry.item_id])
    services.action_point_add(
        minutes=minutes,
        item=repairs,
        description="Bring the first-time fix improvement plan to the next meeting",
        owner="Head of Repairs",
        due_on=held_on + datetime.timedelta(days=60),
    )
    published_on = min(today, held_on + datetime.timedelta(days=3))
    services.minutes_publish(minutes=minutes, today=published_on)
    if terms.key_messages_published:
        key = services.key_messages_write(
            meeting=meeting,
            text="The panel asked for a plan to lift first-time repair fixes to target.",
        )
        chair = meeting.presiding_membership or mover
        services.key_messages_sign_off(key_messages=key, chair=chair, today=published_on)
        services.key_messages_publish(key_messages=key, today=published_on)


def _seed_upcoming(meeting, today) -> None:
    org = meeting.organisation
    services.agenda_item_add(
        meeting=meeting, title="Minutes of the last meeting and matters arising", today=today
    )
    policy_title, policy_owner = PROFILES.get(org.slug, PROFILES["helena"])["policy"]
    item = services.agenda_item_add(
        meeting=meeting,
        title=f"Consultation: {policy_title}",
        owner=policy_owner,
        minutes_allotted=30,
        today=today,
    )
    services.agenda_item_add(
        meeting=meeting,
        title="Contract renewal (commercially sensitive)",
        is_confidential=True,
        today=today,
    )
    services.agenda_item_add(
        meeting=meeting, title="Any other business", source=ItemSource.AOB, today=today
    )
    services.paper_upload(item=item, title=f"{policy_title} (draft)", file=_policy_paper(org))
