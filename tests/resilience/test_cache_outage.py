"""Redis down (issue 14, item 2): sign-in (password and two-step), pages and the throttled
API keep working on the per-process fallback of panelhub.cache, with a logged warning;
a Redis that accepts connections but never answers costs a bounded wait, once."""

import logging
import socket
import time
from unittest import mock

import pytest
import redis
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from panelhub import cache as fail_open
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "panelhub.cache.FailOpenRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    }
}
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


@pytest.fixture(params=[redis.exceptions.ConnectionError, redis.exceptions.TimeoutError])
def redis_down(request, settings):
    """Every Redis command raises, as when the server is stopped or stops answering."""
    settings.CACHES = UNREACHABLE_REDIS
    with mock.patch.object(
        redis.Redis, "execute_command", side_effect=request.param("Redis is down")
    ) as calls:
        yield calls


def _sign_in(client, email, password):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR="203.0.113.9"
    )


def test_sign_in_right_and_wrong_password_while_redis_is_down(client, tenant_a, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="panelhub.cache"):
        wrong = _sign_in(client, tenant_a.member.email, "wrong password!")
        assert wrong.status_code == 200
        assert "not correct" in wrong.content.decode()
        right = _sign_in(client, tenant_a.member.email, PASSWORD)
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(tenant_a.member.pk)
    assert "Cache unavailable" in caplog.text and "per-process fallback" in caplog.text


def test_two_step_sign_in_while_redis_is_down(client, tenant_a, redis_down):
    """allauth records each used TOTP code with cache.add; the fallback keeps that rule."""
    from allauth.mfa import app_settings

    TOTP.activate(tenant_a.officer, SECRET)
    assert _sign_in(client, tenant_a.officer.email, PASSWORD)["Location"] == reverse(
        "mfa_authenticate"
    )
    code = format_hotp_value(hotp_value(SECRET, int(time.time()) // app_settings.TOTP_PERIOD))
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.session["_auth_user_id"] == str(tenant_a.officer.pk)
    # The same code cannot be used twice, even on the fallback.
    again = Client()
    _sign_in(again, tenant_a.officer.email, PASSWORD)
    assert again.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in again.session


def test_pages_answer_while_redis_is_down(client_as, tenant_a, redis_down):
    slug = tenant_a.org.slug
    for user, url in [
        (tenant_a.member, reverse("panels:landing", kwargs={"org_slug": slug})),
        (tenant_a.officer, reverse("panels:landing", kwargs={"org_slug": slug})),
        (tenant_a.officer, reverse("access:manage", kwargs={"org_slug": slug})),
        (tenant_a.officer, reverse("home")),
    ]:
        assert client_as(user).get(url).status_code == 200, url


def test_the_throttled_api_answers_and_still_throttles_while_redis_is_down(
    tenant_a, client_as, redis_down, monkeypatch
):
    from panels.api.auth import ApiTokenRateThrottle

    monkeypatch.setattr(ApiTokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    response = client_as(tenant_a.member).post(
        reverse("account_api_tokens"),
        {"name": "Script", "organisation": tenant_a.org.pk, "access": "read", "expires": "90"},
    )
    secret = response.context["created_token"]
    api = Client()
    url = f"/api/v1/{tenant_a.org.slug}/panels/"
    codes = [api.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]  # per process while Redis is down


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_after_a_failure_redis_is_left_alone_for_a_few_seconds(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(fail_open.time, "monotonic", lambda: now[0])
    with mock.patch.object(
        redis.Redis, "execute_command", side_effect=redis.exceptions.ConnectionError("down")
    ) as calls:
        cache.set("k", 1)
        assert calls.call_count == 1
        assert cache.get("k") == 1 and cache.add("k", 2) is False  # the fallback answers
        assert calls.call_count == 1
        now[0] += fail_open.RETRY_AFTER_SECONDS + 0.1
        cache.get("k")
        assert calls.call_count == 2  # tried again after the pause


def test_a_redis_that_never_answers_costs_a_bounded_wait(settings):
    """A server that accepts the connection and then says nothing (a paused Redis)."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    try:
        port = silent.getsockname()[1]
        settings.CACHES = {
            "default": {
                "BACKEND": "panelhub.cache.FailOpenRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            }
        }
        started = time.monotonic()
        cache.set("k", "v")
        for _ in range(20):  # a request's worth of calls: one wait, then the fallback
            assert cache.get("k") == "v"
        assert time.monotonic() - started < 2 * fail_open.DEFAULT_OPTIONS["socket_timeout"] + 1
    finally:
        silent.close()
