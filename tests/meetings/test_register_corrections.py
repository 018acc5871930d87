"""Correcting the register of a held meeting (issue 20's review of the left-alone list: the
register could be changed silently after the meeting was held). A change is a correction:
it needs a reason, kept with each change in the audit; it never undoes an attendance
consequence already applied; it is refused once the minutes that record the register are
published; and an unexplained absence it makes has the ToR's consequence, as marking the
meeting held does. Each refusal saves nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Attendance, AttendanceStatus, Meeting
from members.models import RemovalFlag
from panels.errors import RuleViolation
from panels.models import AuditEntry
from tests.meetings.conftest import register, register_data, schedule

pytestmark = pytest.mark.django_db
LONDON = timezone.get_default_timezone()


def _meetings(setup, count, start=datetime.date(2026, 1, 13)):
    return [
        schedule(setup, start + datetime.timedelta(weeks=4 * i), today=start) for i in range(count)
    ]


def _hold(meeting, absentee, others):
    register(meeting, others)
    services.attendance_record(
        meeting=meeting, membership=absentee, status=AttendanceStatus.ABSENT, today=meeting.date
    )
    services.meeting_mark_held(meeting=meeting, today=meeting.date)


def _rows(seats, **statuses):
    return [
        services.RegisterRow(membership=s, status=statuses.get(str(s.pk), AttendanceStatus.PRESENT))
        for s in seats
    ]


def _take(meeting, rows, **kwargs):
    return services.register_take(
        meeting=meeting,
        rows=rows,
        now=datetime.datetime.combine(meeting.date, datetime.time(18), tzinfo=LONDON),
        **kwargs,
    )


@pytest.fixture
def stockport(panel_with):
    """Stockport flags a member for the panel after two unexplained absences in a row."""
    setup = panel_with("stockport", chair=1, resident=4)
    setup.absentee = setup.residents[0]
    setup.others = [setup.chair, *setup.residents[1:]]
    setup.first, setup.second = _meetings(setup, 2)
    return setup


def test_a_correction_needs_a_reason_and_keeps_it_in_the_audit(stockport):
    meeting = stockport.first
    register(meeting, stockport.seats)
    services.meeting_mark_held(meeting=meeting, today=meeting.date)
    late = stockport.residents[1]
    rows = _rows(stockport.seats, **{str(late.pk): AttendanceStatus.ABSENT})
    with pytest.raises(RuleViolation) as refused:
        _take(meeting, rows)
    assert [r.field for r in refused.value.reasons] == ["correction_reason"]
    assert "marked held" in refused.value.reasons[0].message
    assert Attendance.objects.get(meeting=meeting, membership=late).status == "present"
    taken = _take(meeting, rows, correction_reason="Signed in by a neighbour; never came.")
    assert taken.changed == 1
    assert Attendance.objects.get(meeting=meeting, membership=late).status == "absent"
    entry = AuditEntry.objects.filter(action="attendance.changed").latest("pk")
    assert entry.reason == "Signed in by a neighbour; never came."


def test_an_unchanged_register_needs_no_reason(stockport):
    meeting = stockport.first
    register(meeting, stockport.seats)
    services.meeting_mark_held(meeting=meeting, today=meeting.date)
    assert _take(meeting, _rows(stockport.seats)).changed == 0


def test_a_correction_never_undoes_a_consequence_already_applied(stockport):
    _hold(stockport.first, stockport.absentee, stockport.others)
    _hold(stockport.second, stockport.absentee, stockport.others)
    assert RemovalFlag.objects.filter(membership=stockport.absentee).count() == 1
    rows = _rows(stockport.seats)  # the absentee now "present"
    with pytest.raises(RuleViolation) as refused:
        _take(stockport.second, rows, correction_reason="They were there after all.")
    (reason,) = refused.value.reasons
    assert reason.field == services.seat_field(stockport.absentee.pk, "status")
    assert "flagged for removal for this absence" in reason.message
    line = Attendance.objects.get(meeting=stockport.second, membership=stockport.absentee)
    assert line.status == "absent"


def test_a_correction_that_makes_an_unexplained_absence_has_its_consequence(stockport):
    _hold(stockport.first, stockport.absentee, stockport.others)
    register(stockport.second, stockport.seats)  # recorded present at the second
    services.meeting_mark_held(meeting=stockport.second, today=stockport.second.date)
    assert not RemovalFlag.objects.exists()
    rows = _rows(stockport.seats, **{str(stockport.absentee.pk): AttendanceStatus.ABSENT})
    taken = _take(stockport.second, rows, correction_reason="Recorded present by mistake.")
    assert [seat for seat, _ in taken.consequences] == [stockport.absentee]
    assert RemovalFlag.objects.filter(membership=stockport.absentee).count() == 1


def test_once_the_minutes_are_published_the_register_cannot_change(stockport):
    meeting = stockport.first
    register(meeting, stockport.seats)
    services.meeting_mark_held(meeting=meeting, today=meeting.date)
    Meeting.objects.filter(pk=meeting.pk).update(minutes_published_on=meeting.date)
    meeting.refresh_from_db()
    rows = _rows(stockport.seats, **{str(stockport.residents[1].pk): AttendanceStatus.ABSENT})
    with pytest.raises(RuleViolation) as refused:
        _take(meeting, rows, correction_reason="A late change")
    assert refused.value.code == "register.minutes_published"
    assert not Attendance.objects.filter(meeting=meeting, status="absent").exists()


def test_the_console_asks_for_the_reason_and_says_when_it_cannot_change(
    stockport, client_as, tenant_a
):
    client = client_as(tenant_a.officer)
    meeting = stockport.first
    register(meeting, stockport.seats)
    services.meeting_mark_held(meeting=meeting, today=meeting.date)
    url = reverse(
        "meetings:console", kwargs={"org_slug": tenant_a.org.slug, "meeting_id": meeting.pk}
    )
    page = client.get(url).content.decode()
    assert 'name="correction_reason"' in page and "Save the correction" in page
    data = register_data(meeting, {stockport.residents[1]: AttendanceStatus.ABSENT})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "correction_reason" in response.context["register_form"].errors
    data["correction_reason"] = "Recorded present by mistake: they were not there."
    assert client.post(url, data).status_code == 302
    line = Attendance.objects.get(meeting=meeting, membership=stockport.residents[1])
    assert line.status == "absent"
    Meeting.objects.filter(pk=meeting.pk).update(minutes_published_on=meeting.date)
    page = client.get(url).content.decode()
    assert "with this register: it can no longer be changed" in page
    assert "Save the correction" not in page
