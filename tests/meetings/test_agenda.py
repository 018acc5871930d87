import datetime

import pytest

from meetings import services
from meetings.models import AgendaItem, AttendanceRequest, ItemSource
from panels.errors import RuleViolation
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db
MEETING_DAY = datetime.date(2026, 6, 16)  # a Tuesday


@pytest.fixture
def hfh(panel_with):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=3)
    setup.meeting = schedule(setup, MEETING_DAY, today=datetime.date(2026, 4, 1))
    return setup


def _add(setup, title, **kwargs):
    kwargs.setdefault("today", datetime.date(2026, 5, 1))
    return services.agenda_item_add(meeting=setup.meeting, title=title, **kwargs)


def test_member_proposal_after_four_weeks_is_refused_unless_the_chair_accepts(hfh):
    person = hfh.residents[0].person
    on_time = _add(
        hfh,
        "Damp and mould",
        source=ItemSource.MEMBER_PROPOSAL,
        proposed_by=person,
        proposed_on=datetime.date(2026, 5, 19),  # exactly four weeks before
    )
    assert on_time.chair_accepted_late is False
    with pytest.raises(RuleViolation) as refused:
        _add(
            hfh,
            "Parking",
            source=ItemSource.MEMBER_PROPOSAL,
            proposed_by=person,
            proposed_on=datetime.date(2026, 5, 20),
        )
    reason = refused.value.reasons[0]
    assert reason.code == "deadline.agenda_proposals.missed"
    assert "19 May 2026" in reason.message and "Customer Core Group" in reason.source
    assert AgendaItem.objects.count() == 1
    accepted = _add(
        hfh,
        "Parking",
        source=ItemSource.MEMBER_PROPOSAL,
        proposed_by=person,
        proposed_on=datetime.date(2026, 5, 20),
        chair_accepts_late=True,
    )
    assert accepted.chair_accepted_late


def test_aob_always_last(hfh):
    first = _add(hfh, "Welcome")
    aob = _add(hfh, "Any other business", source=ItemSource.AOB)
    later = _add(hfh, "Repairs performance")
    aob.refresh_from_db()
    assert [i.title for i in AgendaItem.objects.order_by("position")] == [
        "Welcome",
        "Repairs performance",
        "Any other business",
    ]
    assert first.position < later.position < aob.position
    with pytest.raises(RuleViolation) as refused:
        services.agenda_item_move(item=later, up=False)
    assert refused.value.code == "agenda.aob_last"
    with pytest.raises(RuleViolation) as refused:
        _add(hfh, "More AOB", source=ItemSource.AOB)
    assert refused.value.code == "agenda.aob_exists"
    services.agenda_item_move(item=later, up=True)
    assert [i.title for i in AgendaItem.objects.order_by("position")][0] == "Repairs performance"


def test_hfh_staff_attendance_requests_need_four_weeks(hfh):
    services.attendance_request_add(
        meeting=hfh.meeting,
        name="Repairs manager",
        capacity="Staff",
        requested_on=datetime.date(2026, 5, 19),
    )
    with pytest.raises(RuleViolation) as refused:
        services.attendance_request_add(
            meeting=hfh.meeting,
            name="Contractor",
            capacity="Contractor",
            requested_on=datetime.date(2026, 5, 20),
        )
    assert refused.value.code == "deadline.attendance_request.missed"
    assert AttendanceRequest.objects.count() == 1


def test_tht_staff_attendance_requests_need_ten_working_days(panel_with):
    setup = panel_with("tht", resident=3)
    # Tuesday 9 June 2026: ten working days before is Tuesday 26 May (25 May is a bank holiday).
    meeting = schedule(setup, datetime.date(2026, 6, 9), today=datetime.date(2026, 4, 1))
    services.attendance_request_add(
        meeting=meeting, name="Officer", capacity="Staff", requested_on=datetime.date(2026, 5, 26)
    )
    with pytest.raises(RuleViolation) as refused:
        services.attendance_request_add(
            meeting=meeting,
            name="Officer 2",
            capacity="Staff",
            requested_on=datetime.date(2026, 5, 27),
        )
    assert "26 May 2026" in refused.value.reasons[0].message


def test_no_agenda_changes_on_a_held_or_cancelled_meeting(hfh):
    services.meeting_cancel(meeting=hfh.meeting, reason="Snow")
    with pytest.raises(RuleViolation) as refused:
        _add(hfh, "Late item")
    assert refused.value.code == "meeting.cancelled"
