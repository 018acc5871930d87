"""The officer console keeps what was typed: a refused submission re-renders the console (200)
with the form bound, the refusal on the field it names and nothing changed."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    KeyMessages,
    Meeting,
    MinuteEntry,
    Motion,
    MotionOutcome,
)
from tests.meetings.conftest import LATE, action_data, register, register_data

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _url(meeting):
    return reverse(
        "meetings:console",
        kwargs={"org_slug": meeting.organisation.slug, "meeting_id": meeting.pk},
    )


def _refused(client, meeting, data):
    response = client.post(_url(meeting), action_data(data))
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    assert "Not saved: nothing was changed" in body
    return response, body


def _value_in_input(body: str, name: str, value: str) -> bool:
    """An <input>/<textarea>/<select> named ``name`` carries ``value``."""
    for tag in re.findall(r"<input[^>]*>", body):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return True
    for text in re.findall(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', body, re.S):
        if value in text:
            return True
    for options in re.findall(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', body, re.S):
        if re.search(rf'<option value="{re.escape(value)}"[^>]*selected', options):
            return True
    return False


@pytest.fixture
def hfh(panel_with, client_as, tenant_a):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=3, associate=1)
    setup.client = client_as(tenant_a.officer)
    return setup


@pytest.fixture
def upcoming(hfh):
    hfh.meeting = services.meeting_schedule(
        late_reason=LATE,
        panel=hfh.panel,
        date=_today() + datetime.timedelta(days=10),
        today=_today(),
    )
    return hfh


@pytest.fixture
def today_meeting(hfh):
    hfh.meeting = services.meeting_schedule(
        late_reason=LATE, panel=hfh.panel, date=_today(), today=_today()
    )
    return hfh


def test_late_member_proposal_keeps_the_item_typed(upcoming):
    setup = upcoming
    response, body = _refused(
        setup.client,
        setup.meeting,
        {
            "action": "add_item",
            "anchor": "add-item",
            "title": "Parking on the estate",
            "description": "Cars on the green",
            "owner": "Estates team",
            "minutes_allotted": "25",
            "source": "member_proposal",
            "proposed_by": setup.residents[0].pk,
            "proposed_on": _today().isoformat(),
        },
    )
    form = response.context["item_form"]
    assert form.is_bound and "proposed_on" in form.errors
    assert "The chair may still accept it" in form.errors["proposed_on"][0]
    assert "Customer Core Group" in form.errors["proposed_on"][0]  # the rule's document
    assert _value_in_input(body, "item-title", "Parking on the estate")
    assert _value_in_input(body, "item-owner", "Estates team")
    assert _value_in_input(body, "item-minutes_allotted", "25")
    assert _value_in_input(body, "item-description", "Cars on the green")
    assert _value_in_input(body, "item-source", "member_proposal")
    assert 'id="add-item" open' in body
    assert 'id="error_1_id_item-proposed_on"' in body  # the error sits on its field
    assert AgendaItem.objects.count() == 0


def test_form_errors_are_shown_on_the_fields_too(upcoming):
    response, body = _refused(
        upcoming.client,
        upcoming.meeting,
        {"action": "add_item", "title": "", "owner": "Typed owner", "minutes_allotted": "x"},
    )
    form = response.context["item_form"]
    assert {"title", "minutes_allotted"} <= set(form.errors)
    assert _value_in_input(body, "item-owner", "Typed owner")


def test_register_departure_before_arrival_is_refused_on_its_field(today_meeting):
    setup = today_meeting
    meeting = setup.meeting
    arrive = (
        datetime.datetime.combine(meeting.date, meeting.start_time) + datetime.timedelta(minutes=30)
    ).time()
    leave = (
        datetime.datetime.combine(meeting.date, meeting.start_time) + datetime.timedelta(minutes=10)
    ).time()
    chair = setup.chair.pk
    response, body = _refused(
        setup.client,
        meeting,
        register_data(
            meeting,
            {setup.residents[0]: "absent"},
            **{
                f"seat-{chair}-arrived_at": f"{arrive:%H:%M}",
                f"seat-{chair}-left_at": f"{leave:%H:%M}",
                f"seat-{setup.residents[0].pk}-apology_reason": "typed anyway",
            },
        ),
    )
    form = response.context["register_form"]
    assert "before arriving" in form.errors[f"seat-{chair}-left_at"][0], form.errors
    assert _value_in_input(body, f"seat-{chair}-left_at", f"{leave:%H:%M}")
    assert _value_in_input(body, f"seat-{setup.residents[0].pk}-status", "absent")
    assert _value_in_input(body, f"seat-{setup.residents[0].pk}-apology_reason", "typed anyway")
    assert Attendance.objects.count() == 0


def test_register_before_the_meeting_refuses_present_and_keeps_the_choice(upcoming):
    setup = upcoming
    line = services.attendance_record(
        meeting=setup.meeting,
        membership=setup.chair,
        status=AttendanceStatus.APOLOGIES,
        apology_reason="Holiday",
        today=_today(),
    )
    data = {"action": "register", f"seat-{setup.chair.pk}-status": "present"}
    response, body = _refused(setup.client, setup.meeting, data)
    form = response.context["register_form"]
    assert "only apologies" in form.errors[f"seat-{setup.chair.pk}-status"][0].lower()
    assert re.search(
        rf'<select[^>]*id="id_seat-{setup.chair.pk}-status"[^>]*>'
        r'.*?<option value="present"[^>]*selected',
        body,
        re.S,
    )
    line.refresh_from_db()
    assert line.status == "apologies" and line.apology_reason == "Holiday"


def test_apologies_decision_on_a_present_member_is_refused_on_that_line(today_meeting):
    setup = today_meeting
    register(setup.meeting, [setup.chair])
    line = Attendance.objects.get()
    response, body = _refused(
        setup.client, setup.meeting, {"action": "reason", "id": line.pk, "accepted": "1"}
    )
    form = next(r.reason_form for r in response.context["console"].register if r.pk == line.pk)
    assert "Only an absence has a reason to accept" in form.non_field_errors()[0]
    line.refresh_from_db()
    assert line.reason_accepted is None


def test_apologies_decision_with_no_choice_is_refused(today_meeting):
    setup = today_meeting
    register(setup.meeting, [setup.chair], status=AttendanceStatus.ABSENT)
    line = Attendance.objects.get()
    response, _ = _refused(setup.client, setup.meeting, {"action": "reason", "id": line.pk})
    form = next(r.reason_form for r in response.context["console"].register if r.pk == line.pk)
    assert "accepted" in form.errors


def test_presiding_choice_of_an_absent_member_is_refused(today_meeting):
    setup = today_meeting
    register(setup.meeting, setup.residents[:2])
    response, body = _refused(
        setup.client,
        setup.meeting,
        {"action": "presiding", "anchor": "quorum", "membership": setup.residents[2].pk},
    )
    form = response.context["presiding_form"]
    assert "Choose a member who is present" in form.errors["membership"][0]
    assert _value_in_input(body, "presiding-membership", str(setup.residents[2].pk))
    assert Meeting.objects.get().presiding_basis == ""


def test_motion_by_an_absent_mover_keeps_the_motion_text(today_meeting):
    setup = today_meeting
    register(setup.meeting, setup.residents)
    response, body = _refused(
        setup.client,
        setup.meeting,
        {
            "action": "motion",
            "text": "That the panel reviews the repairs policy",
            "kind": "ordinary",
            "mover": setup.chair.pk,
        },
    )
    form = response.context["motion_form"]
    assert "voting member who is present" in form.errors["mover"][0]
    assert _value_in_input(body, "motion-text", "That the panel reviews the repairs policy")
    assert 'id="put-motion" open' in body
    assert Motion.objects.count() == 0


def test_more_votes_than_voters_keeps_the_tally(today_meeting):
    setup = today_meeting
    register(setup.meeting, [setup.chair, *setup.residents])
    motion = services.motion_propose(meeting=setup.meeting, text="Motion", mover=setup.chair)
    response, body = _refused(
        setup.client,
        setup.meeting,
        {
            "action": "decide",
            "id": motion.pk,
            "votes_for": "7",
            "votes_against": "2",
            "abstentions": "1",
            "casting": "",
        },
    )
    form = next(m.decide_form for m in response.context["console"].motions if m.pk == motion.pk)
    assert "only 4 members present may vote" in form.errors["votes_for"][0]
    assert _value_in_input(body, "votes_for", "7")
    assert _value_in_input(body, "votes_against", "2")
    assert _value_in_input(body, "abstentions", "1")
    motion.refresh_from_db()
    assert motion.outcome == MotionOutcome.PENDING and motion.votes_for == 0


@pytest.fixture
def published(today_meeting):
    setup = today_meeting
    services.agenda_item_add(meeting=setup.meeting, title="Repairs", today=_today())
    register(setup.meeting, setup.seats)
    services.meeting_mark_held(meeting=setup.meeting, today=_today())
    setup.minutes = services.minutes_start(meeting=setup.meeting)
    services.minutes_publish(minutes=setup.minutes, today=_today())
    return setup


def test_minute_edit_after_publication_is_refused_and_the_text_kept(published):
    entry = MinuteEntry.objects.get()
    response, body = _refused(
        published.client,
        published.meeting,
        {
            "action": "minute",
            "id": entry.pk,
            "text": "A late change to the minute",
            "audience": "public",
        },
    )
    assert "start a correction" in body
    assert _value_in_input(body, "text", "A late change to the minute")
    entry.refresh_from_db()
    assert entry.text == ""


def test_action_point_after_publication_is_refused_and_kept(published):
    response, body = _refused(
        published.client,
        published.meeting,
        {
            "action": "action_point",
            "minutes_id": published.minutes.pk,
            "description": "Write to the contractor",
            "owner": "Repairs manager",
            "due_on": (_today() + datetime.timedelta(days=7)).isoformat(),
            "audience": "public",
        },
    )
    assert response.context["action_form"].errors
    assert _value_in_input(body, "action_point-description", "Write to the contractor")
    assert _value_in_input(body, "action_point-owner", "Repairs manager")
    assert ActionPoint.objects.count() == 0


def test_key_messages_sign_off_by_a_non_chair_is_refused_on_the_field(today_meeting):
    setup = today_meeting
    key = services.key_messages_write(meeting=setup.meeting, text="Repairs are improving")
    response, body = _refused(
        setup.client,
        setup.meeting,
        {"action": "key_sign_off", "key_id": key.pk, "chair": setup.residents[0].pk},
    )
    error = response.context["sign_off_form"].errors["chair"][0]
    assert "signed off by the chair" in error and "Customer Core Group" in error
    assert _value_in_input(body, "sign_off-chair", str(setup.residents[0].pk))
    key.refresh_from_db()
    assert key.signed_off_on is None


def test_key_messages_after_publication_keep_the_new_text(today_meeting):
    setup = today_meeting
    key = services.key_messages_write(meeting=setup.meeting, text="First text")
    services.key_messages_sign_off(key_messages=key, chair=setup.chair, today=_today())
    services.key_messages_publish(key_messages=key, today=_today())
    response, body = _refused(
        setup.client,
        setup.meeting,
        {"action": "key_messages", "text": "Second thoughts", "audience": "public"},
    )
    assert "correct them with a new version" in body
    assert _value_in_input(body, "text", "Second thoughts")
    assert KeyMessages.objects.get().text == "First text"


def test_key_messages_correction_without_a_note_keeps_the_text(today_meeting):
    setup = today_meeting
    key = services.key_messages_write(meeting=setup.meeting, text="First text")
    services.key_messages_sign_off(key_messages=key, chair=setup.chair, today=_today())
    services.key_messages_publish(key_messages=key, today=_today())
    response, body = _refused(
        setup.client,
        setup.meeting,
        {"action": "key_correct", "key_id": key.pk, "note": "", "text": "Corrected text"},
    )
    assert "note" in response.context["key_note_form"].errors
    assert _value_in_input(body, "text", "Corrected text")
    assert 'id="key-correct" open' in body
    assert KeyMessages.objects.count() == 1


def test_a_refusal_without_a_form_is_shown_at_the_top(published):
    key = services.key_messages_write(meeting=published.meeting, text="Not signed off")
    response, body = _refused(
        published.client,
        published.meeting,
        {"action": "key_publish", "key_id": key.pk},
    )
    assert "must sign off the key messages" in body


def test_success_still_redirects(today_meeting):
    setup = today_meeting
    response = setup.client.post(_url(setup.meeting), register_data(setup.meeting))
    assert response.status_code == 302
    assert Attendance.objects.count() == len(setup.seats)


def _refused_console_queries(client, setup, items: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings.models import Paper

    today = _today()
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
    motion = services.motion_propose(meeting=meeting, text="Motion", mover=setup.seats[0])
    minutes = services.minutes_start(meeting=meeting)
    services.action_point_add(minutes=minutes, description="Do", owner="Officer", due_on=today)
    services.key_messages_write(meeting=meeting, text="Key")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            _url(meeting),
            {"action": "decide", "id": motion.pk, "votes_for": "40", "votes_against": "0"},
        )
    assert response.status_code == 200
    assert "Item 49" in response.content.decode() or items == 5
    return len(queries)


def test_refused_console_renders_in_constant_queries(panel_with, client_as, tenant_a):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=13)
    client = client_as(tenant_a.officer)
    small = _refused_console_queries(client, setup, 5)
    large = _refused_console_queries(client, setup, 50)
    assert small == large, (small, large)


def test_programme_page_keeps_a_refused_meeting_as_typed(hfh):
    url = reverse("meetings:programme", kwargs={"org_slug": hfh.org.slug})
    past = _today() - datetime.timedelta(days=3)
    response = hfh.client.post(
        url,
        action_data(
            {
                "action": "schedule",
                "panel": hfh.panel.pk,
                "date": past.isoformat(),
                "place": "Community Hall",
                "is_public": "on",
            }
        ),
    )
    assert response.status_code == 200
    form = response.context["meeting_form"]
    assert form.errors and form.is_bound
    assert _value_in_input(response.content.decode(), "meeting-place", "Community Hall")
    assert Meeting.objects.count() == 0


def test_row_actions_succeed_and_redirect(today_meeting):
    """Move an item, change a register line, decide a motion and write a minute: each
    redirects back to its row and changes what it should."""
    setup = today_meeting
    first = services.agenda_item_add(meeting=setup.meeting, title="First", today=_today())
    second = services.agenda_item_add(meeting=setup.meeting, title="Second", today=_today())
    register(setup.meeting, [setup.chair, *setup.residents])
    line = Attendance.objects.get(membership=setup.residents[0])
    motion = services.motion_propose(meeting=setup.meeting, text="Motion", mover=setup.chair)
    url = _url(setup.meeting)
    posts = [
        {"action": "move", "id": second.pk, "up": "1", "anchor": "agenda"},
        register_data(setup.meeting, {line.membership: "absent"}),
        {
            "action": "decide",
            "id": motion.pk,
            "consensus": "on",
            "votes_for": "0",
            "votes_against": "0",
            "abstentions": "0",
        },
    ]
    for data in posts:
        response = setup.client.post(url, data)
        assert response.status_code == 302, (data, response.status_code)
    first.refresh_from_db()
    second.refresh_from_db()
    line.refresh_from_db()
    motion.refresh_from_db()
    assert second.position < first.position and line.status == "absent"
    assert motion.outcome == MotionOutcome.CARRIED
    minutes = services.minutes_start(meeting=setup.meeting)
    entry = minutes.entries.first()
    response = setup.client.post(
        url, {"action": "minute", "id": entry.pk, "text": "Agreed.", "audience": "public"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Agreed."
