"""Every seat and scrutiny kind due now is sent once: dispatching twice, saving the subjects
again (their hooks re-plan) and running the daily planner send nothing more. A change rolled
back leaves no notice behind."""

import datetime
import zoneinfo
from collections import Counter

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from members import services as member_services
from members.models import Membership, MembershipStatus, RemovalFlag
from notices import delivery
from notices.daily import plan_daily
from notices.models import Notice, NoticeKind, NoticeStatus
from scrutiny import services as scrutiny_services
from scrutiny.models import Recommendation, ServiceReview
from tests.notices.conftest import make_person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
NEW_KINDS = {
    NoticeKind.LEAVE_ENDING,
    NoticeKind.TRAINING_MISSING,
    NoticeKind.ABSENCE_RETIREMENT,
    NoticeKind.BOARD_RESPONSE_DUE,
    NoticeKind.ACTION_DUE,
}


def _days(n):
    return TODAY + datetime.timedelta(days=n)


def _stockport_subjects(seeded_panel):
    org, panel, officer = seeded_panel("stockport")
    seat, flagged, _ = Membership.objects.filter(panel=panel).order_by("id")
    leave = member_services.leave_grant(
        membership=seat, starts_on=_days(-20), ends_on=_days(7), today=TODAY
    )
    trainee = Membership.objects.create(
        organisation=org,
        panel=panel,
        person=make_person(org, 20),
        starts_on=_days(-1),
        status=MembershipStatus.PENDING_TRAINING,
    )
    member_services.membership_flag_for_removal(
        membership=flagged, on=_days(-1), reason="Two meetings missed without reason."
    )
    return [leave, trainee, RemovalFlag.objects.get(), seat]


def _tht_subjects(seeded_panel):
    org, panel, officer = seeded_panel("tht")
    review = ServiceReview.objects.create(
        organisation=org,
        panel=panel,
        title="Damp and mould",
        topic_source="performance",
        proposed_on=_days(-200),
        stage="reported",
        reported_on=_days(-60),
    )
    answered = Recommendation.objects.create(
        organisation=org, review=review, number=1, text="Survey homes.", response_due_on=_days(-40)
    )
    scrutiny_services.response_record(
        recommendation=answered, decision="accepted", responded_on=_days(-41), by=officer
    )
    awaiting = Recommendation.objects.create(
        organisation=org, review=review, number=2, text="Publish data.", response_due_on=_days(10)
    )
    action = scrutiny_services.action_add(
        recommendation=answered,
        description="Survey",
        owner="Asset team",
        due_on=_days(3),
        by=officer,
    )
    return [awaiting, action]


def test_each_new_kind_due_now_is_sent_once(seeded_panel):
    subjects = _stockport_subjects(seeded_panel) + _tht_subjects(seeded_panel)
    # Notices due "at once" fall due at 08:00 today: look and dispatch after that, whatever
    # the clock says when the suite runs (before 08:00 they are rightly not due yet).
    eight = datetime.datetime.combine(
        TODAY, datetime.time(8), tzinfo=zoneinfo.ZoneInfo("Europe/London")
    )
    later = max(timezone.now(), eight + datetime.timedelta(hours=1))
    due = Notice.objects.filter(
        kind__in=NEW_KINDS, status=NoticeStatus.PENDING, next_attempt_at__lte=later
    )
    assert {n.kind for n in due} == NEW_KINDS
    expected = Counter((n.kind, n.recipient_email) for n in due if n.channel == "email")
    delivery.dispatch_due(now=later)
    delivery.dispatch_due(now=later)
    for subject in subjects:
        subject.save()  # the post_save hook plans again
    plan_daily(today=TODAY)
    delivery.dispatch_due(now=later)
    sent = Notice.objects.filter(kind__in=NEW_KINDS, status=NoticeStatus.SENT)
    assert Counter((n.kind, n.recipient_email) for n in sent if n.channel == "email") == expected
    per_message = Counter(m.extra_headers["X-PanelHub-Notice"] for m in mail.outbox)
    assert per_message and max(per_message.values()) == 1


def test_a_rolled_back_change_leaves_no_notice(seeded_panel):
    org, panel, _ = seeded_panel("stockport")
    seat = Membership.objects.filter(panel=panel).first()
    with pytest.raises(RuntimeError), transaction.atomic():
        member_services.leave_grant(
            membership=seat, starts_on=_days(1), ends_on=_days(30), today=TODAY
        )
        assert Notice.objects.filter(kind=NoticeKind.LEAVE_ENDING).count() == 2
        raise RuntimeError("the request failed after the leave was granted")
    assert not Notice.objects.filter(kind=NoticeKind.LEAVE_ENDING).exists()
