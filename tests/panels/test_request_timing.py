"""The load benchmark's instruments: the trivial view it compares pages with, and the
Server-Timing header the timing middleware adds when REQUEST_TIMING is on (never by
default)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TIMING = "panelhub.timing.ServerTimingMiddleware"


@pytest.mark.django_db
def test_ping_answers_without_touching_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz/ping")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert len(queries) == 0


def test_timing_is_off_by_default():
    assert settings.REQUEST_TIMING is False
    assert TIMING not in settings.MIDDLEWARE


@pytest.mark.django_db
def test_the_timing_header_gives_time_and_queries(client, tenant_a):
    with override_settings(MIDDLEWARE=[TIMING, *settings.MIDDLEWARE]):
        ping = client.get("/healthz/ping")
        landing = client.get(reverse("panels:landing", kwargs={"org_slug": tenant_a.org.slug}))
    assert re.fullmatch(r'app;dur=[\d.]+, db;dur=0\.0;desc="0 queries"', ping["Server-Timing"])
    match = re.fullmatch(
        r'app;dur=([\d.]+), db;dur=[\d.]+;desc="(\d+) queries"', landing["Server-Timing"]
    )
    assert match and int(match[2]) > 0


def test_bench_settings_are_production_with_timing_and_raised_sign_in_limits():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "STORAGE_BACKEND"}}
    env.update(SECRET_KEY="k" * 50, DJANGO_SETTINGS_MODULE="panelhub.settings.bench")
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MIDDLEWARE[0], s.DEBUG, s.STORAGES['staticfiles']['BACKEND'], "
        "s.ACCOUNT_RATE_LIMITS['login'], s.SESSION_ENGINE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        TIMING,
        "False",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "1000/m/ip",
        # Sessions in the database: any replica serves any signed-in request.
        "django.contrib.sessions.backends.db",
    ]
