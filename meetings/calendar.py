"""iCalendar feeds: a member's own feed (secret address), a panel's public feed and one
meeting's .ics. Feeds carry date, time and place only: never agenda items."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

PRODID = "-//PanelHub//Meetings//EN"


def _event(meeting, *, include_link: bool) -> Event:
    tz = ZoneInfo(settings.TIME_ZONE)
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@panelhub")
    event.add("summary", f"{meeting.panel.name} meeting")
    event.add("dtstart", datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=tz))
    event.add("dtend", datetime.datetime.combine(meeting.date, meeting.end_time, tzinfo=tz))
    event.add("dtstamp", datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=tz))
    if meeting.place:
        event.add("location", meeting.place)
    if include_link and meeting.virtual_link:
        event.add("url", meeting.virtual_link)
        event.add("description", f"Join online: {meeting.virtual_link}")
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    return event


def calendar_bytes(meetings, *, name: str, include_link: bool) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(_event(meeting, include_link=include_link))
    return cal.to_ical()
