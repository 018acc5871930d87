"""The nightly seat-dates task: leave on and off by date, terms ended; idempotent."""

import datetime

import pytest

from members import services
from members.models import MembershipEvent, MembershipStatus
from members.tasks import SEAT_DATES_TASK, members_seat_dates_nightly

D = datetime.date


def run(day):
    return members_seat_dates_nightly.apply(kwargs={"today": day.isoformat()}).get()


@pytest.mark.django_db
def test_leave_starts_and_ends_by_date_with_history_once(make_org):
    stockport = make_org("stockport")
    seat = stockport.seat()
    leave = services.leave_grant(
        membership=seat, starts_on=D(2026, 6, 1), ends_on=D(2026, 8, 31), today=D(2026, 5, 1)
    )
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ACTIVE  # granted ahead of time
    assert run(D(2026, 5, 31))["leave_started"] == 0
    assert run(D(2026, 6, 1))["leave_started"] == 1
    assert run(D(2026, 6, 1))["leave_started"] == 0  # again: nothing changes
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ON_LEAVE
    assert seat.events.filter(kind="leave_started").count() == 1
    assert run(D(2026, 8, 31))["leave_ended"] == 0
    assert run(D(2026, 9, 2))["leave_ended"] == 1
    run(D(2026, 9, 2))
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ACTIVE
    ended = seat.events.get(kind="leave_ended")
    assert ended.on == D(2026, 9, 1)  # the day after the leave's last day
    assert leave.pk


@pytest.mark.django_db
def test_terms_end_the_day_after_their_last_day_and_may_still_be_reappointed(make_org):
    hfh = make_org("hfh")
    seat = hfh.seat(starts_on=D(2023, 6, 1), term_ends_on=D(2026, 5, 31))
    untouched = hfh.seat(starts_on=D(2025, 6, 1), term_ends_on=D(2028, 5, 31))
    assert run(D(2026, 5, 31))["terms_ended"] == 0
    assert run(D(2026, 6, 1))["terms_ended"] == 1
    assert run(D(2026, 6, 1))["terms_ended"] == 0
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.TERM_ENDED and seat.ended_on == D(2026, 5, 31)
    assert MembershipEvent.objects.filter(membership=seat, kind="term_ended").count() == 1
    untouched.refresh_from_db()
    assert untouched.status == MembershipStatus.ACTIVE
    services.membership_reappoint(membership=seat, decided_by="Residents' group")
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ACTIVE and seat.term_number == 2
    assert seat.ended_on is None


@pytest.mark.django_db
def test_seats_ended_otherwise_cannot_be_reappointed(make_org):
    from panels.errors import RuleViolation

    hfh = make_org("hfh")
    seat = hfh.seat(starts_on=D(2023, 6, 1), term_ends_on=D(2026, 5, 31))
    services.membership_step_down(membership=seat, on=D(2026, 1, 1))
    with pytest.raises(RuleViolation) as exc:
        services.membership_reappoint(membership=seat, decided_by="Panel")
    assert exc.value.code == "membership.not_current"


def test_task_name_is_stable():
    assert SEAT_DATES_TASK == "members.seat_dates_nightly"
    assert members_seat_dates_nightly.name == SEAT_DATES_TASK
