"""Shared fixtures: two organisations (A and B), each with a user in every role and a
panel, so any test can ask "and as the other tenant?"."""

import os
from dataclasses import dataclass

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from panels.models import Organisation, OrganisationRole, Panel, Role, User

PASSWORD = "correct-horse-battery"  # noqa: S105


def pytest_collection_modifyitems(config, items):
    """Skip tests that need a real PostgreSQL or Redis, saying why, when they are absent."""
    from django.conf import settings

    need_pg = pytest.mark.skip(
        reason="needs PostgreSQL: set DATABASE_URL=postgres://... (CI does, via .ci/run)"
    )
    need_redis = pytest.mark.skip(
        reason="needs Redis: set REDIS_URL=redis://... (CI does, via .ci/run)"
    )
    is_pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_redis = bool(os.environ.get("REDIS_URL"))
    if os.environ.get("CI_REQUIRE_SERVICES") and not (is_pg and has_redis):
        raise pytest.UsageError(
            "CI must run on PostgreSQL and Redis: set DATABASE_URL and REDIS_URL"
        )
    for item in items:
        if "postgres" in item.keywords and not is_pg:
            item.add_marker(need_pg)
        if "redis" in item.keywords and not has_redis:
            item.add_marker(need_redis)


def record_mfa(client) -> None:
    """Record in the client's session a two-step (TOTP) authentication, exactly as allauth
    does after a correct code (allauth.account.internal.flows.login.record_authentication)."""
    from types import SimpleNamespace

    from allauth.account.internal.flows.login import record_authentication

    from panels.models import User

    session = client.session
    user = User.objects.get(pk=session["_auth_user_id"])
    holder = SimpleNamespace(session=session)
    record_authentication(holder, user, "password")
    record_authentication(holder, user, "mfa", type="totp")
    session.save()


_original_force_login = Client.force_login


def _force_login_with_mfa(self, user, backend=None, mfa=True):
    """Client.force_login, counting as a sign-in with two-step authentication, so that the
    tests written before MFA keep their meaning for officers, admins and board members.
    ``mfa=False`` gives a password-only session (tests/panels/test_mfa.py)."""
    _original_force_login(self, user, backend)
    if mfa:
        record_mfa(self)


@pytest.fixture(autouse=True)
def _force_login_counts_as_mfa(monkeypatch):
    monkeypatch.setattr(Client, "force_login", _force_login_with_mfa)


@pytest.fixture(autouse=True)
def _no_scope_in_tests():
    """Tests read and write rows directly; requests still run in the middleware's scope."""
    with scopes_disabled():
        yield


@dataclass
class Tenant:
    org: Organisation
    panel: Panel
    admin: User
    officer: User
    board: User
    member: User

    def user(self, role: str) -> User:
        return getattr(self, role)


def verify_email(user: User) -> None:
    """Record the user's address as proved (allauth's verified, primary EmailAddress), as
    accepting an invitation does; sign-in requires it."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def make_tenant(slug: str, name: str) -> Tenant:
    org = Organisation.objects.create(slug=slug, name=name)
    panel = Panel.objects.create(organisation=org, slug=f"{slug}-panel", name=f"{name} Panel")
    users = {}
    for role in (Role.ADMIN, Role.OFFICER, Role.BOARD, Role.MEMBER):
        user = User.objects.create_user(
            email=f"{role}@{slug}.test",
            password=PASSWORD,
            first_name=name,
            last_name=role,
            is_staff=role in (Role.ADMIN, Role.OFFICER),
        )
        verify_email(user)
        OrganisationRole.objects.create(user=user, organisation=org, role=role)
        users[str(role)] = user
    return Tenant(org=org, panel=panel, **users)


@pytest.fixture
def tenant_a(db) -> Tenant:
    return make_tenant("alpha", "Alpha Housing")


@pytest.fixture
def tenant_b(db) -> Tenant:
    return make_tenant("bravo", "Bravo Homes")


@pytest.fixture
def client_as(client):
    """client_as(user) -> a test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def schema_client(client, db):
    """A client that may read /api/schema/ and /api/docs/: signed in, since outside local
    development they are for signed-in users only (settings.API_DOCS_PUBLIC)."""
    reader = User.objects.create_user(email="schema.reader@example.test", password=PASSWORD)
    client.force_login(reader)
    return client


@pytest.fixture
def isolated_cache(settings):
    """A fresh in-memory default cache for this test only. Never cache.clear() the shared
    one: under CI it is Redis, shared with the other xdist worker and with Celery's broker."""
    import uuid

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture
def counted_draws(monkeypatch):
    """Every scrutiny chart matplotlib draws, from an empty shared cache and an empty
    process dictionary (so a test sees each draw, and "another process" is clearing it)."""
    from django.core.cache import cache

    from scrutiny import charts

    cache.clear()
    monkeypatch.setattr(charts, "_CACHE", {})
    drawn = []
    draw = charts.measure_chart_svg

    def counting(**kwargs):
        drawn.append(kwargs)
        return draw(**kwargs)

    monkeypatch.setattr(charts, "measure_chart_svg", counting)
    return drawn
