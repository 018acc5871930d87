"""Each meeting's notices at the due times its organisation's ToR sets (HFH papers across
Easter, Helena minutes 7 days after, IVH two weeks' notice), moved with the meeting,
withdrawn when it is cancelled; missed duties recorded once as breaches."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from meetings.models import Meeting
from notices.models import Breach, Notice, NoticeKind, NoticeStatus
from notices.selectors import breaches_for_panel
from notices.services import breaches_sync, notices_sync

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def _at8(day):
    return datetime.datetime.combine(day, datetime.time(8), tzinfo=LONDON)


def _meeting(org, panel, day, **extra):
    return Meeting.objects.create(
        organisation=org,
        panel=panel,
        date=day,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        **extra,
    )


def _pending(meeting, kind):
    return Notice.objects.filter(
        subject_id=meeting.pk, kind=kind, status=NoticeStatus.PENDING
    ).order_by("id")


def test_hfh_papers_deadline_skips_good_friday_and_easter_monday(seeded_panel):
    org, panel, officer = seeded_panel("hfh")
    # Easter 2030: Good Friday 19 April, Easter Monday 22 April. Five working days before
    # Thursday 25 April are 24, 23, 18, 17 and 16 April.
    meeting = _meeting(org, panel, datetime.date(2030, 4, 25))
    notices_sync(subject=meeting, today=datetime.date(2030, 3, 1))
    (reminder,) = _pending(meeting, NoticeKind.PAPERS_DUE)
    assert reminder.deadline_on == datetime.date(2030, 4, 16)
    assert reminder.due_at == _at8(datetime.date(2030, 4, 14))
    assert reminder.recipient_user == officer
    assert "5 working days before" in reminder.body
    # Agenda proposals close 4 weeks before; members hear a week earlier.
    proposals = _pending(meeting, NoticeKind.AGENDA_PROPOSALS_CLOSING)
    assert proposals.count() == 3
    assert {n.deadline_on for n in proposals} == {datetime.date(2030, 3, 28)}
    assert {n.due_at for n in proposals} == {_at8(datetime.date(2030, 3, 21))}
    # Minutes and key messages: 5 working days after (Easter is behind us by then).
    (minutes,) = _pending(meeting, NoticeKind.MINUTES_DUE)
    (key_messages,) = _pending(meeting, NoticeKind.KEY_MESSAGES_DUE)
    assert minutes.deadline_on == key_messages.deadline_on == datetime.date(2030, 5, 2)


def test_helena_minutes_are_due_7_days_after_and_papers_7_days_before(seeded_panel):
    org, panel, officer = seeded_panel("helena")
    meeting = _meeting(org, panel, datetime.date(2030, 1, 15))
    notices_sync(subject=meeting, today=datetime.date(2030, 1, 2))
    (minutes,) = _pending(meeting, NoticeKind.MINUTES_DUE)
    assert minutes.deadline_on == datetime.date(2030, 1, 22)
    assert minutes.due_at == _at8(datetime.date(2030, 1, 20))
    (papers,) = _pending(meeting, NoticeKind.PAPERS_DUE)
    assert papers.deadline_on == datetime.date(2030, 1, 8)
    assert "by post" in papers.body
    assert not _pending(meeting, NoticeKind.KEY_MESSAGES_DUE).exists()
    assert not _pending(meeting, NoticeKind.MEETING_NOTICE).exists()  # Helena states none


def test_ivh_members_get_notice_of_the_date_two_weeks_before(seeded_panel):
    org, panel, _ = seeded_panel("ivh")
    meeting = _meeting(org, panel, datetime.date(2030, 6, 20))
    notices_sync(subject=meeting, today=datetime.date(2030, 5, 1))
    notices = _pending(meeting, NoticeKind.MEETING_NOTICE)
    assert notices.count() == 3
    assert {n.due_at for n in notices} == {_at8(datetime.date(2030, 6, 6))}
    reminders = _pending(meeting, NoticeKind.APOLOGIES_REMINDER)
    assert {n.due_at for n in reminders} == {_at8(datetime.date(2030, 6, 18))}


def test_rescheduling_a_meeting_moves_its_notices(seeded_panel):
    org, panel, officer = seeded_panel("hfh")
    meeting = _meeting(org, panel, datetime.date(2030, 4, 25))
    today = datetime.date(2030, 3, 1)
    notices_sync(subject=meeting, today=today)
    (reminder,) = _pending(meeting, NoticeKind.PAPERS_DUE)
    old_apologies = list(_pending(meeting, NoticeKind.APOLOGIES_REMINDER))
    meeting.date = datetime.date(2030, 5, 9)
    meeting.save()
    notices_sync(subject=meeting, today=today)
    (moved,) = _pending(meeting, NoticeKind.PAPERS_DUE)
    assert moved.pk == reminder.pk  # the same row, moved
    assert moved.deadline_on == datetime.date(2030, 5, 1)  # 5 working days before 9 May
    new_apologies = set(_pending(meeting, NoticeKind.APOLOGIES_REMINDER))
    assert {n.deadline_on for n in new_apologies} == {datetime.date(2030, 5, 9)}
    assert {n.due_at for n in new_apologies} == {_at8(datetime.date(2030, 5, 7))}
    # The pending reminders moved to the new date (same rows), nothing was withdrawn.
    assert {n.pk for n in new_apologies} == {n.pk for n in old_apologies}
    assert not Notice.objects.filter(status=NoticeStatus.WITHDRAWN).exists()


def test_a_sent_date_notice_stays_and_the_moved_meeting_gets_a_new_one(seeded_panel):
    org, panel, _ = seeded_panel("ivh")
    meeting = _meeting(org, panel, datetime.date(2030, 6, 20))
    today = datetime.date(2030, 5, 1)
    notices_sync(subject=meeting, today=today)
    sent = _pending(meeting, NoticeKind.MEETING_NOTICE).first()
    Notice.objects.filter(pk=sent.pk).update(status=NoticeStatus.SENT, sent_at=sent.due_at)
    meeting.date = datetime.date(2030, 7, 4)
    meeting.save()
    notices_sync(subject=meeting, today=today)
    sent.refresh_from_db()
    assert sent.status == NoticeStatus.SENT and sent.deadline_on == datetime.date(2030, 6, 6)
    fresh = _pending(meeting, NoticeKind.MEETING_NOTICE)
    assert fresh.count() == 3  # the one told before hears of the new date too
    assert {n.due_at for n in fresh} == {_at8(datetime.date(2030, 6, 20))}


def test_cancelling_a_meeting_withdraws_its_pending_notices(seeded_panel):
    org, panel, _ = seeded_panel("hfh")
    meeting = _meeting(org, panel, datetime.date(2030, 4, 25))
    notices_sync(subject=meeting, today=datetime.date(2030, 3, 1))
    assert _pending(meeting, NoticeKind.APOLOGIES_REMINDER).exists()
    meeting.status = "cancelled"
    meeting.cancelled_reason = "Venue closed."
    meeting.save()
    assert not Notice.objects.filter(subject_id=meeting.pk, status=NoticeStatus.PENDING).exists()
    # Nobody had been told yet, so nobody is told of the cancellation.
    assert not Notice.objects.filter(kind=NoticeKind.MEETING_CANCELLED).exists()


def test_missed_minutes_and_papers_are_recorded_once_as_breaches(seeded_panel):
    org, panel, _ = seeded_panel("helena")
    meeting = _meeting(org, panel, datetime.date(2025, 1, 14), status="held")
    today = datetime.date(2025, 2, 1)
    breaches_sync(subject=meeting, today=today)
    breaches_sync(subject=meeting, today=today)
    rows = {b.rule: b for b in Breach.objects.filter(panel=panel)}
    assert set(rows) == {"papers_out", "minutes_out"}
    assert rows["minutes_out"].due_on == datetime.date(2025, 1, 21)
    assert rows["minutes_out"].done_on is None
    assert "Customer Excellence Panel terms of reference" in rows["minutes_out"].source
    # Published late: the same breach now says when the duty was done.
    meeting.minutes_published_on = datetime.date(2025, 1, 25)
    meeting.save()
    breaches_sync(subject=meeting, today=today)
    assert Breach.objects.filter(panel=panel).count() == 2
    assert Breach.objects.get(rule="minutes_out").done_on == datetime.date(2025, 1, 25)
    in_january = breaches_for_panel(
        panel=panel, start=datetime.date(2025, 1, 1), end=datetime.date(2025, 1, 31)
    )
    assert in_january.count() == 2


def test_a_late_papers_issue_fills_in_the_date_it_was_done(seeded_panel):
    """Papers issued after the ToR's deadline (through the service, as an officer does): the
    breach recorded when the deadline passed now says when they went out, so reports say
    "done late on <date>" rather than "not done"."""
    from meetings import services as meeting_services

    org, panel, officer = seeded_panel("helena")  # papers 7 days before, by post
    today = timezone.localdate()
    meeting = _meeting(org, panel, today + datetime.timedelta(days=3))
    breaches_sync(subject=meeting, today=today)
    breach = Breach.objects.get(rule="papers_out")
    assert breach.done_on is None and breach.due_on == today - datetime.timedelta(days=4)
    meeting_services.papers_issue(meeting=meeting, today=today, by=officer, confirm_no_papers=True)
    breach.refresh_from_db()
    assert breach.done_on == today
    assert Breach.objects.filter(panel=panel).count() == 1


def test_a_past_meeting_typed_in_afterwards_keeps_no_false_breach(seeded_panel):
    """A held meeting entered after the event: its deadlines had passed when the row was
    made, so breaches were recorded; once its papers and minutes are recorded as done by
    their deadlines the breaches are withdrawn (with an audit row), and one done late keeps
    its breach with the date it was done."""
    from panels.models import AuditEntry

    org, panel, _ = seeded_panel("helena")
    meeting = _meeting(org, panel, datetime.date(2025, 1, 14), status="held")
    today = datetime.date(2025, 3, 1)
    breaches_sync(subject=meeting, today=today)
    assert set(Breach.objects.values_list("rule", flat=True)) == {"papers_out", "minutes_out"}
    meeting.papers_issued_on = datetime.date(2025, 1, 6)  # due 7 January: in time
    meeting.minutes_published_on = datetime.date(2025, 1, 30)  # due 21 January: late
    meeting.save()
    breaches_sync(subject=meeting, today=today)
    late = Breach.objects.get()
    assert (late.rule, late.done_on) == ("minutes_out", datetime.date(2025, 1, 30))
    withdrawn = AuditEntry.objects.get(action="notices.breach_withdrawn")
    assert withdrawn.reason == "The duty is recorded as done by its deadline."
