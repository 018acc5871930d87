"""Emails PanelHub writes in one piece (an invitation, a password reset, an address
confirmation; docs/notices.md "Account emails"): planned in the ledger like every notice,
in the transaction that causes them, and sent by the dispatcher, so a broker or mail
server outage delays them and loses none.

Their private link never enters the ledger: the notice's body shows SECRET_MARK where the
link is, and the link waits in a NoticeSecret (no history, on no page) until the mail
server accepts the message, or until it expires."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from notices.models import (
    MESSAGE_KINDS,
    SECRET_MARK,
    Notice,
    NoticeChannel,
    NoticeSecret,
    NoticeStatus,
)
from notices.services import _dispatch_after_commit


def message_plan(
    *,
    organisation,
    kind: str,
    subject,
    email: str,
    name: str = "",
    title: str,
    body: str,
    secret: str = "",
    secret_expires_at: datetime.datetime | None = None,
    user=None,
) -> Notice:
    """One email for the ledger, due now. ``secret`` (a link in ``body``) is kept apart."""
    if kind not in MESSAGE_KINDS:
        raise ValueError(f"{kind} is not a message kind")
    if secret and secret not in body:
        raise ValueError("The private link is not in the message")
    now = timezone.now()
    with transaction.atomic():  # the notice and its link together, or neither
        notice = Notice.objects.create(
            organisation=organisation,
            kind=kind,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            # Each message is its own: sending it again (a resent invitation) is a new notice.
            dedupe_key=f"{kind}:{subject._meta.label_lower}:{subject.pk}:{uuid.uuid4().hex}",
            recipient_user=user,
            recipient_name=name[:200],
            recipient_email=email,
            channel=NoticeChannel.EMAIL,
            channel_note="An account email: always by email.",
            title=title[:300],
            body=body.replace(secret, SECRET_MARK) if secret else body,
            due_at=now,
            next_attempt_at=now,
            status=NoticeStatus.PENDING,
        )
        if secret:
            NoticeSecret.objects.create(
                notice=notice,
                link=secret,
                expires_at=secret_expires_at or now + datetime.timedelta(days=3),
            )
        _dispatch_after_commit()
    return notice


def message_body(notice: Notice) -> str:
    """The email's text as it goes: the private link back in place of SECRET_MARK."""
    if SECRET_MARK not in notice.body:
        return notice.body
    secret = NoticeSecret.objects.filter(notice_id=notice.pk).first()
    if secret is None or secret.expires_at <= timezone.now():
        raise LookupError("Its private link has expired: the person asks for a new one.")
    return notice.body.replace(SECRET_MARK, secret.link)


def account_email(notice: Notice, connection=None) -> EmailMultiAlternatives:
    """The email of an account message: its own title and text, the link back in place."""
    return EmailMultiAlternatives(
        subject=notice.title[:200],
        body=message_body(notice),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.recipient_email],
        connection=connection,
        headers={
            # Stable per notice, as for every notice (notices.delivery.EmailRenderer).
            "Message-ID": f"<notice-{notice.pk}@panelhub>",
            "X-PanelHub-Notice": str(notice.pk),
        },
    )


def secrets_forget_sent(notice_ids: list[int]) -> int:
    """The links of messages the mail server accepted: no longer needed."""
    if not notice_ids:
        return 0
    return NoticeSecret.objects.filter(notice_id__in=notice_ids).delete()[0]


def secrets_forget_expired(*, now: datetime.datetime | None = None) -> dict:
    """Beat: delete expired links, and withdraw the messages that never went (their link
    would no longer work)."""
    now = now or timezone.now()
    expired = NoticeSecret.objects.filter(expires_at__lte=now)
    withdrawn = Notice.objects.filter(
        pk__in=expired.values("notice_id"), status=NoticeStatus.PENDING
    ).update(
        status=NoticeStatus.WITHDRAWN,
        withdrawn_reason="Its private link expired before it could be sent.",
        updated_at=now,
    )
    return {"forgotten": expired.delete()[0], "withdrawn": withdrawn}


def _email_to_send(sender, *, organisation, kind, subject, email, signal=None, **message):
    """panels.signals.email_to_send: plan the email in the ledger."""
    message_plan(organisation=organisation, kind=kind, subject=subject, email=email, **message)
    return True
