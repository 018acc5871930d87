"""A seat's notices, planned by the hooks in the transaction of the change, for the
organisations whose ToR has the rule: absences (IVH: warning at two, retirement at three;
Stockport: warning at one, a flag for the panel at two), leave ending (Stockport), core
training missing (Stockport) and terms ending moved by re-appointment or extension. Each is
withdrawn when the duty is done and sent once."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Meeting
from members import services as member_services
from members.models import LeaveOfAbsence, Membership, MembershipStatus, RemovalFlag
from members.selectors import current_memberships
from notices import delivery
from notices.daily import plan_daily
from notices.models import Notice, NoticeKind, NoticeStatus
from tests.notices.conftest import make_person, make_seat

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = timezone.localdate()


def _at8(day):
    return datetime.datetime.combine(day, datetime.time(8), tzinfo=LONDON)


def _days(n):
    return TODAY + datetime.timedelta(days=n)


def _held_meeting(org, panel, day, absent=(), present=()):
    """A meeting on ``day`` with a register, marked held through the meetings service (which
    applies the ToR attendance consequences)."""
    meeting = Meeting.objects.create(
        organisation=org,
        panel=panel,
        date=day,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
    )
    for seat, status in [*((s, "absent") for s in absent), *((s, "present") for s in present)]:
        meeting_services.attendance_record(
            meeting=meeting, membership=seat, status=status, today=TODAY
        )
    # A meeting is held only with every seat in its register: the others were there.
    named = {s.pk for s in [*absent, *present]}
    for seat in current_memberships(panel=panel, on=day):
        if seat.pk not in named:
            meeting_services.attendance_record(
                meeting=meeting, membership=seat, status="present", today=TODAY
            )
    return meeting_services.meeting_mark_held(meeting=meeting, today=TODAY)


def _open(kind, **filters):
    return Notice.objects.filter(kind=kind, status=NoticeStatus.PENDING, **filters)


def _seats(panel):
    return list(Membership.objects.filter(panel=panel).order_by("id"))


# --- Absences ---------------------------------------------------------------------------


def test_ivh_warns_at_two_absences_and_retires_at_three(seeded_panel):
    org, panel, officer = seeded_panel("ivh")
    seat, other, _ = _seats(panel)
    _held_meeting(org, panel, _days(-60), absent=[seat], present=[other])
    assert not Notice.objects.filter(kind=NoticeKind.ABSENCE_WARNING).exists()

    second = _held_meeting(org, panel, _days(-20), absent=[seat], present=[other])
    warnings = _open(NoticeKind.ABSENCE_WARNING)
    assert {n.recipient_person_id for n in warnings} == {seat.person_id, None}
    assert {n.recipient_user_id for n in warnings if n.recipient_person_id is None} == {officer.pk}
    assert {n.due_at for n in warnings} == {_at8(TODAY)}  # at once: the meeting has passed
    to_member = warnings.get(recipient_person=seat.person)
    assert "3 in a row leads to automatic retirement" in to_member.body
    assert "Customer Offer Panel" in to_member.body  # the ToR cited by name
    assert to_member.subject_id == second.register.get(membership=seat).pk

    _held_meeting(org, panel, _days(-1), absent=[seat], present=[other])
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.RETIRED_BY_ATTENDANCE
    retirement = _open(NoticeKind.ABSENCE_RETIREMENT)
    assert {n.recipient_person_id for n in retirement} == {seat.person_id, None}
    assert {n.deadline_on for n in retirement} == {_days(-1)}
    member_notice = retirement.get(recipient_person=seat.person)
    assert "may not rejoin the panel before" in member_notice.body
    # No warning for the third absence: the consequence itself is what is sent.
    assert _open(NoticeKind.ABSENCE_WARNING).count() == 2

    # Notices due "at once" fall due at 08:00 today: dispatch after that, whatever the clock.
    later = max(timezone.now(), _at8(TODAY) + datetime.timedelta(hours=1))
    delivery.dispatch_due(now=later)
    delivery.dispatch_due(now=later)
    to_seat = [m for m in mail.outbox if m.to == [seat.person.email]]
    assert len(to_seat) == 2  # one warning, one retirement: each sent once
    assert not _open(NoticeKind.ABSENCE_RETIREMENT).exists()


def test_accepting_the_reason_withdraws_a_pending_warning(seeded_panel):
    org, panel, _ = seeded_panel("ivh")
    seat, other, _ = _seats(panel)
    _held_meeting(org, panel, _days(-60), absent=[seat], present=[other])
    second = _held_meeting(org, panel, _days(-20), absent=[seat], present=[other])
    assert _open(NoticeKind.ABSENCE_WARNING).count() == 2
    line = second.register.get(membership=seat)
    meeting_services.attendance_decide_reason(attendance=line, accepted=True)
    assert not _open(NoticeKind.ABSENCE_WARNING).exists()
    assert (
        Notice.objects.filter(
            kind=NoticeKind.ABSENCE_WARNING, status=NoticeStatus.WITHDRAWN
        ).count()
        == 2
    )


def test_stockport_warns_at_one_and_flags_at_two_for_officers_only(seeded_panel):
    org, panel, officer = seeded_panel("stockport")
    seat, other, _ = _seats(panel)
    _held_meeting(org, panel, _days(-25), absent=[seat], present=[other])
    member_warning = _open(NoticeKind.ABSENCE_WARNING).get(recipient_person=seat.person)
    assert "the panel deciding whether you may be removed" in member_warning.body

    _held_meeting(org, panel, _days(-5), absent=[seat], present=[other])
    flag = RemovalFlag.objects.get(membership=seat)
    (flag_notice,) = _open(NoticeKind.ABSENCE_RETIREMENT)
    assert flag_notice.recipient_user == officer and flag_notice.recipient_person is None
    assert flag_notice.subject_id == flag.pk
    assert flag_notice.due_at == _at8(TODAY)
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ACTIVE  # flagged, not retired

    # The panel decides to remove: the officers' pending reminder is withdrawn.
    member_services.membership_remove(membership=seat, on=TODAY, reason="Two absences.")
    flag_notice.refresh_from_db()
    assert flag_notice.status == NoticeStatus.WITHDRAWN


def test_an_absence_older_than_the_window_writes_to_nobody(seeded_panel):
    org, panel, _ = seeded_panel("stockport")
    seat, other, _ = _seats(panel)
    _held_meeting(org, panel, _days(-40), absent=[seat], present=[other])
    assert not Notice.objects.filter(kind=NoticeKind.ABSENCE_WARNING).exists()


def test_organisations_without_an_attendance_rule_send_no_absence_notices(seeded_panel):
    org, panel, _ = seeded_panel("helena")
    seat, other, _ = _seats(panel)
    for offset in (-90, -60, -30, -2):
        _held_meeting(org, panel, _days(offset), absent=[seat], present=[other])
    assert not Notice.objects.filter(
        kind__in=[NoticeKind.ABSENCE_WARNING, NoticeKind.ABSENCE_RETIREMENT]
    ).exists()


# --- Leave of absence ending -----------------------------------------------------------


def test_leave_ending_is_due_two_weeks_before_and_moves_with_the_end(seeded_panel):
    org, panel, officer = seeded_panel("stockport")
    seat = _seats(panel)[0]
    leave = member_services.leave_grant(
        membership=seat, starts_on=_days(5), ends_on=_days(90), today=TODAY
    )
    notices = _open(NoticeKind.LEAVE_ENDING)
    assert {n.recipient_person_id for n in notices} == {seat.person_id, None}
    assert {n.due_at for n in notices} == {_at8(_days(76))}
    assert {n.deadline_on for n in notices} == {_days(90)}
    assert (
        "payments, paused during the leave, resume"
        in notices.get(recipient_person=seat.person).body
    )
    before = {n.pk for n in notices}
    leave.ends_on = _days(60)
    leave.save()
    moved = _open(NoticeKind.LEAVE_ENDING)
    assert {n.pk for n in moved} == before
    assert {n.due_at for n in moved} == {_at8(_days(46))}


def test_an_early_return_withdraws_the_leave_notices(seeded_panel):
    org, panel, _ = seeded_panel("stockport")
    seat = _seats(panel)[0]
    leave = member_services.leave_grant(
        membership=seat, starts_on=_days(-10), ends_on=_days(90), today=TODAY
    )
    assert _open(NoticeKind.LEAVE_ENDING).count() == 2
    member_services.leave_end(leave=leave, returned_on=TODAY)
    assert not _open(NoticeKind.LEAVE_ENDING).exists()
    assert LeaveOfAbsence.objects.get().returned_on == TODAY


# --- Core training missing ---------------------------------------------------------------


def test_stockport_seat_awaiting_core_training_is_chased_until_training_is_recorded(
    seeded_panel,
):
    org, panel, officer = seeded_panel("stockport", seats=0)
    person = make_person(org, 7)
    seat = Membership.objects.create(
        organisation=org,
        panel=panel,
        person=person,
        starts_on=_days(-3),
        status=MembershipStatus.PENDING_TRAINING,
    )
    notices = _open(NoticeKind.TRAINING_MISSING)
    to_member = notices.get(recipient_person=person)
    to_officer = notices.get(recipient_user=officer)
    assert to_member.due_at == _at8(_days(-3))  # at once
    assert to_officer.due_at == _at8(_days(25))  # four weeks after the seat began
    assert "complete core training before they become active" in to_member.body
    assert "Aspire" in to_member.body or "aspire" in to_member.body.lower()

    delivery.dispatch_due()
    member_services.training_record(
        person=person, kind="core", title="Core training", completed_on=TODAY
    )
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ACTIVE
    to_member.refresh_from_db()
    to_officer.refresh_from_db()
    assert to_member.status == NoticeStatus.SENT  # history stays
    assert to_officer.status == NoticeStatus.WITHDRAWN


def test_no_training_notice_where_the_tor_does_not_require_it_first(seeded_panel):
    org, panel, _ = seeded_panel("hfh", seats=0)
    Membership.objects.create(
        organisation=org,
        panel=panel,
        person=make_person(org, 8),
        starts_on=_days(-3),
        status=MembershipStatus.PENDING_TRAINING,
    )
    assert not Notice.objects.filter(kind=NoticeKind.TRAINING_MISSING).exists()


# --- Terms ending: re-appointment and extension move the pending reminders -------------------


def test_extension_through_the_service_moves_pending_term_reminders(seeded_panel):
    org, panel, _ = seeded_panel("stockport", seats=0)
    person = make_person(org, 9)
    ends = _days(200)
    seat = make_seat(
        org, panel, person, starts_on=ends.replace(year=ends.year - 3), term_ends_on=ends
    )
    seat.first_started_on = seat.starts_on
    seat.save()
    before = {n.kind: n.pk for n in _open(NoticeKind.TERM_ENDING_90)} | {
        n.kind: n.pk for n in _open(NoticeKind.TERM_ENDING_30)
    }
    new_end = ends.replace(year=ends.year + 1)
    member_services.membership_extend(
        membership=seat, extend_to=new_end, decided_by="Panel", reason="Continuity of the review."
    )
    after = {n.kind: n for n in Notice.objects.filter(recipient_person=person)}
    assert {k: n.pk for k, n in after.items()} == before  # the same rows
    assert after[NoticeKind.TERM_ENDING_90].due_at == _at8(new_end - datetime.timedelta(90))
    assert after[NoticeKind.TERM_ENDING_30].due_at == _at8(new_end - datetime.timedelta(30))
    assert all(n.status == NoticeStatus.PENDING for n in after.values())


def test_a_sent_90_day_reminder_stays_and_a_reappointment_plans_new_ones(seeded_panel):
    org, panel, _ = seeded_panel("ivh", seats=0)
    person = make_person(org, 10)
    ends = _days(60)  # the 90-day reminder is already due
    seat = make_seat(
        org, panel, person, starts_on=ends.replace(year=ends.year - 3), term_ends_on=ends
    )
    seat.first_started_on = seat.starts_on
    seat.save()
    delivery.dispatch_due()
    sent = Notice.objects.get(kind=NoticeKind.TERM_ENDING_90, status=NoticeStatus.SENT)
    member_services.membership_reappoint(membership=seat, decided_by="Panel")
    seat.refresh_from_db()
    assert seat.term_ends_on > ends
    sent.refresh_from_db()
    assert sent.status == NoticeStatus.SENT and sent.deadline_on == ends
    fresh = {n.kind: n for n in Notice.objects.filter(status=NoticeStatus.PENDING)}
    assert set(fresh) == {NoticeKind.TERM_ENDING_90, NoticeKind.TERM_ENDING_30}
    assert {n.deadline_on for n in fresh.values()} == {seat.term_ends_on}
    delivery.dispatch_due()
    assert len([m for m in mail.outbox if "term" in m.subject.lower()]) == 1


def test_the_daily_planner_is_idempotent_for_seat_notices(seeded_panel):
    org, panel, _ = seeded_panel("stockport", seats=0)
    Membership.objects.create(
        organisation=org,
        panel=panel,
        person=make_person(org, 11),
        starts_on=_days(-3),
        status=MembershipStatus.PENDING_TRAINING,
    )
    plan_daily(today=TODAY)
    rows = set(Notice.objects.values_list("pk", "status", "due_at"))
    assert {n.kind for n in Notice.objects.all()} >= {NoticeKind.TRAINING_MISSING}
    plan_daily(today=TODAY)
    assert set(Notice.objects.values_list("pk", "status", "due_at")) == rows
