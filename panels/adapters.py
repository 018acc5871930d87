from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from panels.signin import LOCKED_MESSAGE, client_ip, signin_is_locked


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
