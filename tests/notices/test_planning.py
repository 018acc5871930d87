"""notices_sync: the ledger rows a subject should have, upserted and withdrawn."""

import datetime
import zoneinfo

import pytest

from notices.models import Notice, NoticeChannel, NoticeKind, NoticeStatus
from notices.planning import NO_EMAIL_NOTE
from notices.services import notices_sync
from tests.notices.conftest import make_person, make_seat

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def _at8(day):
    return datetime.datetime.combine(day, datetime.time(8), tzinfo=LONDON)


def test_a_seat_gets_term_ending_notices_90_and_30_days_before(tenant_a):
    person = make_person(tenant_a.org, 1)
    ends = datetime.date(2031, 6, 30)
    seat = make_seat(tenant_a.org, tenant_a.panel, person, term_ends_on=ends)
    rows = {n.kind: n for n in Notice.objects.filter(recipient_person=person)}
    assert set(rows) == {NoticeKind.TERM_ENDING_90, NoticeKind.TERM_ENDING_30}
    assert rows[NoticeKind.TERM_ENDING_90].due_at == _at8(ends - datetime.timedelta(days=90))
    assert rows[NoticeKind.TERM_ENDING_30].due_at == _at8(ends - datetime.timedelta(days=30))
    assert rows[NoticeKind.TERM_ENDING_30].channel == NoticeChannel.EMAIL
    # Planning again changes nothing: the dedupe key holds one row per notice.
    notices_sync(subject=seat)
    assert Notice.objects.filter(recipient_person=person).count() == 2


def test_extending_a_term_moves_the_pending_reminders_to_the_new_end(tenant_a):
    person = make_person(tenant_a.org, 1)
    seat = make_seat(tenant_a.org, tenant_a.panel, person, term_ends_on=datetime.date(2031, 6, 30))
    before = set(Notice.objects.filter(recipient_person=person).values_list("pk", flat=True))
    seat.term_ends_on = datetime.date(2032, 6, 30)
    seat.save()
    pending = Notice.objects.filter(recipient_person=person, status=NoticeStatus.PENDING)
    assert {n.deadline_on for n in pending} == {datetime.date(2032, 6, 30)}
    assert {n.pk for n in pending} == before  # the same rows, moved
    assert {n.due_at for n in pending} == {
        _at8(datetime.date(2032, 4, 1)),
        _at8(datetime.date(2032, 5, 31)),
    }
    assert not Notice.objects.filter(status=NoticeStatus.WITHDRAWN).exists()


def test_stepping_down_withdraws_pending_notices(tenant_a):
    person = make_person(tenant_a.org, 1)
    seat = make_seat(tenant_a.org, tenant_a.panel, person, term_ends_on=datetime.date(2031, 6, 30))
    seat.status = "stepped_down"
    seat.save()
    assert not Notice.objects.filter(status=NoticeStatus.PENDING).exists()


def test_a_recipient_without_email_gets_post_and_the_notice_says_so(tenant_a):
    person = make_person(tenant_a.org, 2, email=False)
    make_seat(tenant_a.org, tenant_a.panel, person, term_ends_on=datetime.date(2031, 6, 30))
    notice = Notice.objects.filter(recipient_person=person).first()
    assert notice.channel == NoticeChannel.POST
    assert notice.channel_note == NO_EMAIL_NOTE
    assert "High Street" in notice.recipient_address


def test_a_sent_notice_is_history_and_is_never_replanned(tenant_a):
    person = make_person(tenant_a.org, 1)
    seat = make_seat(tenant_a.org, tenant_a.panel, person, term_ends_on=datetime.date(2031, 6, 30))
    notice = Notice.objects.get(kind=NoticeKind.TERM_ENDING_90)
    Notice.objects.filter(pk=notice.pk).update(
        status=NoticeStatus.SENT, sent_at=datetime.datetime(2031, 4, 1, tzinfo=LONDON)
    )
    seat.status = "stepped_down"
    seat.save()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT


def test_tor_review_due_goes_to_every_officer_30_days_before(tenant_a, terms_a):
    rows = Notice.objects.filter(kind=NoticeKind.TOR_REVIEW_DUE)
    assert {n.recipient_user for n in rows} == {tenant_a.officer, tenant_a.admin}
    assert {n.due_at for n in rows} == {_at8(datetime.date(2030, 5, 2))}
    assert {n.panel_id for n in rows} == {tenant_a.panel.pk}


def test_rows_of_one_organisation_never_name_another(tenant_a, tenant_b, terms_a):
    assert not Notice.objects.filter(organisation=tenant_b.org).exists()
    assert not Notice.objects.filter(recipient_user=tenant_b.officer).exists()
