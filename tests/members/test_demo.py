"""Demo data for the notices the members app feeds: every demo organisation has one current
leave of absence ending within the next month, and Stockport (core training before active)
one seat awaiting core training. Seeding again changes nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from members.demo import DEMO_LEAVE_REASON
from members.models import (
    LeaveOfAbsence,
    Membership,
    MembershipEvent,
    MembershipStatus,
)
from notices.models import Notice, NoticeKind
from panels.models import AuditEntry, Organisation

pytestmark = pytest.mark.django_db

ORGS = ["helena", "hfh", "ivh", "tht", "stockport"]


def _rows():
    return (
        LeaveOfAbsence.objects.count(),
        Membership.objects.count(),
        MembershipEvent.objects.count(),
        AuditEntry.objects.count(),
        Notice.objects.count(),
        sorted(Membership.objects.values_list("pk", "status")),
    )


def test_demo_leave_ending_and_seat_awaiting_training_once():
    call_command("seed_demo", "--quiet-sign-ins")
    first = _rows()
    today = timezone.localdate()
    for slug in ORGS:
        org = Organisation.objects.get(slug=slug)
        (leave,) = LeaveOfAbsence.objects.for_org(org).filter(reason=DEMO_LEAVE_REASON)
        assert leave.starts_on <= today < leave.ends_on <= today + datetime.timedelta(days=31)
        assert leave.returned_on is None
        assert leave.membership.status == MembershipStatus.ON_LEAVE
        assert Notice.objects.filter(
            organisation=org, kind=NoticeKind.LEAVE_ENDING, subject_id=leave.pk
        ).exists()
        pending = Membership.objects.for_org(org).filter(status=MembershipStatus.PENDING_TRAINING)
        if slug == "stockport":
            (seat,) = pending
            assert (
                Notice.objects.filter(
                    organisation=org, kind=NoticeKind.TRAINING_MISSING, subject_id=seat.pk
                ).count()
                >= 2
            )  # the member at once; officers after four weeks
        else:
            assert not pending.exists()

    call_command("seed_demo", "--quiet-sign-ins")
    assert _rows() == first
