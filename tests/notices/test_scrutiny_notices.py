"""The Board's response to a recommendation (due, overdue, a breach once the date passes
unanswered; THT's ToR says the Board responds in writing) and improvement-plan actions (due,
overdue): planned by the hooks, withdrawn when the duty is done, sent once."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from notices import delivery
from notices.daily import plan_daily
from notices.models import Breach, Notice, NoticeKind, NoticeStatus
from notices.planners_scrutiny import DUE_DATE_SOURCE
from notices.selectors import breaches_for_panel
from notices.services import breaches_sync
from scrutiny import services as scrutiny_services
from scrutiny.models import Recommendation, ServiceReview

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = timezone.localdate()


def _at8(day):
    return datetime.datetime.combine(day, datetime.time(8), tzinfo=LONDON)


def _days(n):
    return TODAY + datetime.timedelta(days=n)


def _recommendation(org, panel, *, due, reported_on=None, number=1):
    review, _ = ServiceReview.objects.get_or_create(
        organisation=org,
        panel=panel,
        title="Repairs first time fix",
        defaults={
            "topic_source": "performance",
            "proposed_on": _days(-200),
            "stage": "reported",
            "reported_on": reported_on or _days(-100),
            "reported_to": "Board",
        },
    )
    return Recommendation.objects.create(
        organisation=org,
        review=review,
        number=number,
        text="Book follow-on repairs before the operative leaves.",
        response_due_on=due,
    )


def _open(kind):
    return Notice.objects.filter(kind=kind, status=NoticeStatus.PENDING)


def test_board_response_due_two_weeks_before_and_overdue_the_day_after(seeded_panel):
    org, panel, officer = seeded_panel("tht")
    recommendation = _recommendation(org, panel, due=_days(40))
    due = _open(NoticeKind.BOARD_RESPONSE_DUE)
    overdue = _open(NoticeKind.BOARD_RESPONSE_OVERDUE)
    recipients = {n.recipient_user.email for n in due}
    assert recipients == {"officer@tht.test", "board@tht.test"}
    assert {n.due_at for n in due} == {_at8(_days(26))}
    assert {n.due_at for n in overdue} == {_at8(_days(41))}
    assert {n.subject_id for n in due} == {recommendation.pk}
    # Moving the date moves the pending notices (same rows).
    before = {n.pk for n in _open(NoticeKind.BOARD_RESPONSE_DUE)}
    scrutiny_services.recommendation_set_due(
        recommendation=recommendation, due_on=_days(50), by=officer
    )
    moved = _open(NoticeKind.BOARD_RESPONSE_DUE)
    assert {n.pk for n in moved} == before
    assert {n.due_at for n in moved} == {_at8(_days(36))}


def test_the_boards_response_withdraws_both_and_records_no_breach(seeded_panel):
    org, panel, officer = seeded_panel("tht")
    recommendation = _recommendation(org, panel, due=_days(40))
    scrutiny_services.response_record(
        recommendation=recommendation, decision="accepted", responded_on=TODAY, by=officer
    )
    assert (
        not Notice.objects.filter(status=NoticeStatus.PENDING)
        .exclude(kind__in=[NoticeKind.TOR_REVIEW_DUE, NoticeKind.ANNUAL_REPORT_DUE])
        .exists()
    )
    assert (
        Notice.objects.filter(
            kind__in=[NoticeKind.BOARD_RESPONSE_DUE, NoticeKind.BOARD_RESPONSE_OVERDUE],
            status=NoticeStatus.WITHDRAWN,
        ).count()
        == 4
    )
    assert not Breach.objects.exists()


def test_a_missed_response_date_is_a_breach_of_thts_written_response_rule(seeded_panel):
    org, panel, officer = seeded_panel("tht")
    recommendation = _recommendation(org, panel, due=_days(-3))
    # Planned on the change: overdue at once, the due reminder no longer wanted.
    assert not _open(NoticeKind.BOARD_RESPONSE_DUE).exists()
    assert {n.due_at for n in _open(NoticeKind.BOARD_RESPONSE_OVERDUE)} == {_at8(_days(-2))}
    (breach,) = Breach.objects.filter(rule="board_response")
    assert breach.due_on == _days(-3) and breach.done_on is None
    assert breach.panel == panel
    assert "responds formally in writing" in breach.rule_text
    assert "Accountability" in breach.source
    # The daily planner finds it again and records nothing more; sending twice sends once.
    plan_daily(today=TODAY)
    plan_daily(today=TODAY)
    assert Breach.objects.filter(rule="board_response").count() == 1
    delivery.dispatch_due()
    delivery.dispatch_due()
    overdue_mail = [m for m in mail.outbox if "overdue" in m.subject]
    assert len(overdue_mail) == 2  # one to the officer, one to the Board member
    # A late response fills in when the duty was done on the same breach.
    scrutiny_services.response_record(
        recommendation=recommendation, decision="accepted", responded_on=TODAY, by=officer
    )
    breach.refresh_from_db()
    assert breach.done_on == TODAY
    in_year = breaches_for_panel(panel=panel, start=_days(-10), end=_days(10))
    assert list(in_year) == [breach]


def test_a_date_set_where_the_tor_is_silent_is_still_a_breach_of_that_date(seeded_panel):
    org, panel, _ = seeded_panel("hfh")
    _recommendation(org, panel, due=_days(-3))
    (breach,) = Breach.objects.filter(rule="board_response")
    assert breach.source == DUE_DATE_SOURCE


def test_no_due_date_means_no_notice_and_no_breach(seeded_panel):
    org, panel, _ = seeded_panel("tht")
    recommendation = _recommendation(org, panel, due=None)
    assert not Notice.objects.filter(subject_id=recommendation.pk).exists()
    assert breaches_sync(subject=recommendation, today=_days(400)) == []


def test_a_breach_is_not_recorded_before_the_date_passes(seeded_panel):
    org, panel, _ = seeded_panel("tht")
    recommendation = _recommendation(org, panel, due=_days(10))
    assert breaches_sync(subject=recommendation, today=_days(10)) == []
    assert len(breaches_sync(subject=recommendation, today=_days(11))) == 1


# --- Improvement actions ---------------------------------------------------------------


def _accepted(org, panel, officer):
    recommendation = _recommendation(org, panel, due=_days(-30))
    scrutiny_services.response_record(
        recommendation=recommendation, decision="accepted", responded_on=_days(-31), by=officer
    )
    return recommendation


def test_an_action_is_due_a_week_before_and_overdue_the_day_after(seeded_panel):
    org, panel, officer = seeded_panel("tht")
    recommendation = _accepted(org, panel, officer)
    action = scrutiny_services.action_add(
        recommendation=recommendation,
        description="Van stock review",
        owner="Head of Repairs",
        due_on=_days(30),
        by=officer,
    )
    (due,) = _open(NoticeKind.ACTION_DUE)
    (overdue,) = _open(NoticeKind.ACTION_OVERDUE)
    assert due.recipient_user == officer
    assert due.due_at == _at8(_days(23)) and overdue.due_at == _at8(_days(31))
    assert "Head of Repairs" in due.body
    scrutiny_services.action_update(action=action, status="in_progress", by=officer)
    assert _open(NoticeKind.ACTION_DUE).get().pk == due.pk  # unchanged
    scrutiny_services.action_update(
        action=action,
        status="done",
        completed_on=TODAY,
        completion_evidence="Stock list revised.",
        by=officer,
    )
    assert not _open(NoticeKind.ACTION_DUE).exists()
    assert not _open(NoticeKind.ACTION_OVERDUE).exists()


def test_an_overdue_action_is_sent_once_and_cancelled_ones_are_withdrawn(seeded_panel):
    org, panel, officer = seeded_panel("tht")
    recommendation = _accepted(org, panel, officer)
    late = scrutiny_services.action_add(
        recommendation=recommendation,
        description="Text reminders",
        owner="Contact centre",
        due_on=_days(-2),
        by=officer,
    )
    cancelled = scrutiny_services.action_add(
        recommendation=recommendation,
        description="Leaflet",
        owner="Comms",
        due_on=_days(20),
        by=officer,
    )
    assert _open(NoticeKind.ACTION_OVERDUE).filter(subject_id=late.pk).count() == 1
    scrutiny_services.action_update(action=cancelled, status="cancelled", by=officer)
    assert not _open(NoticeKind.ACTION_DUE).filter(subject_id=cancelled.pk).exists()
    delivery.dispatch_due()
    plan_daily(today=TODAY)
    delivery.dispatch_due()
    sent = [m for m in mail.outbox if "Text reminders" in m.subject]
    assert len(sent) == 1
