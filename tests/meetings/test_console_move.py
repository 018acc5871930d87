"""Moving a meeting from its console (issue 20's review of the left-alone list: the
``meeting_move`` service had no page). The form is opened by a plain link; a move saves
the new date, times and place, raises the calendar SEQUENCE and says so; a move inside a
deadline asks for the reason on its field, a move that ends before it starts is refused
on the end time, a cancelled meeting cannot be moved, and nothing changes on a refusal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from tests.meetings.conftest import LATE, action_data

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _url(meeting):
    return reverse(
        "meetings:console",
        kwargs={"org_slug": meeting.organisation.slug, "meeting_id": meeting.pk},
    )


@pytest.fixture
def upcoming(panel_with, client_as, tenant_a):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=3)
    setup.client = client_as(tenant_a.officer)
    setup.meeting = services.meeting_schedule(
        late_reason=LATE, panel=setup.panel, date=_today() + datetime.timedelta(days=10),
        today=_today(),
    )  # fmt: skip
    return setup


def _weekday(days: int) -> datetime.date:
    day = _today() + datetime.timedelta(days=days)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _move(client, meeting, **fields):
    data = {"action": "reschedule", "anchor": "reschedule", **fields}
    return client.post(_url(meeting), action_data(data))


def test_the_console_links_to_the_form_and_shows_it_filled_in(upcoming):
    meeting = upcoming.meeting
    body = upcoming.client.get(_url(meeting)).content.decode()
    assert "?open=reschedule#reschedule" in body and 'name="reschedule-date"' not in body
    body = upcoming.client.get(_url(meeting) + "?open=reschedule").content.decode()
    assert f'name="reschedule-date" value="{meeting.date.isoformat()}"' in body
    assert 'name="reschedule-late_reason"' in body


def test_a_move_saves_date_times_and_place_and_raises_the_sequence(upcoming):
    meeting = upcoming.meeting
    new_date = _weekday(60)
    response = _move(
        upcoming.client, meeting, date=new_date.isoformat(), start_time="18:00",
        end_time="20:00", place="Community hall",
    )  # fmt: skip
    assert response.status_code == 302
    moved = Meeting.objects.get(pk=meeting.pk)
    assert (moved.date, moved.start_time, moved.end_time, moved.place) == (
        new_date, datetime.time(18), datetime.time(20), "Community hall"
    )  # fmt: skip
    assert moved.sequence == meeting.sequence + 1
    page = upcoming.client.get(response["Location"]).content.decode()
    assert f"Meeting moved to {new_date:%A} {new_date.day} {new_date:%B %Y}, 18:00" in page


def test_a_move_inside_a_deadline_asks_for_the_reason_and_keeps_what_was_typed(upcoming):
    meeting = upcoming.meeting
    soon = _today() + datetime.timedelta(days=1)
    response = _move(
        upcoming.client, meeting, date=soon.isoformat(), start_time="18:00", end_time="20:00",
        place="Community hall",
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["reschedule_form"]
    assert "late_reason" in form.errors
    body = response.content.decode()
    assert "Not saved: nothing was changed" in body
    assert f'name="reschedule-date" value="{soon.isoformat()}"' in body
    assert Meeting.objects.get(pk=meeting.pk).date == meeting.date
    # With the reason it is saved, and the reason is kept for the breach.
    response = _move(
        upcoming.client, meeting, date=soon.isoformat(), start_time="18:00", end_time="20:00",
        place="Community hall", late_reason="The hall flooded; the chair agreed the new date.",
    )  # fmt: skip
    assert response.status_code == 302
    moved = Meeting.objects.get(pk=meeting.pk)
    assert moved.date == soon and moved.late_reason.startswith("The hall flooded")


def test_a_move_that_ends_before_it_starts_is_refused_on_the_end_time(upcoming):
    meeting = upcoming.meeting
    response = _move(
        upcoming.client, meeting, date=_weekday(60).isoformat(), start_time="18:00",
        end_time="17:00",
    )  # fmt: skip
    assert response.status_code == 200
    assert "end_time" in response.context["reschedule_form"].errors
    assert Meeting.objects.get(pk=meeting.pk).date == meeting.date


def test_a_cancelled_meeting_cannot_be_moved_and_has_no_link(upcoming):
    meeting = services.meeting_cancel(meeting=upcoming.meeting, reason="Hall unavailable")
    assert "?open=reschedule" not in upcoming.client.get(_url(meeting)).content.decode()
    response = _move(
        upcoming.client, meeting, date=_weekday(60).isoformat(), start_time="18:00",
        end_time="20:00",
    )  # fmt: skip
    assert response.status_code == 200
    assert "Not saved: nothing was changed" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).date == meeting.date


def test_a_panel_member_cannot_move_it(upcoming, client, tenant_a):
    client.force_login(tenant_a.member)
    response = _move(
        client, upcoming.meeting, date=_weekday(60).isoformat(), start_time="18:00",
        end_time="20:00",
    )  # fmt: skip
    assert response.status_code in (403, 404)
    assert Meeting.objects.get(pk=upcoming.meeting.pk).date == upcoming.meeting.date


def test_the_form_sent_unchanged_says_nothing_changed(upcoming):
    meeting = upcoming.meeting
    response = _move(
        upcoming.client, meeting, date=meeting.date.isoformat(),
        start_time=meeting.start_time.strftime("%H:%M"),
        end_time=meeting.end_time.strftime("%H:%M"), place=meeting.place,
    )  # fmt: skip
    assert response.status_code == 302
    page = upcoming.client.get(response["Location"]).content.decode()
    assert "Nothing changed: the meeting is already on" in page
    assert Meeting.objects.get(pk=meeting.pk).sequence == meeting.sequence
