"""Two-step sign-in (django-allauth's mfa app) is required for officers, admins, board
members and superusers before any page of theirs, any admin page or any API request made
with the session (issue 12, item 2). Members may opt in.

``MFARequiredMiddleware`` sends such a user who has no authenticator to set one up, and one
who has an authenticator but whose session was not authenticated with it (for example it
was added in another session) to the two-step check. It reads allauth's own record of the
session's authentications, so an MFA sign-in through allauth's forms satisfies it, and
costs no query on an ordinary request (the requirement is worked out at sign-in,
panels.sessions)."""

from allauth.account.authentication import get_authentication_records
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

MFA_REQUIRED_KEY = "panelhub_mfa_required"
SETUP_MESSAGE = (
    "Your role needs two-step sign-in: set up an authenticator app (or a security key) "
    "before you carry on. It keeps residents' information safe if your password leaks."
)
CHECK_MESSAGE = "Confirm it is you with your authenticator before you carry on."
# Pages that must stay reachable to set MFA up or to leave: allauth's own account pages
# (sign-in, sign-out, MFA setup and check), invitation links, static files, health. The
# API tokens page is not among them: a token made without MFA would get round it.
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/__dev__/")
GUARDED_ACCOUNT_PREFIXES = ("/accounts/tokens/",)


def session_has_mfa(request) -> bool:
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def user_has_authenticator(user) -> bool:
    from allauth.mfa.models import Authenticator

    return (
        Authenticator.objects.filter(user=user)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exists()
    )


class MFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(MFA_REQUIRED_KEY)
            and (
                not request.path.startswith(EXEMPT_PREFIXES)
                or request.path.startswith(GUARDED_ACCOUNT_PREFIXES)
            )
            and not session_has_mfa(request)
        ):
            return self._refuse(request, has_authenticator=user_has_authenticator(user))
        return self.get_response(request)

    def _refuse(self, request, *, has_authenticator: bool):
        message = CHECK_MESSAGE if has_authenticator else SETUP_MESSAGE
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "mfa_required"}, status=403)
        messages.warning(request, message)
        if has_authenticator:
            target = reverse("mfa_reauthenticate")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return redirect("mfa_index")
