import datetime

import pytest

from meetings import selectors, services
from meetings.models import Attendance, AttendanceStatus
from members.models import Membership, MembershipStatus, RemovalFlag
from panels.errors import RuleViolation
from tests.meetings.conftest import add_seat, register, schedule

pytestmark = pytest.mark.django_db


def _meetings(setup, count, start=datetime.date(2026, 1, 13)):
    return [
        schedule(setup, start + datetime.timedelta(weeks=4 * i), today=start) for i in range(count)
    ]


def _hold(meeting, absentee, others, *, status=AttendanceStatus.ABSENT, accepted=None):
    register(meeting, others)
    line = services.attendance_record(
        meeting=meeting,
        membership=absentee,
        status=status,
        apology_reason="Ill" if status == AttendanceStatus.APOLOGIES else "",
        today=meeting.date,
    )
    if accepted is not None:
        services.attendance_decide_reason(attendance=line, accepted=accepted)
    services.meeting_mark_held(meeting=meeting, today=meeting.date)


def test_register_refuses_non_members_duplicates_and_future_presence(panel_with, tenant_b):
    setup = panel_with("ivh", chair=1, resident=4)
    meeting = schedule(setup, datetime.date(2026, 6, 16), today=datetime.date(2026, 6, 1))
    from tests.meetings.conftest import PanelSetup

    other_panel = PanelSetup(org=tenant_b.org, panel=tenant_b.panel, terms=None)
    outsider = add_seat(other_panel, "resident", 0)
    with pytest.raises(RuleViolation) as refused:
        services.attendance_record(
            meeting=meeting, membership=outsider, status="present", today=meeting.date
        )
    assert refused.value.code == "attendance.not_a_member"
    seat = setup.residents[0]
    with pytest.raises(RuleViolation) as refused:
        services.attendance_record(
            meeting=meeting, membership=seat, status="present", today=datetime.date(2026, 6, 1)
        )
    assert refused.value.code == "attendance.future"
    services.attendance_record(
        meeting=meeting, membership=seat, status="present", today=meeting.date
    )
    with pytest.raises(RuleViolation) as refused:
        services.attendance_record(
            meeting=meeting, membership=seat, status="absent", today=meeting.date
        )
    assert refused.value.code == "attendance.duplicate"
    assert Attendance.objects.get().status == "present"


def test_ivh_three_unexplained_absences_retire_the_member(panel_with):
    setup = panel_with("ivh", chair=1, resident=5)
    absentee, others = setup.residents[0], [setup.chair, *setup.residents[1:]]
    first, second, third = _meetings(setup, 3)
    _hold(first, absentee, others)
    _hold(second, absentee, others)
    absentee.refresh_from_db()
    assert absentee.status == MembershipStatus.ACTIVE
    assert selectors.consecutive_unexplained_absences(membership=absentee, up_to=second) == 2
    _hold(third, absentee, others)
    absentee.refresh_from_db()
    assert absentee.status == MembershipStatus.RETIRED_BY_ATTENDANCE
    assert absentee.rejoin_barred_until == datetime.date(2029, third.date.month, third.date.day)
    assert (
        Attendance.objects.get(meeting=third, membership=absentee).consequence_applied == "retire"
    )


def test_ivh_accepted_reason_breaks_the_run(panel_with):
    setup = panel_with("ivh", chair=1, resident=5)
    absentee, others = setup.residents[0], [setup.chair, *setup.residents[1:]]
    first, second, third = _meetings(setup, 3)
    _hold(first, absentee, others)
    _hold(second, absentee, others, status=AttendanceStatus.APOLOGIES, accepted=True)
    _hold(third, absentee, others)
    absentee.refresh_from_db()
    assert absentee.status == MembershipStatus.ACTIVE


def test_ivh_refused_reason_counts_and_applies_when_decided(panel_with):
    setup = panel_with("ivh", chair=1, resident=5)
    absentee, others = setup.residents[0], [setup.chair, *setup.residents[1:]]
    first, second, third = _meetings(setup, 3)
    _hold(first, absentee, others)
    _hold(second, absentee, others)
    _hold(third, absentee, others, status=AttendanceStatus.APOLOGIES)
    absentee.refresh_from_db()
    assert absentee.status == MembershipStatus.ACTIVE  # reason not yet decided
    line = Attendance.objects.get(meeting=third, membership=absentee)
    services.attendance_decide_reason(attendance=line, accepted=False)
    absentee.refresh_from_db()
    assert absentee.status == MembershipStatus.RETIRED_BY_ATTENDANCE


def test_stockport_flags_after_two(panel_with):
    setup = panel_with("stockport", chair=1, resident=6)
    absentee, others = setup.residents[0], [setup.chair, *setup.residents[1:]]
    first, second = _meetings(setup, 2)
    _hold(first, absentee, others)
    assert not RemovalFlag.objects.exists()
    _hold(second, absentee, others)
    flag = RemovalFlag.objects.get()
    assert flag.membership == absentee
    absentee.refresh_from_db()
    assert absentee.status == MembershipStatus.ACTIVE  # the panel decides


def test_associates_recorded_never_counted_for_quorum(panel_with):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=2, associate=3, officer=1)
    meeting = schedule(setup, datetime.date(2026, 6, 16))
    register(meeting, [setup.chair, setup.vice, *setup.role("associate"), *setup.role("officer")])
    console = selectors.meeting_console(org=setup.org, meeting_id=meeting.pk, today=meeting.date)
    assert len(console.register) == 6
    assert console.quorum.present == 2 and not console.quorum.is_quorate
    assert Membership.objects.count() == 8
