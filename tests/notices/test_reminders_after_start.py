"""Issue 15 item 5 (guardrails): no reminder is sent after the meeting starts. A reminder
still pending when the meeting starts is withdrawn (marked so in the ledger, not deleted);
a meeting scheduled the same day, after its start time, gets no reminders; a reminder
follows a moved meeting's new start."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from notices import planners
from notices.delivery import dispatch_due
from notices.models import Notice, NoticeKind, NoticeStatus
from notices.services import notices_sync

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def _meeting(org, panel, day, start=10):
    return Meeting.objects.create(
        organisation=org,
        panel=panel,
        date=day,
        start_time=datetime.time(start),
        end_time=datetime.time(start + 2),
    )


def _reminders(meeting):
    return Notice.objects.filter(subject_id=meeting.pk, kind=NoticeKind.APOLOGIES_REMINDER)


def test_a_reminder_is_withdrawn_once_the_meeting_has_started(seeded_panel, mailoutbox):
    org, panel, _ = seeded_panel("hfh")
    day = timezone.localdate() + datetime.timedelta(days=20)
    meeting = _meeting(org, panel, day)
    reminders = _reminders(meeting)
    assert reminders.count() == 3
    assert {n.status for n in reminders} == {NoticeStatus.PENDING}
    assert {n.expires_at for n in reminders} == {_at(day, 10)}
    # The dispatcher did not run in time (a worker down for days): it wakes a minute after
    # the start. The reminders are withdrawn, with the reason, and nothing goes.
    report = dispatch_due(now=_at(day, 10, 1))
    assert report.expired >= 3
    for notice in _reminders(meeting):
        assert notice.status == NoticeStatus.WITHDRAWN and notice.sent_at is None
        assert "meeting has started" in notice.withdrawn_reason
    assert not any("Reminder" in m.subject for m in mailoutbox)
    assert _reminders(meeting).count() == 3  # kept in the ledger, not deleted


def test_a_meeting_scheduled_the_same_day_after_its_start_gets_no_reminders(
    seeded_panel, monkeypatch
):
    org, panel, _ = seeded_panel("hfh")
    day = timezone.localdate() + datetime.timedelta(days=20)
    meeting = _meeting(org, panel, day)
    # Planned again on the day at 17:00, seven hours after the 10:00 start.
    monkeypatch.setattr(planners, "planning_now", lambda today: _at(day, 17))
    notices_sync(subject=meeting, today=day)
    reminders = list(_reminders(meeting))
    assert reminders and all(n.status == NoticeStatus.WITHDRAWN for n in reminders)
    assert all("The meeting started at 10:00" in n.withdrawn_reason for n in reminders)
    assert not Notice.objects.filter(
        subject_id=meeting.pk, kind__in=planners.BEFORE_THE_MEETING, status=NoticeStatus.PENDING
    ).exists()


def test_a_same_day_meeting_not_yet_started_gets_its_reminder_before_the_start(
    seeded_panel, monkeypatch
):
    org, panel, _ = seeded_panel("hfh")
    day = timezone.localdate() + datetime.timedelta(days=20)
    monkeypatch.setattr(planners, "planning_now", lambda today: _at(day, 7))
    meeting = _meeting(org, panel, day, start=18)
    notices_sync(subject=meeting, today=day)
    pending = _reminders(meeting).filter(status=NoticeStatus.PENDING)
    assert pending.count() == 3
    assert all(n.due_at < n.expires_at == _at(day, 18) for n in pending)


def test_a_moved_meeting_moves_its_reminders_and_their_expiry(seeded_panel):
    org, panel, _ = seeded_panel("hfh")
    today = timezone.localdate()
    meeting = services.meeting_schedule(
        panel=panel, date=today + datetime.timedelta(days=40), today=today
    )
    later = today + datetime.timedelta(days=50)
    services.meeting_move(
        meeting=meeting,
        date=later,
        start_time=datetime.time(14),
        end_time=datetime.time(16),
        today=today,
    )
    pending = _reminders(meeting).filter(status=NoticeStatus.PENDING)
    assert pending.count() == 3
    assert {n.expires_at for n in pending} == {_at(later, 14)}
    assert {n.due_at for n in pending} == {_at(later - datetime.timedelta(days=2), 8)}
