"""Deployment promises (issue 12, item 8): production settings by default, Django's
deployment checklist passes with no warning, a Content Security Policy without
'unsafe-inline' on every page, and the API's schema and docs for signed-in users only."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_ENV = {
    "SECRET_KEY": "test-deploy-check-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
    "ALLOWED_HOSTS": "panelhub.example.org",
    "DATABASE_URL": "postgres://panelhub@127.0.0.1:5432/panelhub_deploy_check",
}


def _run(args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    "entry",
    [
        ["manage.py", "check"],
        ["-c", "import panelhub.wsgi"],
        ["-c", "import panelhub.asgi"],
        ["-c", "import panelhub.celery, django; django.setup()"],
    ],
    ids=["manage.py", "wsgi", "asgi", "celery"],
)
def test_entry_points_default_to_production_settings(entry):
    """Without a choice, every entry point loads production, which refuses the dev key."""
    result = _run(entry)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert "panelhub.settings.local" in result.stderr  # the message says how to develop


def test_the_image_defaults_to_production_and_make_targets_choose_local():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "DJANGO_SETTINGS_MODULE=panelhub.settings.production" in dockerfile
    makefile = (ROOT / "Makefile").read_text()
    line = next(x for x in makefile.splitlines() if "export DJANGO_SETTINGS_MODULE" in x)
    for target in ("run", "seed", "migrate", "worker", "beat"):
        assert re.search(rf"\b{target}\b", line.split(":")[0])
    assert "DEV_SETTINGS := panelhub.settings.local" in makefile


def test_production_passes_the_deploy_check_with_no_warning():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="panelhub.settings.production",
        **DEPLOY_ENV,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_deploy_check_bites_on_a_weak_key_and_insecure_cookies():
    env = {**DEPLOY_ENV, "SECRET_KEY": "a" * 40, "SECURE_COOKIES": "false"}
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="panelhub.settings.production",
        **env,
    )
    assert result.returncode != 0
    for code in ("security.W009", "security.W012", "security.W016"):
        assert code in result.stderr


def _production_setting(expr, **env):
    result = _run(
        ["-c", f"import django; django.setup(); from django.conf import settings; print({expr})"],
        DJANGO_SETTINGS_MODULE="panelhub.settings.production",
        **{**DEPLOY_ENV, **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_behind_a_tls_proxy_is_an_explicit_switch():
    default = "getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)"
    assert _production_setting(default) == "None"
    assert _production_setting(default, BEHIND_TLS_PROXY="true") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    flags = "settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.API_DOCS_PUBLIC"
    assert _production_setting(flags) == "True 31536000 False"


# --- Content Security Policy ----------------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_every_page_carries_a_csp_without_unsafe_inline(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


# Templates a browser renders from our origin. PDF and email templates are read by
# WeasyPrint and mail clients, never served as pages, so they may keep their <style>.
NOT_SERVED = ("/pdf/", "/email/", "notices/letter.html")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=\s*[\"']|=\s*[\"']javascript:", re.I)


def _served_templates():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" in folder.parts:
            continue
        for path in folder.rglob("*.html"):
            relative = path.as_posix()
            if not any(marker in relative for marker in NOT_SERVED):
                yield path


def test_no_served_template_has_an_inline_script_style_or_handler():
    offenders = []
    for path in _served_templates():
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_STYLE):
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)!r}")
    assert not offenders, "inline script/style is blocked by the CSP:\n" + "\n".join(offenders)


# --- API schema and docs --------------------------------------------------------------


@pytest.mark.django_db
def test_schema_and_docs_need_a_signed_in_user_by_default(client):
    assert client.get("/api/schema/").status_code == 401  # unauthenticated
    docs = client.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_schema_and_docs_serve_a_signed_in_user(client_as, tenant_a):
    client = client_as(tenant_a.member)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    body = docs.content.decode()
    assert "cdn" not in body.lower()
    assert not INLINE_SCRIPT.search(body) and "<style" not in body
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
@override_settings(API_DOCS_PUBLIC=True)
def test_schema_and_docs_are_public_when_the_setting_says_so(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_a_web_worker_imports_every_view_as_it_starts():
    """panelhub.wsgi loads the URLconf (every app's views) when the worker starts, so the
    first visitor after a deploy does not wait about a second for the imports (issue 20)."""
    code = (
        "import sys, panelhub.wsgi; "
        "print(all(m in sys.modules for m in "
        "('meetings.views.officer', 'scrutiny.views.member', 'rest_framework.views')))"
    )
    result = _run(["-c", code], DJANGO_SETTINGS_MODULE="panelhub.settings.test")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
