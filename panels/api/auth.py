"""Personal API tokens for scripts (issue 12, item 4).

A token reads ``ph_<prefix>_<secret>``: the prefix (shown in lists, used to find the row)
and a random secret. Only the SHA-256 of the whole token is stored, so it is shown once,
when created. A token belongs to one user and one organisation, reads only or reads and
writes, may expire, and records when it was last used. It is sent as
``Authorization: Bearer ph_...``. The browser uses the session (with CSRF) instead; there
is no HTTP Basic authentication: it would send a password with every request, bypass the
sign-in throttle and MFA."""

import datetime
import hashlib
import hmac
import secrets

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.throttling import SimpleRateThrottle

KEYWORD = "Bearer"
TOKEN_START = "ph_"
LAST_USED_GRANULARITY = datetime.timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_generate() -> tuple[str, str]:
    """A new token and its prefix."""
    prefix = secrets.token_hex(4)
    return f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}", prefix


def _prefix_of(token: str) -> str | None:
    if not token.startswith(TOKEN_START):
        return None
    prefix, sep, secret = token[len(TOKEN_START) :].partition("_")
    if not sep or len(prefix) != 8 or not secret:
        return None
    return prefix


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer ph_...``: the token's user, for the token's organisation only."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer ph_...")
        try:
            token = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        return self._check(request, token)

    def _check(self, request, token: str):
        from panels.models import ApiToken
        from panels.signin import LOCKED_MESSAGE, signin_is_locked

        prefix = _prefix_of(token)
        row = (
            ApiToken.objects.select_related("user", "organisation").filter(prefix=prefix).first()
            if prefix
            else None
        )
        if row is None or not hmac.compare_digest(row.token_hash, token_hash(token)):
            raise exceptions.AuthenticationFailed("The token is not valid.")
        now = timezone.now()
        if row.revoked_at:
            raise exceptions.AuthenticationFailed("This token was revoked.")
        if row.expires_at and row.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                f"This token expired on {timezone.localtime(row.expires_at):%d %B %Y}."
            )
        if not row.user.is_active:
            raise exceptions.AuthenticationFailed("The token's account is disabled.")
        if signin_is_locked(email=row.user.email):
            raise exceptions.AuthenticationFailed(LOCKED_MESSAGE)
        org = getattr(request._request, "organisation", None)
        if org is not None and org.pk != row.organisation_id:
            raise exceptions.PermissionDenied(
                f"This token is for {row.organisation.name}; it cannot be used for {org.name}."
            )
        if request.method not in permissions.SAFE_METHODS and not row.can_write:
            raise exceptions.PermissionDenied(
                "This token can only read. Create a read and write token to make changes."
            )
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        return (row.user, row)

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'


class ApiTokenRateThrottle(SimpleRateThrottle):
    """Each token has its own request budget (REST_FRAMEWORK DEFAULT_THROTTLE_RATES["token"]).
    Counters live in the default cache, which fails open (panelhub.cache)."""

    scope = "token"

    def get_cache_key(self, request, view):
        from panels.models import ApiToken

        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return None


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "panels.api.auth.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "ph_<prefix>_<secret>",
            "description": "A personal API token, created on your account page (API tokens). "
            "It works for one organisation only (the {org_slug} of the path must be its "
            "organisation) and either reads only or reads and writes. Send it as "
            "`Authorization: Bearer ph_...`.",
        }
