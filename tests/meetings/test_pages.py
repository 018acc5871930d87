import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.models import Attendance, Meeting, Paper
from tests.meetings.conftest import LATE, action_data, add_seat, register, register_data

pytestmark = pytest.mark.django_db


def _console_queries(client, setup, items: int) -> int:
    today = timezone.localdate()
    meeting = services.meeting_schedule(
        late_reason=LATE,
        panel=setup.panel,
        date=today,
        start_time=datetime.time(10 if items == 5 else 15),
        end_time=datetime.time(11 if items == 5 else 16),
        today=today,
    )
    for n in range(items):
        item = services.agenda_item_add(
            meeting=meeting, title=f"Item {n}", is_confidential=n % 3 == 0, today=today
        )
        Paper.objects.create(organisation=setup.org, item=item, title=f"P{n}", file="p.pdf")
    register(meeting, setup.seats[:15])
    services.declaration_record(item=item, membership=setup.seats[1], interest="Family")
    motion = services.motion_propose(meeting=meeting, text="Motion", mover=setup.seats[0])
    services.motion_decide(motion=motion, ballots=dict.fromkeys(setup.seats[:5], "for"))
    services.meeting_mark_held(meeting=meeting, today=today)
    minutes = services.minutes_start(meeting=meeting)
    services.action_point_add(minutes=minutes, description="Do", owner="Officer", due_on=today)
    url = reverse("meetings:console", kwargs={"org_slug": setup.org.slug, "meeting_id": meeting.pk})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert "Item 0" in response.content.decode()
    return len(queries)


def test_officer_console_queries_do_not_grow_with_agenda(panel_with, client_as, tenant_a):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=13)
    client = client_as(tenant_a.officer)
    small = _console_queries(client, setup, 5)
    large = _console_queries(client, setup, 50)
    assert small == large, (small, large)
    assert large < 60


def test_member_next_meeting_and_apologies_button(panel_with, client_as, tenant_a):
    setup = panel_with("helena", chair=1, resident=3)
    seat = add_seat(setup, "resident", 9, user=tenant_a.member)
    today = timezone.localdate()
    meeting = services.meeting_schedule(
        late_reason=LATE,
        panel=setup.panel,
        date=today + datetime.timedelta(days=10),
        place="Town Hall",
        today=today,
    )
    services.agenda_item_add(meeting=meeting, title="Repairs update", today=today)
    client = client_as(tenant_a.member)
    page = client.get(reverse("meetings:next", kwargs={"org_slug": tenant_a.org.slug}))
    body = page.content.decode()
    assert page.status_code == 200 and "Repairs update" in body and "Send my apologies" in body
    response = client.post(
        reverse(
            "meetings:apologies", kwargs={"org_slug": tenant_a.org.slug, "meeting_id": meeting.pk}
        ),
        {"reason": "Hospital appointment"},
    )
    assert response.status_code == 302
    line = Attendance.objects.get(meeting=meeting, membership=seat)
    assert line.status == "apologies" and line.apology_reason == "Hospital appointment"


def test_calendar_feeds(panel_with, client, tenant_a):
    setup = panel_with("helena", resident=2)
    seat = setup.seats[0]
    today = timezone.localdate()
    public = services.meeting_schedule(
        late_reason=LATE,
        panel=setup.panel,
        date=today + datetime.timedelta(days=5),
        virtual_link="https://meet.example/abc",
        today=today,
    )
    services.meeting_schedule(
        late_reason=LATE,
        panel=setup.panel,
        date=today + datetime.timedelta(days=6),
        is_public=False,
        today=today,
    )
    services.agenda_item_add(meeting=public, title="SECRET-ITEM", is_confidential=True, today=today)
    org = tenant_a.org.slug
    panel_feed = client.get(
        reverse("meetings:panel_calendar", kwargs={"org_slug": org, "panel_slug": setup.panel.slug})
    )
    events = Calendar.from_ical(panel_feed.content).walk("VEVENT")
    assert len(events) == 1
    assert b"SECRET-ITEM" not in panel_feed.content and b"meet.example" not in panel_feed.content
    feed = services.calendar_feed_for(person=seat.person)
    mine = client.get(
        reverse("meetings:member_feed", kwargs={"org_slug": org, "token": feed.token})
    )
    assert len(Calendar.from_ical(mine.content).walk("VEVENT")) == 2
    assert b"meet.example" in mine.content and b"SECRET-ITEM" not in mine.content
    wrong = client.get(reverse("meetings:member_feed", kwargs={"org_slug": org, "token": "x" * 32}))
    assert wrong.status_code == 404


def test_programme_page_generates_and_shows_cadence(panel_with, client_as, tenant_a):
    setup = panel_with("tht", resident=3)
    client = client_as(tenant_a.officer)
    url = reverse("meetings:programme", kwargs={"org_slug": tenant_a.org.slug})
    year = timezone.localdate().year + 1
    client.post(url, action_data({"action": "programme", "panel": setup.panel.pk, "year": year}))
    assert Meeting.objects.filter(date__year=year).count() == 6
    page = client.get(url, {"year": year})
    assert "On track" in page.content.decode()


def test_console_post_refusal_shows_reason_and_changes_nothing(panel_with, client_as, tenant_a):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=3)
    today = timezone.localdate()
    meeting = services.meeting_schedule(
        late_reason=LATE, panel=setup.panel, date=today, today=today
    )
    register(meeting, [setup.chair])
    client = client_as(tenant_a.officer)
    url = reverse(
        "meetings:console", kwargs={"org_slug": tenant_a.org.slug, "meeting_id": meeting.pk}
    )
    data = register_data(
        meeting,
        **{
            f"seat-{setup.chair.pk}-arrived_at": "11:00",
            f"seat-{setup.chair.pk}-left_at": "10:30",
        },
    )
    response = client.post(url, data, follow=True)
    assert "before arriving at 11:00" in response.content.decode()
    assert Attendance.objects.count() == 1
    assert Attendance.objects.get().left_at is None


def test_api_schedules_and_refuses_duplicate_register_lines(panel_with, client_as, tenant_a):
    setup = panel_with("ivh", chair=1, resident=4)
    client = client_as(tenant_a.officer)
    org = tenant_a.org.slug
    today = timezone.localdate()
    created = client.post(
        reverse("api:meeting-list", kwargs={"org_slug": org}),
        # On the day: inside IVH's two weeks' notice, so with the reason.
        {"panel": setup.panel.slug, "date": today.isoformat(), "late_reason": LATE},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    payload = {"meeting": created.json()["id"], "membership": setup.chair.pk, "status": "present"}
    url = reverse("api:attendance-list", kwargs={"org_slug": org})
    line = client.post(url, payload, content_type="application/json")
    assert line.status_code == 201
    # The register's times and "acting for" are read back (set through the console).
    assert {"arrived_at": None, "left_at": None, "acting_for": False}.items() <= (
        line.json().items()
    )
    duplicate = client.post(url, payload, content_type="application/json")
    assert duplicate.status_code == 400
    assert duplicate.json()["errors"][0]["code"] == "attendance.duplicate"
    member = client_as(tenant_a.member)
    assert member.post(url, payload, content_type="application/json").status_code == 403


def test_openapi_schema_lists_meetings_endpoints(client_as, tenant_a):
    schema = client_as(tenant_a.officer).get(reverse("api-schema")).content.decode()
    for path in ("meetings/", "agenda-items/", "attendance/", "motions/", "minutes/"):
        assert path in schema


def _apologies_setup(panel_with, tenant_a, days: int):
    setup = panel_with("helena", chair=1, resident=3)
    seat = add_seat(setup, "resident", 9, user=tenant_a.member)
    today = timezone.localdate()
    upcoming = services.meeting_schedule(
        late_reason=LATE,
        panel=setup.panel,
        date=today + datetime.timedelta(days=10),
        place="Town Hall",
        today=today,
    )
    other = None
    if days:
        other = Meeting.objects.create(
            organisation=setup.org,
            panel=setup.panel,
            date=today + datetime.timedelta(days=days),
            start_time=datetime.time(10),
            end_time=datetime.time(12),
        )
    return setup, seat, upcoming, other


def _apologies_url(org, meeting):
    return reverse("meetings:apologies", kwargs={"org_slug": org.slug, "meeting_id": meeting.pk})


def test_blank_apologies_come_back_with_the_error_on_the_reason(panel_with, client_as, tenant_a):
    _setup, _seat, meeting, _ = _apologies_setup(panel_with, tenant_a, 0)
    client = client_as(tenant_a.member)
    response = client.post(_apologies_url(tenant_a.org, meeting), {"reason": "   "})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="error_1_id_m{meeting.pk}_reason"' in body and "Send my apologies" in body
    assert not Attendance.objects.exists()
    assert client.get(_apologies_url(tenant_a.org, meeting)).status_code == 405


def test_apologies_for_a_past_meeting_are_refused_and_the_reason_kept(
    panel_with, client_as, tenant_a
):
    _setup, _seat, _meeting, past = _apologies_setup(panel_with, tenant_a, -2)
    client = client_as(tenant_a.member)
    response = client.post(_apologies_url(tenant_a.org, past), {"reason": "Hospital appointment"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "were not sent" in body and "apologies can no longer be sent" in body
    assert "Hospital appointment" in body
    assert not Attendance.objects.exists()


def test_member_page_lists_papers_with_their_kind(panel_with, client_as, tenant_a):
    from django.core.files.base import ContentFile

    from tests.sample_files import ooxml_bytes

    _setup, _seat, meeting, _ = _apologies_setup(panel_with, tenant_a, 0)
    today = timezone.localdate()
    item = services.agenda_item_add(
        meeting=meeting, title="Budget", is_confidential=True, today=today
    )
    services.paper_upload(
        item=item, title="Budget sheet", file=ContentFile(ooxml_bytes("xlsx"), name="budget.xlsx")
    )
    services.papers_issue(meeting=meeting, today=today)  # members see papers once issued
    body = (
        client_as(tenant_a.member)
        .get(reverse("meetings:next", kwargs={"org_slug": tenant_a.org.slug}))
        .content.decode()
    )
    assert "Budget sheet" in body and "Spreadsheet" in body
    assert "Confidential: do not share" in body
