"""The panel's decision on a seat flagged for absences (Stockport: a member "may be removed"
after two in a row; the panel decides): keep, with a reason, or remove through the removal
service and its appeal. The flag is closed by saving it, so the notices app withdraws its
"decide on absences" reminder."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import (
    MembershipEvent,
    MembershipEventKind,
    MembershipStatus,
    Removal,
    RemovalFlag,
)
from notices.models import Notice, NoticeKind, NoticeStatus
from panels.errors import RuleViolation
from panels.models import AuditEntry


def _flagged(org):
    seat = org.seat()
    today = timezone.localdate()
    flag = services.membership_flag_for_removal(
        membership=seat, on=today, reason="Absent from two meetings in a row."
    )
    return seat, flag, today


def _flag_notices(flag):
    return Notice.objects.filter(kind=NoticeKind.ABSENCE_RETIREMENT, subject_id=flag.pk)


def _page(org, seat):
    return reverse(
        "members:removal_flag_decide",
        kwargs={"org_slug": org.org.slug, "membership_id": seat.pk},
    )


def codes(exc):
    return {r.code for r in exc.value.reasons}


@pytest.mark.django_db
def test_keep_closes_the_flag_by_saving_it_and_withdraws_the_notice(make_org):
    stockport = make_org("stockport")
    seat, flag, today = _flagged(stockport)
    assert _flag_notices(flag).filter(status=NoticeStatus.PENDING).exists()

    services.removal_flag_decide(
        flag=flag,
        decision="keep",
        on=today,
        reason="Illness explained both absences.",
        by=stockport.officer,
    )

    flag.refresh_from_db()
    seat.refresh_from_db()
    assert flag.decision == RemovalFlag.Decision.KEPT and flag.decided_on == today
    assert flag.decision_reason == "Illness explained both absences."
    assert flag.decided_by == stockport.officer
    assert seat.status == MembershipStatus.ACTIVE and not Removal.objects.exists()
    assert MembershipEvent.objects.filter(
        membership=seat, kind=MembershipEventKind.FLAG_KEPT
    ).exists()
    assert AuditEntry.objects.filter(action="membership.removal_flag_kept").count() == 1
    assert _flag_notices(flag).exists()
    assert not _flag_notices(flag).exclude(status=NoticeStatus.WITHDRAWN).exists()


@pytest.mark.django_db
def test_remove_goes_through_the_removal_service_with_the_final_appeal(make_org):
    stockport = make_org("stockport")
    seat, flag, today = _flagged(stockport)

    services.removal_flag_decide(
        flag=flag, decision="remove", on=today, reason="No contact for six months."
    )

    flag.refresh_from_db()
    seat.refresh_from_db()
    removal = Removal.objects.get(membership=seat)
    assert seat.status == MembershipStatus.REMOVED
    assert removal.appeal_to == "Lead Officer" and removal.appeal_final
    assert flag.decision == RemovalFlag.Decision.REMOVED and flag.decided_on == today
    assert flag.decision_reason == "No contact for six months."
    assert not _flag_notices(flag).exclude(status=NoticeStatus.WITHDRAWN).exists()


@pytest.mark.django_db
def test_membership_remove_saves_each_open_flag(make_org, monkeypatch):
    """Each flag is saved (post_save runs per flag), not closed by queryset.update."""
    from django.db.models.signals import post_save

    stockport = make_org("stockport")
    seat, flag, today = _flagged(stockport)
    saved = []

    def listen(sender, instance, **kwargs):
        saved.append(instance.pk)

    post_save.connect(listen, sender=RemovalFlag, dispatch_uid="test-flag-saved")
    try:
        services.membership_remove(membership=seat, on=today, reason="Two absences.")
    finally:
        post_save.disconnect(dispatch_uid="test-flag-saved", sender=RemovalFlag)
    assert saved == [flag.pk]
    flag.refresh_from_db()
    assert flag.decision == RemovalFlag.Decision.REMOVED


@pytest.mark.django_db
def test_refusals_give_every_reason_and_change_nothing(make_org):
    stockport = make_org("stockport")
    seat, flag, today = _flagged(stockport)
    with pytest.raises(RuleViolation) as exc:
        services.removal_flag_decide(
            flag=flag, decision="", on=today - datetime.timedelta(days=1), reason=" "
        )
    assert codes(exc) == {
        "removal_flag.decision",
        "removal_flag.reason_required",
        "removal_flag.before_raised",
    }
    # Removing needs a reason as well (the removal service's rule is not bypassed).
    with pytest.raises(RuleViolation) as exc:
        services.removal_flag_decide(flag=flag, decision="remove", on=today, reason="")
    assert "removal_flag.reason_required" in codes(exc)
    flag.refresh_from_db()
    seat.refresh_from_db()
    assert flag.decision == "" and seat.status == MembershipStatus.ACTIVE
    assert not Removal.objects.exists()

    services.removal_flag_decide(flag=flag, decision="keep", on=today, reason="Explained.")
    with pytest.raises(RuleViolation) as exc:
        services.removal_flag_decide(flag=flag, decision="remove", on=today, reason="Changed mind")
    assert codes(exc) == {"removal_flag.decided"}
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ACTIVE


@pytest.mark.django_db
def test_a_flag_on_an_ended_seat_cannot_be_decided(make_org):
    stockport = make_org("stockport")
    seat, flag, today = _flagged(stockport)
    seat.status = MembershipStatus.STEPPED_DOWN
    seat.save(update_fields=["status"])
    with pytest.raises(RuleViolation) as exc:
        services.removal_flag_decide(flag=flag, decision="keep", on=today, reason="Explained.")
    assert codes(exc) == {"membership.not_current"}
    flag.refresh_from_db()
    assert flag.decision == ""


@pytest.mark.django_db
def test_decide_page_keeps_typed_values_on_refusal_then_records(make_org, client_as):
    stockport = make_org("stockport")
    seat, flag, today = _flagged(stockport)
    client = client_as(stockport.officer)
    page = _page(stockport, seat)
    shown = client.get(page).content.decode()
    assert "Absent from two meetings in a row." in shown
    assert "appeal in writing to the Lead Officer, whose decision is final" in shown
    roster = reverse(
        "members:roster",
        kwargs={"org_slug": stockport.org.slug, "panel_slug": stockport.panel.slug},
    )
    assert page in client.get(roster).content.decode()

    refused = client.post(page, {"decision": "keep", "on": today.isoformat(), "reason": ""})
    assert refused.status_code == 200
    assert "reason for its decision" in refused.content.decode()
    flag.refresh_from_db()
    assert flag.decision == ""

    done = client.post(
        page, {"decision": "keep", "on": today.isoformat(), "reason": "Explained absences."}
    )
    assert done.status_code == 302
    flag.refresh_from_db()
    assert flag.decision == RemovalFlag.Decision.KEPT
    # No open flag left: the page is not found.
    assert client.get(page).status_code == 404


@pytest.mark.django_db
def test_decide_page_remove_path_and_access(make_org, client_as):
    stockport = make_org("stockport")
    other = make_org("hfh")
    seat, flag, today = _flagged(stockport)
    page = _page(stockport, seat)
    assert client_as(stockport.member_user).get(page).status_code == 403
    assert client_as(other.officer).get(page).status_code in (403, 404)
    person_page = reverse(
        "members:person", kwargs={"org_slug": stockport.org.slug, "person_id": seat.person_id}
    )
    client = client_as(stockport.officer)
    assert page in client.get(person_page).content.decode()
    response = client.post(
        page, {"decision": "remove", "on": today.isoformat(), "reason": "Did not return."}
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.REMOVED
    assert Removal.objects.get(membership=seat).appeal_to == "Lead Officer"
