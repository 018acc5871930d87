"""Demo meetings for every demo organisation: a held meeting with items (one confidential),
papers, a register, a motion, published minutes (and key messages where the ToR has them),
and an upcoming meeting with its agenda. Idempotent: a panel that already has meetings is
left alone."""

import datetime
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfWriter

from meetings import services
from meetings.models import Attendance, AttendanceStatus, ItemSource, Meeting
from meetings.selectors import eligible_voters, untrained_voters
from members.models import Person
from members.selectors import current_memberships
from panels.demo import DEMO_ORGANISATIONS, demo_email, main_panel
from panels.models import Organisation, Role
from panels.selectors import terms_in_force, working_calendar
from panels.tenancy import org_scope

HELD_DAYS_AGO = 30
UPCOMING_IN_DAYS = 40
COMMITTEE_MONTHS = (3, 6, 9, 12)


def _working_day(day: datetime.date, calendar, step: int) -> datetime.date:
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=step)
    return day


def _blank_pdf() -> ContentFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return ContentFile(out.getvalue(), name="paper.pdf")


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
        for month in COMMITTEE_MONTHS:
            date = _working_day(datetime.date(today.year, month, 20), working_calendar(org=org), 1)
            from meetings.models import CommitteeDate

            CommitteeDate.objects.get_or_create(
                organisation=org,
                panel=panel,
                date=date,
                defaults={"committee": terms.meets_before_committee},
            )
    member = Person.objects.for_org(org).filter(email=demo_email(org.slug, Role.MEMBER)).first()
    if member is not None:
        services.calendar_feed_for(person=member)
    if Meeting.objects.for_org(org).filter(panel=panel).exists():
        return
    calendar = working_calendar(org=org)
    held_on = _working_day(today - datetime.timedelta(days=HELD_DAYS_AGO), calendar, -1)
    upcoming_on = _working_day(today + datetime.timedelta(days=UPCOMING_IN_DAYS), calendar, 1)
    _seed_held(org, panel, terms, held_on, today)
    _seed_upcoming(panel, upcoming_on, today)


def _seed_held(org, panel, terms, held_on, today) -> None:
    meeting = services.meeting_schedule(
        panel=panel, date=held_on, place="Community room, Main Office", today=held_on
    )
    services.meeting_give_notice(meeting=meeting, today=held_on - datetime.timedelta(days=21))
    welcome = services.agenda_item_add(
        meeting=meeting, title="Welcome, apologies and declarations", owner="Chair", today=held_on
    )
    repairs = services.agenda_item_add(
        meeting=meeting,
        title="Repairs performance: first-time fixes",
        owner="Head of Repairs",
        minutes_allotted=30,
        today=held_on,
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
    services.paper_upload(item=repairs, title="Repairs performance report", file=_blank_pdf())
    meeting.refresh_from_db()
    meeting.papers_issued_on = held_on - datetime.timedelta(days=8)
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


def _seed_upcoming(panel, upcoming_on, today) -> None:
    meeting = services.meeting_schedule(
        panel=panel, date=upcoming_on, place="Community room, Main Office", today=today
    )
    services.agenda_item_add(
        meeting=meeting, title="Minutes of the last meeting and matters arising", today=today
    )
    item = services.agenda_item_add(
        meeting=meeting,
        title="Customer satisfaction results",
        owner="Insight Team",
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
    services.paper_upload(item=item, title="Satisfaction results", file=_blank_pdf())
