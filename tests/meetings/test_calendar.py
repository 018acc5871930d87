"""Issue 15 item 7: .ics files phone calendars update instead of duplicating: a VTIMEZONE for
Europe/London, DTSTAMP the time the file was made, a stable UID, SEQUENCE raised by each
change of time or place, STATUS:CANCELLED for a cancelled meeting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.calendar import calendar_bytes
from panels.errors import RuleViolation
from tests.meetings.conftest import LATE

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def meeting(panel_with):
    setup = panel_with("hfh", chair=1, resident=2)
    return services.meeting_schedule(
        panel=setup.panel,
        date=datetime.date(_today().year + 1, 7, 14),  # BST: 10:00 local is 09:00 UTC
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        place="Town Hall",
        today=_today(),
    )


def _event(body: bytes):
    cal = Calendar.from_ical(body)
    (event,) = cal.walk("VEVENT")
    return cal, event


def test_the_ics_is_accepted_by_the_icalendar_parser_with_its_vtimezone(meeting):
    made = datetime.datetime(2026, 12, 1, 1, 2, 3, tzinfo=datetime.UTC)
    body = calendar_bytes([meeting], name="Panel", include_link=False, now=made)
    cal, event = _event(body)
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset() == datetime.timedelta(hours=1)
    assert start.astimezone(datetime.UTC).hour == 9
    assert b"DTSTART;TZID=Europe/London:" in body
    # DTSTAMP: when the file was made, in UTC; not the meeting's time.
    assert event.decoded("DTSTAMP") == made
    assert str(event["UID"]) == f"meeting-{meeting.pk}@panelhub"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_dtstamp_is_the_time_of_the_download(meeting, client_as, tenant_a):
    url = reverse(
        "meetings:meeting_ics", kwargs={"org_slug": tenant_a.org.slug, "meeting_id": meeting.pk}
    )
    before = timezone.now().replace(microsecond=0)
    _, event = _event(client_as(tenant_a.officer).get(url).content)
    after = timezone.now()
    assert before <= event.decoded("DTSTAMP") <= after


def test_a_move_raises_the_sequence_and_keeps_the_uid(meeting):
    first = _event(calendar_bytes([meeting], name="P", include_link=False))[1]
    moved = services.meeting_move(
        meeting=meeting,
        date=meeting.date,
        start_time=datetime.time(14),
        end_time=datetime.time(16),
        today=_today(),
    )
    second = _event(calendar_bytes([moved], name="P", include_link=False))[1]
    assert str(second["UID"]) == str(first["UID"])
    assert int(second["SEQUENCE"]) == 1
    assert second.decoded("DTSTART").hour == 14
    # Another place: up again. The same values again: no change, no new sequence.
    moved = services.meeting_move(
        meeting=moved,
        date=moved.date,
        start_time=moved.start_time,
        end_time=moved.end_time,
        place="Library",
        today=_today(),
    )
    assert moved.sequence == 2
    same = services.meeting_move(
        meeting=moved,
        date=moved.date,
        start_time=moved.start_time,
        end_time=moved.end_time,
        today=_today(),
    )
    assert same.sequence == 2


def test_a_refused_move_changes_nothing(meeting):
    with pytest.raises(RuleViolation) as refused:
        services.meeting_move(
            meeting=meeting,
            date=meeting.date,
            start_time=datetime.time(14),
            end_time=datetime.time(13),
            today=_today(),
        )
    assert refused.value.reasons[0].field == "end_time"
    meeting.refresh_from_db()
    assert (meeting.start_time, meeting.sequence) == (datetime.time(10), 0)


def test_a_cancelled_meeting_stays_in_the_feeds_as_cancelled(meeting, client):
    panel = meeting.panel
    services.meeting_cancel(meeting=meeting, reason="Venue flooded")
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    url = reverse(
        "meetings:panel_calendar",
        kwargs={"org_slug": panel.organisation.slug, "panel_slug": panel.slug},
    )
    _, event = _event(client.get(url).content)
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    assert str(event["UID"]) == f"meeting-{meeting.pk}@panelhub"


def test_a_same_day_move_inside_a_deadline_needs_a_reason(meeting):
    soon = _today() + datetime.timedelta(days=1)
    with pytest.raises(RuleViolation) as refused:
        services.meeting_move(
            meeting=meeting,
            date=soon,
            start_time=meeting.start_time,
            end_time=meeting.end_time,
            today=_today(),
        )
    assert refused.value.reasons[-1].field == "late_reason"
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    moved = services.meeting_move(
        meeting=meeting,
        date=soon,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        late_reason=LATE,
        today=_today(),
    )
    assert moved.sequence == 1 and moved.late_reason == LATE
