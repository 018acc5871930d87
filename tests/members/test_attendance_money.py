"""Attendance from the meetings registers into remuneration (Stockport) and vouchers (IVH)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from meetings.models import Attendance, Meeting
from members import services
from members.models import PapersRead
from members.selectors import member_statement, panel_statements

D = datetime.date


def meeting(org, day, status="held"):
    return Meeting.objects.create(
        organisation=org.org,
        panel=org.panel,
        date=day,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        status=status,
    )


def register(meeting_, seat, status):
    return Attendance.objects.create(
        organisation=seat.organisation, meeting=meeting_, membership=seat, status=status
    )


@pytest.fixture
def stockport_year(make_org):
    """Four held meetings in 2026 (one planned, not held); the seat attends three."""
    stockport = make_org("stockport")
    seat = stockport.seat(starts_on=D(2025, 1, 1))
    statuses = ["present", "present_virtual", "absent", "present"]
    for month, status in zip((1, 4, 7, 10), statuses, strict=True):
        register(meeting(stockport, D(2026, month, 10)), seat, status)
    meeting(stockport, D(2026, 12, 10), status="planned")
    meeting(stockport, D(2025, 10, 10))  # another year
    return stockport, seat


@pytest.mark.django_db
def test_stockport_remuneration_follows_real_attendance(stockport_year):
    stockport, seat = stockport_year
    statement = member_statement(membership=seat, year=2026)
    assert (statement.meetings_held, statement.meetings_attended) == (4, 3)
    assert statement.remuneration == Decimal("375.00")  # £500 x 3/4
    seat.role = "chair"
    seat.save()
    assert member_statement(membership=seat, year=2026).remuneration == Decimal("450.00")


@pytest.mark.django_db
def test_meetings_before_the_seat_or_on_leave_do_not_count_and_pay_pauses(stockport_year):
    stockport, seat = stockport_year
    seat.starts_on = D(2026, 2, 1)
    seat.save()
    statement = member_statement(membership=seat, year=2026)
    assert (statement.meetings_held, statement.meetings_attended) == (3, 2)
    seat.starts_on = D(2025, 1, 1)
    seat.save()
    services.leave_grant(
        membership=seat, starts_on=D(2026, 6, 1), ends_on=D(2026, 8, 31), today=D(2026, 1, 1)
    )
    statement = member_statement(membership=seat, year=2026)
    # The July absence fell in the leave: not held against attendance, pay paused instead.
    assert (statement.meetings_held, statement.meetings_attended) == (3, 3)
    assert statement.days_on_leave == 92
    assert statement.remuneration == Decimal("373.97")  # £500 x 273/365


@pytest.mark.django_db
def test_ivh_vouchers_need_attendance_and_papers_read_recorded_by_an_officer(make_org, client_as):
    ivh = make_org("ivh")
    reader, skimmer, absent = ivh.seat(), ivh.seat(), ivh.seat()
    held = meeting(ivh, D(2026, 3, 5))
    for seat, status in ((reader, "present"), (skimmer, "present"), (absent, "absent")):
        register(held, seat, status)
    client = client_as(ivh.officer)
    page = reverse("members:papers_read", kwargs={"org_slug": "ivh", "meeting_id": held.pk})
    assert absent.person.full_name not in client.get(page).content.decode()
    refused = client.post(page, {"read": [reader.pk, absent.pk]})
    assert refused.status_code == 200 and not PapersRead.objects.exists()
    assert client.post(page, {"read": [reader.pk]}).status_code == 302
    statements = {s.membership.pk: s for s in panel_statements(panel=ivh.panel, year=2026)}
    assert statements[reader.pk].vouchers == 1
    assert statements[skimmer.pk].vouchers == 0 and statements[skimmer.pk].meetings_attended == 1
    assert statements[absent.pk].vouchers == 0
    payments = client.get(
        reverse("members:payments", kwargs={"org_slug": "ivh", "panel_slug": ivh.panel.slug})
    )
    assert payments.status_code == 200 and "1 of 1" in payments.content.decode()


@pytest.mark.django_db
def test_papers_read_refused_where_the_terms_pay_nothing_for_it(make_org):
    from panels.errors import RuleViolation

    helena = make_org("helena")
    seat = helena.seat()
    held = meeting(helena, D(2026, 3, 5))
    register(held, seat, "present")
    with pytest.raises(RuleViolation) as exc:
        services.papers_read_record(meeting=held, read_membership_ids=[seat.pk], on=D(2026, 3, 6))
    assert exc.value.code == "vouchers.papers_not_required"
    assert "(v1)" in exc.value.reasons[0].source
    planned = meeting(make_org("ivh"), D(2026, 9, 5), status="planned")
    with pytest.raises(RuleViolation) as exc:
        services.papers_read_record(meeting=planned, read_membership_ids=[], on=D(2026, 3, 6))
    assert exc.value.code == "vouchers.meeting_not_held"


@pytest.mark.django_db
def test_my_membership_shows_attendance_and_pay(stockport_year, client_as):
    stockport, seat = stockport_year
    seat.person.user = stockport.member_user
    seat.person.save()
    body = (
        client_as(stockport.member_user)
        .get(reverse("members:mine", kwargs={"org_slug": "stockport"}), {"year": "2026"})
        .content.decode()
    )
    assert "in 2026" in body and "3 of 4" in body and "£375.00" in body
    assert "Claim expenses" in body


@pytest.mark.django_db
def test_panel_statements_query_count_is_constant(make_org, django_assert_num_queries):
    ivh = make_org("ivh")
    held = [meeting(ivh, D(2026, m, 5)) for m in (2, 5)]

    def fill(count):
        for _ in range(count):
            seat = ivh.seat()
            for m in held:
                register(m, seat, "present")

    fill(10)
    with django_assert_num_queries(9) as captured:
        assert len(panel_statements(panel=ivh.panel, year=2026)) == 10
    fill(40)
    with django_assert_num_queries(len(captured.captured_queries)):
        assert len(panel_statements(panel=ivh.panel, year=2026)) == 50
