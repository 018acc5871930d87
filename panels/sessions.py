"""Idle timeouts: a session ends after SESSION_IDLE_TIMEOUT_STAFF seconds without a request
(30 minutes) for officers, admins, board members and superusers, and after
SESSION_IDLE_TIMEOUT_MEMBER (8 hours) for everyone else. Sliding: each request counts as
activity. The limit is worked out at sign-in and kept in the session; the time of last
activity is written back at most once a minute, so pages cost no extra query."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from panels.models import OrganisationRole, Role

IDLE_LIMIT_KEY = "panelhub_idle_limit"
SEEN_AT_KEY = "panelhub_seen_at"
SEEN_AT_GRANULARITY = 60
STAFF_LIKE_ROLES = (Role.OFFICER, Role.ADMIN, Role.BOARD)


def is_staff_like(user) -> bool:
    """Officers, admins, board members (of any organisation) and superusers: shorter idle
    timeout, and two-step sign-in required (panels.mfa)."""
    return user.is_superuser or (
        OrganisationRole.objects.filter(user=user, role__in=STAFF_LIKE_ROLES).exists()
    )


def session_idle_limit_refresh(request, user=None) -> None:
    """Work out (again) what the signed-in user's roles ask of the session: the idle limit
    and whether two-step sign-in is required. At sign-in, and when their roles change in
    this session (accepting an invitation)."""
    from panels.mfa import MFA_REQUIRED_KEY

    user = user or request.user
    staff_like = is_staff_like(user)
    request.session[IDLE_LIMIT_KEY] = int(
        settings.SESSION_IDLE_TIMEOUT_STAFF if staff_like else settings.SESSION_IDLE_TIMEOUT_MEMBER
    )
    request.session[MFA_REQUIRED_KEY] = staff_like
    request.session[SEEN_AT_KEY] = int(time.time())


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_idle_limit_refresh(request, user)


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            if IDLE_LIMIT_KEY not in session:
                session_idle_limit_refresh(request)
            elif now - int(session.get(SEEN_AT_KEY, now)) > int(session[IDLE_LIMIT_KEY]):
                minutes = int(session[IDLE_LIMIT_KEY]) // 60
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {minutes} minutes without activity. "
                    "Sign in again to carry on.",
                )
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect_to_login(request.get_full_path())
            elif now - int(session.get(SEEN_AT_KEY, 0)) >= SEEN_AT_GRANULARITY:
                session[SEEN_AT_KEY] = now
        return self.get_response(request)
