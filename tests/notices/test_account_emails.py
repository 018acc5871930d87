"""Issue 14 item 1: invitation emails and allauth's account emails (password reset,
address confirmation) leave PanelHub through the notice ledger like every other message:
planned in the transaction that causes them, sent by the dispatcher, delayed and never
lost while the broker is down, sent once when it returns. Their private link is kept out
of the ledger and its history (notices.NoticeSecret), and deleted once sent or expired."""

import datetime
import re
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from notices.delivery import dispatch_due
from notices.messages import secrets_forget_expired
from notices.models import SECRET_MARK, Notice, NoticeSecret, NoticeStatus
from panelhub.celery import app as celery_app
from panels.models import Role
from panels.services import invitation_create
from tests.conftest import PASSWORD

NEW_PASSWORD = "plum tree lantern 42"  # noqa: S105
LINK = re.compile(r"https?://\S+")


def _links(body: str) -> list[str]:
    return LINK.findall(body)


def _history_bodies() -> list[str]:
    """Every body the ledger's history tables ever held."""
    history = apps.get_model("notices", "NoticeHistory")
    return list(history.objects.values_list("body", flat=True))


@pytest.mark.django_db
def test_an_invitation_is_a_ledger_notice_whose_link_is_never_kept(
    tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            org=tenant_a.org, email="new.person@example.com", role=Role.MEMBER, by=None
        )
    notice = Notice.objects.get(kind="invitation")
    assert notice.status == NoticeStatus.SENT
    assert notice.recipient_email == "new.person@example.com"
    assert notice.organisation_id == tenant_a.org.pk
    assert notice.subject == invitation
    # The email has the link; the ledger (and its history) only the mark.
    sent = [m for m in mail.outbox if m.to == ["new.person@example.com"]]
    assert len(sent) == 1
    (link,) = [u for u in _links(sent[0].body) if "/invitation/" in u]
    assert SECRET_MARK in notice.body and link not in notice.body
    assert not any(link in body for body in _history_bodies())
    assert not NoticeSecret.objects.exists()  # deleted once the server accepted it
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.send_count == 1


@pytest.mark.django_db
def test_the_password_reset_goes_through_the_ledger_and_its_link_works(
    client, tenant_a, django_capture_on_commit_callbacks
):
    user = tenant_a.member
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    notice = Notice.objects.get(kind="password_reset")
    assert notice.status == NoticeStatus.SENT and notice.recipient_user == user
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    (link,) = [u for u in _links(message.body) if "/password/reset/key/" in u]
    assert link not in notice.body and SECRET_MARK in notice.body
    assert not any(link in body for body in _history_bodies())
    # The person follows the link as a browser would, sets a password and signs in with it.
    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302, done.content.decode()[:1500]
    client.logout()
    signed_in = client.post(
        reverse("account_login"), {"login": user.email, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_signing_in_with_an_unverified_address_sends_the_confirmation_through_the_ledger(
    client, tenant_a, django_capture_on_commit_callbacks
):
    user = tenant_a.member
    EmailAddress.objects.filter(user=user).update(verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session  # mandatory verification first
    notice = Notice.objects.get(kind="email_confirmation")
    assert notice.status == NoticeStatus.SENT
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    (link,) = [u for u in _links(message.body) if "/confirm-email/" in u]
    assert link not in notice.body
    # Following the link confirms the address; then the password signs in.
    client.get(link)
    client.post(link)
    assert EmailAddress.objects.get(user=user, email=user.email).verified
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_a_link_that_expired_before_it_went_is_withdrawn_and_forgotten(
    tenant_a, django_capture_on_commit_callbacks
):
    invitation_create(org=tenant_a.org, email="late@example.com", role=Role.MEMBER, by=None)
    notice = Notice.objects.get(kind="invitation")  # hooks not run: not sent yet
    assert notice.status == NoticeStatus.PENDING and NoticeSecret.objects.count() == 1
    later = timezone.now() + datetime.timedelta(days=30)
    assert secrets_forget_expired(now=later) == {"forgotten": 1, "withdrawn": 1}
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN
    assert "expired" in notice.withdrawn_reason
    dispatch_due()
    assert not [m for m in mail.outbox if m.to == ["late@example.com"]]


def test_the_expired_links_are_forgotten_by_beat():
    from django.conf import settings

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "notices.forget_expired_secrets" in scheduled


@pytest.fixture
def broker_down():
    """Celery publishes for real (not eagerly) and kombu's producer raises as it does when
    Redis refuses the connection."""
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    celery_app.conf.task_always_eager = False
    try:
        with mock.patch("kombu.messaging.Producer.publish", side_effect=refused) as publish:
            yield publish
    finally:
        celery_app.conf.task_always_eager = True


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_account_emails_wait_and_go_once_when_it_returns(
    client, client_as, tenant_a, mailoutbox, broker_down, caplog
):
    officer = client_as(tenant_a.officer)
    invited = officer.post(
        reverse("access:manage", kwargs={"org_slug": tenant_a.org.slug}),
        {"email": "waiting@example.com", "role": Role.MEMBER},
    )
    assert invited.status_code == 302
    reset = client.post(reverse("account_reset_password"), {"email": tenant_a.member.email})
    assert reset.status_code == 302
    assert broker_down.called  # the enqueue was really tried, and refused
    assert "could not enqueue or run the dispatcher" in caplog.text
    # Nothing went; nothing was lost.
    assert mailoutbox == []
    waiting = Notice.objects.filter(kind__in=["invitation", "password_reset"])
    assert sorted(waiting.values_list("kind", "status")) == [
        ("invitation", "pending"),
        ("password_reset", "pending"),
    ]
    assert NoticeSecret.objects.count() == 2

    # The broker is back: beat's next tick runs the dispatcher; a second run sends nothing.
    broker_down.side_effect = None
    dispatch_due()
    dispatch_due()
    to = sorted(m.to[0] for m in mailoutbox)
    assert to == sorted(["waiting@example.com", tenant_a.member.email])
    assert set(waiting.values_list("status", flat=True)) == {"sent"}
    assert not NoticeSecret.objects.exists()
    # The delayed reset link still works.
    (message,) = [m for m in mailoutbox if m.to == [tenant_a.member.email]]
    (link,) = [u for u in _links(message.body) if "/password/reset/key/" in u]
    assert client.get(link, follow=True).status_code == 200
