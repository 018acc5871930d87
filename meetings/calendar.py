"""iCalendar feeds: a member's own feed (secret address), a panel's public feed and one
meeting's .ics. Feeds carry date, time and place only: never agenda items.

So that phone calendars update an event instead of adding a second one (RFC 5545):

* UID is stable: ``meeting-<id>@panelhub``, the same in every feed and every file (it is
  kept as it was first issued: a new UID would duplicate the event in existing calendars);
* SEQUENCE is the meeting's ``sequence``, raised by each change of date, time, place or
  status (meetings.services.meeting_move and meeting_cancel);
* STATUS is CANCELLED for a cancelled meeting (the event stays in the feed, cancelled);
* DTSTAMP is when the file was made (UTC), not the meeting's time;
* times are local (Europe/London) with TZID, and the VTIMEZONE that defines them is in the
  file, so a calendar without its own timezone data places them right across BST.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//PanelHub//Meetings//EN"


def meeting_uid(meeting) -> str:
    return f"meeting-{meeting.pk}@panelhub"


def _event(meeting, *, include_link: bool, stamp: datetime.datetime) -> Event:
    tz = ZoneInfo(settings.TIME_ZONE)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("summary", f"{meeting.panel.name} meeting")
    event.add("dtstart", datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=tz))
    event.add("dtend", datetime.datetime.combine(meeting.date, meeting.end_time, tzinfo=tz))
    event.add("dtstamp", stamp)
    if meeting.place:
        event.add("location", meeting.place)
    if include_link and meeting.virtual_link:
        event.add("url", meeting.virtual_link)
        event.add("description", f"Join online: {meeting.virtual_link}")
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    return event


def calendar_bytes(
    meetings, *, name: str, include_link: bool, now: datetime.datetime | None = None
) -> bytes:
    """The meetings as one iCalendar file, stamped with ``now`` (default: this moment)."""
    stamp = (now or timezone.now()).astimezone(datetime.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    years = set()
    for meeting in meetings:
        years.add(meeting.date.year)
        cal.add_component(_event(meeting, include_link=include_link, stamp=stamp))
    if years:
        # The VTIMEZONE of Europe/London for the years the file's meetings fall in.
        cal.add_missing_timezones(
            first_date=datetime.date(min(years), 1, 1),
            last_date=datetime.date(max(years) + 1, 1, 1),
        )
    return cal.to_ical()
