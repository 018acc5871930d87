"""The register for the whole meeting (issue 15 items 3 to 5): one submit, arrival and
departure times, quorum and votes per agenda item, declared interests under the ToR's
``interest_quorum``, "held" refused while seats are unrecorded, members on leave flagged."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Attendance, AttendanceStatus, MeetingStatus, Vote
from meetings.selectors import item_attendance, minutes_record
from members.models import LeaveOfAbsence
from members.selectors import current_memberships
from panels.errors import RuleViolation
from panels.models import InterestQuorumRule
from tests.meetings.conftest import LATE, register_data, schedule

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 10)
LONDON = timezone.get_default_timezone()


def at(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


def now_at(hour: int, minute: int = 0, day: datetime.date = DAY) -> datetime.datetime:
    return datetime.datetime.combine(day, at(hour, minute), tzinfo=LONDON)


@pytest.fixture
def hfh(panel_with):
    """HFH: quorum of 3 voting members; a meeting 10:00 to 14:00 with three items of 30
    minutes (planned 10:00, 10:30, 11:00)."""
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=2)
    setup.meeting = schedule(
        setup, DAY, today=datetime.date(2026, 4, 1), start_time=at(10), end_time=at(14)
    )
    setup.items = [
        services.agenda_item_add(
            meeting=setup.meeting, title=title, minutes_allotted=30, today=datetime.date(2026, 4, 1)
        )
        for title in ("Repairs", "Estate services", "Rent setting")
    ]
    return setup


def rows(setup, **overrides):
    """A RegisterRow per seat, present unless overridden: overrides[seat index] = dict."""
    result = []
    for n, seat in enumerate(setup.seats):
        values = {"status": AttendanceStatus.PRESENT, **overrides.get(f"s{n}", {})}
        result.append(services.RegisterRow(membership=seat, **values))
    return result


def take(setup, now=None, **kwargs):
    return services.register_take(
        meeting=setup.meeting,
        rows=kwargs.pop("rows", None) or rows(setup),
        now=now or now_at(10, 5),
        **kwargs,
    )


def refused_on(exc_info, field: str) -> str:
    reasons = [r for r in exc_info.value.reasons if r.field == field]
    assert reasons, [(r.field, r.message) for r in exc_info.value.reasons]
    return reasons[0].message


# --- One submit -------------------------------------------------------------------------


def test_the_whole_register_in_one_submit(panel_with, client_as, tenant_a):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=3)
    client = client_as(tenant_a.officer)
    today = timezone.localdate()
    meeting = services.meeting_schedule(
        panel=setup.panel,
        date=today,
        start_time=at(0, 1),
        end_time=at(23, 58),
        today=today,
        late_reason=LATE,
    )
    item = services.agenda_item_add(meeting=meeting, title="Repairs", today=today)
    chair, vice, r0, r1, r2 = setup.seats
    url = reverse("meetings:console", kwargs={"org_slug": setup.org.slug, "meeting_id": meeting.pk})
    page = client.get(url).content.decode()
    # One register form, one row per seat, each with its own labelled fields.
    assert page.count('name="action" value="register"') == 1
    for seat in setup.seats:
        assert page.count(f'id="id_seat-{seat.pk}-status"') == 1
        assert f'for="id_seat-{seat.pk}-status"' in page
    data = register_data(
        meeting,
        {vice: "present_virtual", r1: "absent"},
        **{
            f"seat-{r0.pk}-arrived_at": "10:30",
            f"seat-{r2.pk}-left_at": "12:00",
            f"seat-{r1.pk}-apology_reason": "Rang in sick",
            f"item-{item.pk}-started_at": "00:05",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    lines = {a.membership_id: a for a in Attendance.objects.all()}
    assert len(lines) == 5
    assert lines[chair.pk].status == "present" and lines[vice.pk].status == "present_virtual"
    assert lines[r0.pk].arrived_at == at(10, 30) and lines[r2.pk].left_at == at(12)
    assert lines[r1.pk].status == "absent" and lines[r1.pk].apology_reason == "Rang in sick"
    assert all(a.recorded_by == tenant_a.officer for a in lines.values())
    item.refresh_from_db()
    assert item.started_at == at(0, 5)
    # Saved once more unchanged: nothing changes, nothing is duplicated.
    assert client.post(url, data).status_code == 302
    assert Attendance.objects.count() == 5


# --- Refusals: on their field, nothing saved ----------------------------------------------


def test_departure_before_arrival_is_refused_and_nothing_saved(hfh):
    with pytest.raises(RuleViolation) as exc:
        take(hfh, rows=rows(hfh, s2={"arrived_at": at(11), "left_at": at(10, 30)}))
    assert "before arriving" in refused_on(exc, f"seat-{hfh.seats[2].pk}-left_at")
    assert Attendance.objects.count() == 0


def test_arrival_after_the_meeting_ended_is_refused(hfh):
    with pytest.raises(RuleViolation) as exc:
        take(hfh, rows=rows(hfh, s3={"arrived_at": at(14, 30)}), now=now_at(15))
    assert "ended at 14:00" in refused_on(exc, f"seat-{hfh.seats[3].pk}-arrived_at")
    assert Attendance.objects.count() == 0


def test_apology_after_the_meeting_started_is_refused(hfh):
    late = rows(hfh, s3={"status": "apologies", "apology_reason": "Overslept"})
    with pytest.raises(RuleViolation) as exc:
        take(hfh, rows=late, now=now_at(10, 15))
    assert "started at 10:00" in refused_on(exc, f"seat-{hfh.seats[3].pk}-status")
    assert Attendance.objects.count() == 0
    # Before the start it is an apology like any other, recorded by an officer for them.
    before = rows(hfh, s3={"status": "apologies", "apology_reason": "Ill", "acting_for": True})
    take(hfh, rows=[r for r in before if r.status == "apologies"], now=now_at(9, 30))
    line = Attendance.objects.get()
    assert line.status == "apologies" and line.acting_for


def test_a_vote_by_a_member_who_left_before_the_item_is_refused(hfh):
    chair, vice, r0, r1 = hfh.seats
    take(hfh, rows=rows(hfh, s2={"left_at": at(10, 45)}))
    motion = services.motion_propose(
        meeting=hfh.meeting, text="Accept the rent report", mover=chair, item=hfh.items[2]
    )
    with pytest.raises(RuleViolation) as exc:
        services.motion_decide(
            motion=motion, ballots={chair: "for", vice: "for", r1: "for", r0: "against"}
        )
    message = next(r.message for r in exc.value.reasons if r.code == "vote.not_there_for_item")
    assert "left at 10:45, before this item began (11:00)" in message
    assert Vote.objects.count() == 0
    motion.refresh_from_db()
    assert motion.outcome == "pending"
    # Without them the vote stands; the officer's vote for a member is marked as such.
    services.motion_decide(
        motion=motion, ballots={chair: "for", vice: "for", r1: "against"}, acting_for={r1.pk}
    )
    assert Vote.objects.get(membership=r1).acting_for
    assert not Vote.objects.get(membership=chair).acting_for


def test_a_vote_by_a_member_who_arrived_after_the_item_began_is_refused(hfh):
    chair, vice, r0, r1 = hfh.seats
    take(hfh, rows=rows(hfh, s3={"arrived_at": at(10, 40)}))
    motion = services.motion_propose(
        meeting=hfh.meeting, text="Repairs", mover=chair, item=hfh.items[0]
    )
    with pytest.raises(RuleViolation) as exc:
        services.motion_decide(motion=motion, ballots={chair: "for", vice: "for", r1: "for"})
    assert any("arrived at 10:40" in r.message for r in exc.value.reasons)


def test_a_departure_that_contradicts_a_recorded_vote_is_refused(hfh):
    chair, vice, r0, r1 = hfh.seats
    take(hfh)
    motion = services.motion_propose(
        meeting=hfh.meeting, text="Rent", mover=chair, item=hfh.items[2]
    )
    services.motion_decide(motion=motion, ballots={chair: "for", vice: "for", r0: "for"})
    with pytest.raises(RuleViolation) as exc:
        take(hfh, rows=rows(hfh, s2={"left_at": at(10, 45)}))
    assert "voted on item 3" in refused_on(exc, f"seat-{r0.pk}-left_at")
    assert Attendance.objects.get(membership=r0).left_at is None


def test_item_times_out_of_order_are_refused(hfh):
    with pytest.raises(RuleViolation) as exc:
        take(hfh, item_starts={hfh.items[0].pk: at(11), hfh.items[1].pk: at(10, 30)})
    assert "before item 1" in refused_on(exc, f"item-{hfh.items[1].pk}-started_at")
    assert Attendance.objects.count() == 0


# --- Quorum per item -----------------------------------------------------------------------


def _per_item(setup):
    memberships = list(current_memberships(panel=setup.panel, on=setup.meeting.date))
    register = list(Attendance.objects.filter(meeting=setup.meeting).select_related("membership"))
    declarations = [d for i in setup.items for d in i.declarations.all()]
    return {
        state.item.pk: state
        for state in item_attendance(
            meeting=setup.meeting,
            terms=setup.terms,
            memberships=memberships,
            register=register,
            items=[type(i).objects.get(pk=i.pk) for i in setup.items],
            declarations=declarations,
        )
    }


def test_quorum_for_a_late_item_after_two_departures(hfh):
    chair, vice, r0, r1 = hfh.seats
    take(hfh, rows=rows(hfh, s2={"left_at": at(10, 20)}, s3={"left_at": at(10, 50)}))
    states = _per_item(hfh)
    first, second, third = (states[i.pk] for i in hfh.items)
    assert first.quorum.is_quorate and first.quorum.counted == 4
    assert second.quorum.is_quorate and second.quorum.counted == 3
    assert third.quorum.is_quorate is False and third.quorum.counted == 2
    assert third.quorum.short_by == 1
    # A motion on the late item is refused for want of quorum; on the first it is not.
    late = services.motion_propose(meeting=hfh.meeting, text="Rent", mover=chair, item=hfh.items[2])
    with pytest.raises(RuleViolation) as exc:
        services.motion_decide(motion=late, votes_for=2)
    assert exc.value.reasons[0].code == "quorum.item_not_met"
    early = services.motion_propose(
        meeting=hfh.meeting, text="Repairs", mover=chair, item=hfh.items[0]
    )
    assert services.motion_decide(motion=early, votes_for=4).outcome == "carried"
    # A recorded start time moves the item: item 3 reached at 10:40, before r1 left.
    take(
        hfh,
        rows=rows(hfh, s2={"left_at": at(10, 20)}, s3={"left_at": at(10, 50)}),
        item_starts={hfh.items[1].pk: at(10, 25), hfh.items[2].pk: at(10, 40)},
    )
    assert _per_item(hfh)[hfh.items[2].pk].quorum.counted == 3


@pytest.mark.parametrize(
    ("rule", "counted", "quorate"),
    [
        (InterestQuorumRule.EXCLUDED, 2, False),
        (InterestQuorumRule.COUNTED, 3, True),
        (InterestQuorumRule.NOT_STATED, 3, True),
    ],
)
def test_a_declared_member_is_excluded_from_the_vote_and_from_quorum_only_where_the_tor_says(
    hfh, rule, counted, quorate
):
    chair, vice, r0, r1 = hfh.seats
    hfh.terms.interest_quorum = rule
    hfh.terms.save(update_fields=["interest_quorum"])
    take(hfh, rows=rows(hfh, s3={"status": "absent"}))
    item = hfh.items[0]
    services.declaration_record(item=item, membership=r0, interest="Lives on the estate")
    state = _per_item(hfh)[item.pk]
    assert state.quorum.present == 3 and state.quorum.declared_interest == 1
    assert state.quorum.counted == counted and state.quorum.is_quorate is quorate
    if rule == InterestQuorumRule.NOT_STATED:
        # The officer is told the choice matters here.
        assert state.quorum.quorate_if_interested_excluded is False
        assert "not stated" in state.quorum.interest_text
    motion = services.motion_propose(meeting=hfh.meeting, text="Repairs", mover=chair, item=item)
    with pytest.raises(RuleViolation) as exc:
        services.motion_decide(motion=motion, ballots={chair: "for", vice: "for", r0: "for"})
    codes = {r.code for r in exc.value.reasons}
    assert "vote.declared_interest" in codes
    assert ("quorum.item_not_met" in codes) is (not quorate)


def test_no_quorum_in_the_tor_is_never_shown_as_quorate(panel_with, client_as, tenant_a):
    setup = panel_with("tht", chair=1, resident=2)
    setup.meeting = schedule(setup, DAY, today=datetime.date(2026, 4, 1))
    url = reverse(
        "meetings:console", kwargs={"org_slug": setup.org.slug, "meeting_id": setup.meeting.pk}
    )
    body = client_as(tenant_a.officer).get(url).content.decode()
    assert "This panel&#x27;s terms of reference set no quorum" in body or (
        "This panel's terms of reference set no quorum" in body
    )
    assert "Quorate" not in body


# --- Held, leave and minutes ----------------------------------------------------------------


def test_marking_held_with_unrecorded_members_is_refused_naming_them(hfh):
    chair, vice, r0, r1 = hfh.seats
    take(hfh, rows=rows(hfh)[:2])
    with pytest.raises(RuleViolation) as exc:
        services.meeting_mark_held(meeting=hfh.meeting, today=DAY)
    message = exc.value.reasons[0].message
    assert r0.person.full_name in message and r1.person.full_name in message
    assert chair.person.full_name not in message
    hfh.meeting.refresh_from_db()
    assert hfh.meeting.status != MeetingStatus.HELD
    take(hfh)
    assert services.meeting_mark_held(meeting=hfh.meeting, today=DAY).status == "held"


def test_held_refusal_names_them_on_the_console(panel_with, client_as, tenant_a):
    setup = panel_with("hfh", chair=1, resident=1)
    today = timezone.localdate()
    meeting = services.meeting_schedule(
        panel=setup.panel,
        date=today,
        start_time=at(0, 1),
        end_time=at(23, 58),
        today=today,
        late_reason=LATE,
    )
    url = reverse("meetings:console", kwargs={"org_slug": setup.org.slug, "meeting_id": meeting.pk})
    response = client_as(tenant_a.officer).post(url, {"action": "held"})
    assert response.status_code == 200
    body = response.content.decode()
    assert setup.seats[1].person.full_name in body and "not in the register" in body


def test_a_member_on_leave_recorded_present_is_flagged(hfh, client_as, tenant_a):
    r0 = hfh.seats[2]
    LeaveOfAbsence.objects.create(
        organisation=hfh.org,
        membership=r0,
        starts_on=DAY - datetime.timedelta(days=20),
        ends_on=DAY + datetime.timedelta(days=20),
    )
    taken = take(hfh)
    assert taken.on_leave_present == [r0]
    assert Attendance.objects.get(membership=r0).status == "present"  # a warning, not a refusal
    url = reverse(
        "meetings:console", kwargs={"org_slug": hfh.org.slug, "meeting_id": hfh.meeting.pk}
    )
    body = client_as(tenant_a.officer).get(url).content.decode()
    assert "On leave of absence on this date but recorded present" in body
    assert r0.person.full_name in body


def test_late_arrivals_and_early_departures_appear_in_the_minutes_record(hfh):
    take(hfh, rows=rows(hfh, s2={"arrived_at": at(10, 40)}, s3={"left_at": at(12, 15)}))
    record = minutes_record(meeting=hfh.meeting)
    assert [(a.name, a.arrived_at) for a in record.late_arrivals] == [
        (hfh.seats[2].person.full_name, at(10, 40))
    ]
    assert [(a.name, a.left_at) for a in record.early_departures] == [
        (hfh.seats[3].person.full_name, at(12, 15))
    ]
    assert record.public_attendance()["late_arrivals"] == 1


def test_a_member_cannot_send_apologies_once_the_meeting_started(hfh):
    with pytest.raises(RuleViolation) as exc:
        services.apologies_send(
            meeting=hfh.meeting,
            membership=hfh.seats[2],
            reason="Stuck in traffic",
            today=DAY,
            now=now_at(10, 1),
        )
    assert "started at 10:00" in refused_on(exc, "reason")
    assert Attendance.objects.count() == 0
