import datetime

import pytest

from members.models import MembershipEvent, MembershipStatus, RemovalFlag
from members.selectors import current_memberships
from members.services import membership_flag_for_removal, membership_retire_for_attendance
from panels.models import AuditEntry

ON = datetime.date(2026, 3, 10)


@pytest.mark.django_db
def test_retire_for_attendance_records_ivh_bar(make_org):
    ivh = make_org("ivh")
    seat = ivh.seat()
    retired = membership_retire_for_attendance(
        membership=seat, on=ON, reason="Missed three meetings", by=ivh.officer
    )
    assert retired.status == MembershipStatus.RETIRED_BY_ATTENDANCE
    assert retired.ended_on == ON
    assert retired.rejoin_barred_until == datetime.date(2029, 3, 10)
    assert MembershipEvent.objects.filter(membership=seat, kind="retired_attendance").count() == 1
    assert AuditEntry.objects.filter(action="membership.retired_attendance").count() == 1
    # Idempotent: a second report changes nothing.
    membership_retire_for_attendance(membership=seat, on=ON, reason="again")
    assert MembershipEvent.objects.filter(membership=seat).count() == 1


@pytest.mark.django_db
def test_flag_for_removal_is_idempotent_for_one_run(make_org):
    stockport = make_org("stockport")
    seat = stockport.seat()
    first = membership_flag_for_removal(membership=seat, on=ON, reason="Two absences")
    second = membership_flag_for_removal(membership=seat, on=ON, reason="Two absences")
    assert first.pk == second.pk
    assert RemovalFlag.objects.count() == 1
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ACTIVE


@pytest.mark.django_db
def test_current_memberships_on_a_date(make_org):
    tht = make_org("tht")
    active = tht.seat()
    on_leave = tht.seat(status=MembershipStatus.ON_LEAVE)
    tht.seat(status=MembershipStatus.STEPPED_DOWN, ended_on=datetime.date(2026, 1, 1))
    ended_later = tht.seat(status=MembershipStatus.STEPPED_DOWN, ended_on=datetime.date(2026, 5, 1))
    tht.seat(starts_on=datetime.date(2027, 1, 1))
    ids = set(current_memberships(panel=tht.panel, on=ON).values_list("id", flat=True))
    assert ids == {active.id, on_leave.id, ended_later.id}
