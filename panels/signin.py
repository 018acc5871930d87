"""Sign-in throttling that holds on every path and across processes.

At most ``SIGNIN_FAILURES_PER_HOUR`` (60) failed sign-ins per account (the address tried)
and per IP address, counted in the shared cache (Redis when configured; it fails open to a
per-process cache, panelhub.cache). A window opens with the first failure and lasts an
hour; at the limit, every sign-in of that account or from that address is refused with
a clear message until the window ends or an officer unlocks the account.

Failures are counted from Django's ``user_login_failed`` signal, which every password check
sends (allauth's form, the admin's, anything calling ``authenticate``). The refusal is
made in three places: allauth's adapter (the form's message), the authentication backends
(``ThrottledModelBackend``, ``ThrottledEmailBackend``: any caller of ``authenticate``) and
the API token authentication. docs/security.md.
"""

import hashlib
import logging

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

logger = logging.getLogger("panels.signin")

WINDOW_SECONDS = 3600
LOCKED_MESSAGE = (
    "Too many failed sign-ins: for your safety, sign-in to this account (or from this "
    "network) is paused for up to an hour. An engagement officer of your organisation can "
    "unlock your account sooner."
)


def _limit() -> int:
    return int(getattr(settings, "SIGNIN_FAILURES_PER_HOUR", 60))


def _account_key(email: str) -> str:
    digest = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()
    return f"signin-failures:account:{digest}"


def _ip_key(ip: str) -> str:
    return f"signin-failures:ip:{ip}"


def client_ip(request) -> str:
    """The client's address as allauth sees it (ALLAUTH_TRUSTED_PROXY_COUNT aware)."""
    if request is None:
        return ""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request) or ""
    except Exception:  # a malformed header must not break sign-in
        return request.META.get("REMOTE_ADDR", "")


def _keys(*, email: str | None, ip: str | None) -> list[str]:
    keys = []
    if email:
        keys.append(_account_key(email))
    if ip:
        keys.append(_ip_key(ip))
    return keys


def signin_failure_record(*, email: str | None, ip: str | None) -> None:
    """Count one failed sign-in against the account tried and the address it came from."""
    for key in _keys(email=email, ip=ip):
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, WINDOW_SECONDS)


def signin_is_locked(*, email: str | None, ip: str | None = None) -> bool:
    """Whether sign-in of this account, or from this address, has reached the limit."""
    keys = _keys(email=email, ip=ip)
    if not keys:
        return False
    counts = cache.get_many(keys)
    return any(int(count) >= _limit() for count in counts.values())


def signin_locked_accounts(*, emails: list[str]) -> set[str]:
    """Of these addresses, those whose account is locked (one cache round trip)."""
    keys = {_account_key(email): email for email in emails}
    counts = cache.get_many(list(keys))
    return {keys[key] for key, count in counts.items() if int(count) >= _limit()}


def signin_unlock(*, email: str) -> None:
    """Clear the account's failure count (the officers' unlock)."""
    cache.delete(_account_key(email))


def on_user_login_failed(sender, credentials, request=None, **kwargs) -> None:
    email = credentials.get("email") or credentials.get("username") or credentials.get("login")
    signin_failure_record(email=email, ip=client_ip(request))


def _refuse_if_locked(request, credentials) -> None:
    from django.core.exceptions import PermissionDenied

    email = credentials.get("email") or credentials.get("username")
    if signin_is_locked(email=email, ip=client_ip(request)):
        # Stops every backend: authenticate() returns None and sends user_login_failed.
        raise PermissionDenied(LOCKED_MESSAGE)


class ThrottledModelBackend(ModelBackend):
    """Django's password check, refused for a locked account or address (any caller of
    ``authenticate``: the admin, a script, a future API)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        _refuse_if_locked(request, {"username": username, **kwargs})
        return super().authenticate(request, username=username, password=password, **kwargs)


class ThrottledEmailBackend(AuthenticationBackend):
    """allauth's sign-in by email, refused for a locked account or address."""

    def authenticate(self, request, **credentials):
        _refuse_if_locked(request, credentials)
        return super().authenticate(request, **credentials)
