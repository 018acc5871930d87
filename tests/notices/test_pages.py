"""Officer and member pages: ledger with Send again, print queue, compliance, inbox and
preferences; each refuses other roles and other organisations."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from notices import delivery
from notices.models import (
    Breach,
    Letter,
    Notice,
    NoticePreference,
    NoticeStatus,
    Notification,
)
from tests.notices.conftest import make_person, make_seat

pytestmark = pytest.mark.django_db


def _url(name, org, **kwargs):
    return reverse(f"notices:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _sent_post_and_email(tenant):
    soon = timezone.localdate() + datetime.timedelta(days=10)
    make_seat(tenant.org, tenant.panel, make_person(tenant.org, 1, email=False), term_ends_on=soon)
    member = make_person(tenant.org, 2, user=tenant.member)
    make_seat(tenant.org, tenant.panel, member, term_ends_on=soon)
    delivery.dispatch_due()
    return member


def test_officer_ledger_shows_failed_notices_with_send_again(client_as, tenant_a):
    _sent_post_and_email(tenant_a)
    notice = Notice.objects.filter(channel="email").first()
    Notice.objects.filter(pk=notice.pk).update(
        status=NoticeStatus.FAILED, last_error="Email: connection refused"
    )
    client = client_as(tenant_a.officer)
    page = client.get(_url("officer_list", tenant_a.org) + "?status=failed")
    assert page.status_code == 200
    assert b"connection refused" in page.content and b"Send again" in page.content
    response = client.post(_url("notice_retry", tenant_a.org, notice_id=notice.pk))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PENDING


def test_print_queue_serves_the_letter_pdf_and_marks_it_printed(client_as, tenant_a):
    _sent_post_and_email(tenant_a)
    letter = Letter.objects.get()
    client = client_as(tenant_a.officer)
    assert b"Resident1" in client.get(_url("print_queue", tenant_a.org)).content
    pdf = client.get(_url("letter_pdf", tenant_a.org, letter_id=letter.pk))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    client.post(_url("letter_printed", tenant_a.org, letter_id=letter.pk))
    letter.refresh_from_db()
    assert letter.printed_by == tenant_a.officer


def test_officer_pages_refuse_members_and_other_organisations(client_as, tenant_a, tenant_b):
    _sent_post_and_email(tenant_a)
    letter = Letter.objects.get()
    assert client_as(tenant_a.member).get(_url("officer_list", tenant_a.org)).status_code == 403
    other = client_as(tenant_b.officer)
    assert other.get(_url("letter_pdf", tenant_b.org, letter_id=letter.pk)).status_code == 404


def test_compliance_page_lists_breaches_of_the_year(client_as, tenant_a):
    Breach.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        rule="papers_out",
        subject_type=ContentType.objects.get_for_model(tenant_a.panel),
        subject_id=tenant_a.panel.pk,
        subject_label="Meeting 10 Mar 2026",
        due_on=datetime.date(2026, 3, 3),
        rule_text="Agenda and papers: 7 days before the meeting by post",
        source="Alpha terms (v1), Meetings",
    )
    url = _url("compliance", tenant_a.org, panel_slug=tenant_a.panel.slug) + "?year=2026"
    page = client_as(tenant_a.officer).get(url)
    assert b"Meeting 10 Mar 2026" in page.content and b"Not done" in page.content


def test_member_sees_their_notifications_and_sets_preferences(client_as, tenant_a):
    person = _sent_post_and_email(tenant_a)
    client = client_as(tenant_a.member)
    inbox = client.get(_url("inbox", tenant_a.org))
    assert b"Your term" in inbox.content
    notification = Notification.objects.get(user=tenant_a.member)
    client.post(_url("notification_read", tenant_a.org, notification_id=notification.pk))
    notification.refresh_from_db()
    assert notification.read_at is not None
    response = client.post(_url("preferences", tenant_a.org), {"channel": "post", "digest": ""})
    assert response.status_code == 302
    assert NoticePreference.objects.get(person=person).channel == "post"


def test_choosing_email_without_an_address_is_refused_with_the_reason(client_as, tenant_a):
    make_person(tenant_a.org, 3, email=False, user=tenant_a.member)
    page = client_as(tenant_a.member).post(_url("preferences", tenant_a.org), {"channel": "email"})
    assert page.status_code == 200
    assert b"no email address" in page.content
    assert not NoticePreference.objects.exists()


def test_another_users_notification_is_not_found(client_as, tenant_a):
    _sent_post_and_email(tenant_a)
    notification = Notification.objects.get(user=tenant_a.member)
    response = client_as(tenant_a.officer).post(
        _url("notification_read", tenant_a.org, notification_id=notification.pk)
    )
    assert response.status_code == 404
