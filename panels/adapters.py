import datetime
import logging

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from panels.signin import LOCKED_MESSAGE, client_ip, signin_is_locked

logger = logging.getLogger(__name__)

# allauth's emails that carry a private link: (notice kind, the context key of the link).
PRIVATE_LINK_EMAILS = {
    "account/email/password_reset_key": ("password_reset", "password_reset_url"),
    "account/email/email_confirmation": ("email_confirmation", "activate_url"),
    "account/email/email_confirmation_signup": ("email_confirmation", "activate_url"),
}
# Sent at once, outside the ledger: a sign-in code belongs to a sign-in under way in one
# browser and is valid for minutes; a delayed one is useless (ask for another).
SENT_DIRECTLY = {"account/email/login_code"}


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: officers invite people (panels.services.invitation_create).

    Password sign-in is throttled by panels.signin (60 failures an hour per account and per
    IP address, in the shared cache) instead of allauth's own ``login_failed`` limit, so one
    counter holds on every path and an officer can unlock an account."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": LOCKED_MESSAGE,
    }

    def is_open_for_signup(self, request) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails (password reset, address confirmation, security notices) go
        through the notice ledger like every message PanelHub sends (panels.signals.
        email_to_send; notices.messages keeps the private link out of the ledger). Only a
        sign-in code, and an email to an address with no organisation to file it under
        (no account, or an account without a role), are sent at once."""
        from panels.signals import email_to_send

        user = context.get("user") or _account_for(email)
        organisation = _organisation_of(user)
        if template_prefix in SENT_DIRECTLY or organisation is None:
            if organisation is None:
                logger.info("account email %s sent directly: no organisation", template_prefix)
            return super().send_mail(template_prefix, email, context)
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request)}
            | context,
        )
        kind, link_key = PRIVATE_LINK_EMAILS.get(template_prefix, ("account_message", ""))
        secret = str(context.get(link_key) or "") if link_key else ""
        with transaction.atomic():
            planned = email_to_send.send(
                sender=type(user),
                organisation=organisation,
                kind=kind,
                subject=user,
                email=email,
                name=user.get_full_name() if hasattr(user, "get_full_name") else "",
                title=message.subject,
                body=message.body,
                secret=secret,
                secret_expires_at=_link_expiry(kind),
                user=user,
            )
        if not any(answer for _, answer in planned):
            raise RuntimeError("No notice ledger answered email_to_send")

    def pre_authenticate(self, request, **credentials) -> None:
        email = credentials.get("email") or credentials.get("username")
        if signin_is_locked(email=email, ip=client_ip(request)):
            raise self.validation_error("too_many_login_attempts")

    def pre_login(self, request, user, **kwargs):
        # Every allauth sign-in (password, emailed code, passkey) stops at a locked account.
        if signin_is_locked(email=user.email):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            messages.error(request, LOCKED_MESSAGE)
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    def get_login_redirect_url(self, request) -> str:
        """Someone with roles in one organisation lands on it; with several, on the start
        page to choose (a ``next`` address, when there is one, wins before this is asked)."""
        from panels.models import OrganisationRole

        slugs = set(
            OrganisationRole.objects.filter(user=request.user)
            .values_list("organisation__slug", flat=True)
            .distinct()[:2]
        )
        if len(slugs) == 1:
            return reverse("panels:landing", kwargs={"org_slug": slugs.pop()})
        return super().get_login_redirect_url(request)


def _account_for(email: str):
    from panels.models import User

    return User.objects.filter(email__iexact=email).first() if email else None


def _organisation_of(user):
    """Where an account email is filed in the ledger: the organisation of the account's
    first role (an account email is the account's, whichever organisation files it)."""
    from panels.models import OrganisationRole

    if user is None or not getattr(user, "pk", None):
        return None
    role = (
        OrganisationRole.objects.filter(user=user)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    return role.organisation if role else None


def _link_expiry(kind: str) -> datetime.datetime:
    """When the private link stops working (then its copy is deleted)."""
    if kind == "password_reset":
        return timezone.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    days = account_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS
    return timezone.now() + datetime.timedelta(days=days)


class StaffKeepMFAAdapter(DefaultMFAAdapter):
    """Officers, admins, board members and superusers must keep two-step sign-in: they may
    replace an authenticator (add a new one first) but not remove their last one."""

    def can_delete_authenticator(self, authenticator) -> bool:
        from allauth.mfa.models import Authenticator

        from panels.sessions import is_staff_like

        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            return True
        if not is_staff_like(authenticator.user):
            return True
        others = (
            Authenticator.objects.filter(user=authenticator.user)
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
            .exclude(pk=authenticator.pk)
        )
        return others.exists()
