"""Issue 15 item 5 (guardrails, first part): scheduling a meeting inside a deadline that has
passed or cannot be met names each deadline it misses and asks for a reason; without one it
is refused on the reason's field and nothing is saved; with one the reason is recorded
against the breach."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from notices.models import Breach, BreachRule
from panels import rules
from panels.errors import RuleViolation
from panels.rules.calendar import MeetingDeadline
from tests.meetings.conftest import action_data

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def test_scheduling_inside_the_papers_deadline_is_refused_without_a_reason(panel_with):
    # Helena: "Agendas and any relevant papers will be issued by post no less than 7 days
    # before a meeting". A meeting in three days has missed that already.
    setup = panel_with("helena", resident=3)
    date = _today() + datetime.timedelta(days=3)
    with pytest.raises(RuleViolation) as refused:
        services.meeting_schedule(panel=setup.panel, date=date, today=_today())
    (reason,) = refused.value.reasons
    assert reason.code == "meeting.deadlines_missed" and reason.field == "late_reason"
    assert "Agenda and papers sent to members (7 days before the meeting by post)" in (
        reason.message
    )
    papers_due = date - datetime.timedelta(days=7)
    assert f"was due by {papers_due:%A %d %B %Y}" in reason.message
    assert "Helena" in reason.source or "Customer Excellence" in reason.source
    assert not Meeting.objects.exists() and not Breach.objects.exists()
    # Blank is no reason.
    with pytest.raises(RuleViolation):
        services.meeting_schedule(panel=setup.panel, date=date, today=_today(), late_reason="  ")
    assert not Meeting.objects.exists()


def test_the_reason_is_recorded_against_the_breach(panel_with):
    setup = panel_with("helena", resident=3)
    date = _today() + datetime.timedelta(days=3)
    why = "The Board asked for the panel's view on the rent setting before Friday."
    meeting = services.meeting_schedule(
        panel=setup.panel, date=date, today=_today(), late_reason=why
    )
    assert (meeting.late_deadlines, meeting.late_reason) == ("papers_out", why)
    # Recorded when the meeting was saved (notices' receiver): the papers deadline has passed.
    breach = Breach.objects.get(subject_id=meeting.pk, rule=BreachRule.PAPERS_OUT)
    assert breach.reason == why
    assert breach.due_on == date - datetime.timedelta(days=7)


def test_a_meeting_in_good_time_needs_no_reason(panel_with):
    setup = panel_with("helena", resident=3)
    meeting = services.meeting_schedule(
        panel=setup.panel, date=_today() + datetime.timedelta(days=30), today=_today()
    )
    assert meeting.late_deadlines == "" and meeting.late_reason == ""
    assert not Breach.objects.filter(subject_id=meeting.pk).exists()


def test_a_request_window_closing_is_no_breach(panel_with):
    # THT sets only a window (staff attendance requests, 10 working days): not a duty.
    setup = panel_with("tht", resident=3)
    meeting = services.meeting_schedule(
        panel=setup.panel, date=_today() + datetime.timedelta(days=2), today=_today()
    )
    assert meeting.late_deadlines == ""


def test_a_deadline_whose_last_working_day_has_passed_cannot_be_met():
    saturday = datetime.date(2026, 12, 5)
    deadline = MeetingDeadline(
        kind="papers_out",
        label="Agenda and papers sent to members",
        due_on=saturday,
        direction="before",
        rule_text="7 days before the meeting",
        last_working_day_on=saturday - datetime.timedelta(days=1),
    )
    assert rules.deadlines_out_of_reach(deadlines=[deadline], today=saturday) == [deadline]
    assert rules.deadlines_out_of_reach(deadlines=[deadline], today=saturday.replace(day=4)) == []
    window = MeetingDeadline(
        kind="agenda_proposals",
        label="Agenda item proposals",
        due_on=saturday,
        direction="before",
        rule_text="4 weeks before the meeting",
    )
    assert rules.deadlines_out_of_reach(deadlines=[window], today=saturday.replace(day=9)) == []


def test_the_programme_page_shows_the_missed_deadlines_and_keeps_the_form(
    panel_with, client_as, tenant_a
):
    setup = panel_with("helena", resident=3)
    url = reverse("meetings:programme", kwargs={"org_slug": tenant_a.org.slug})
    client = client_as(tenant_a.officer)
    date = _today() + datetime.timedelta(days=3)
    data = {
        "action": "schedule",
        "panel": setup.panel.pk,
        "date": date.isoformat(),
        "place": "Town Hall",
        "is_public": "on",
    }
    response = client.post(url, action_data(data))
    assert response.status_code == 200
    form = response.context["meeting_form"]
    assert "late_reason" in form.errors
    assert "Agenda and papers sent to members" in form.errors["late_reason"][0]
    assert 'id="id_meeting-late_reason"' in response.content.decode()
    assert not Meeting.objects.exists()
    response = client.post(url, action_data({**data, "late_reason": "Urgent rent consultation"}))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.late_reason == "Urgent rent consultation"
    assert Breach.objects.get(subject_id=meeting.pk).reason == "Urgent rent consultation"


def test_the_api_refuses_without_a_reason_on_its_field(panel_with, client_as, tenant_a):
    setup = panel_with("helena", resident=3)
    url = reverse("api:meeting-list", kwargs={"org_slug": tenant_a.org.slug})
    date = (_today() + datetime.timedelta(days=3)).isoformat()
    client = client_as(tenant_a.officer)
    response = client.post(
        url, {"panel": setup.panel.slug, "date": date}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "late_reason" in response.json().get("errors", response.json()) or (
        "late_reason" in response.content.decode()
    )
    assert not Meeting.objects.exists()
