"""Real-browser journeys: Playwright for Python driving Debian's chromium (never a downloaded
browser build) against a live PanelHub server on a freshly seeded database of its own, with
axe-core (from the npm registry, pinned in tests/browser/package.json) run on every page.

On a developer machine without /usr/bin/chromium or axe-core the journeys skip and say why
(`make journeys` installs axe-core; `apt-get install chromium` brings the browser). CI sets
CI_REQUIRE_BROWSER=1 (.ci/run installs both), which turns a missing piece into a failure.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.journey import AXE_PATH, CHROMIUM, SCREENSHOTS

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = {"phone": 360, "desktop": 1280}
# The environment of each worker's journey server (its database), for journey_manage.
_SERVER_ENV: dict[str, dict] = {}


def _missing() -> list[str]:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not AXE_PATH.exists():
        missing.append(f"{AXE_PATH.relative_to(ROOT)} (make journeys-deps)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (make install)")
    return missing


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items:
        return
    missing = _missing()
    if not missing:
        return
    if os.environ.get("CI_REQUIRE_BROWSER"):
        raise pytest.UsageError(
            "CI_REQUIRE_BROWSER is set but the browser journeys cannot run: missing "
            + ", ".join(missing)
        )
    skip = pytest.mark.skip(reason="browser journeys need " + ", ".join(missing))
    for item in browser_items:
        item.add_marker(skip)


def _free_port(worker: str) -> int:
    """JOURNEY_PORT, plus the xdist worker's number (gw1 takes the next port), so two
    workers never ask for one port; else any free port."""
    wanted = os.environ.get("JOURNEY_PORT")
    if wanted:
        return int(wanted) + (int(worker[2:]) if worker.startswith("gw") else 0)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _journey_database(worker: str) -> str:
    """A database of the journeys' own, made afresh: PostgreSQL beside DATABASE_URL's, or a
    SQLite file under var/ when DATABASE_URL is not set."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url or url.startswith("sqlite"):
        path = ROOT / "var" / f"journeys-{worker}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/')}_journeys_{worker}"
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="session")
def journey_server(worker_id):
    """A PanelHub server (runserver with DEBUG off; no Redis, so Celery runs eagerly and mail
    goes to files) on the demo data and a var/ folder of its own, for the whole session.
    Journeys change data, so each one uses rows of its own or puts back what it changed."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "PYTEST_XDIST_WORKER"}}
    var = ROOT / "var" / f"journey-server-{worker_id}"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    env.update(
        DATABASE_URL=_journey_database(worker_id),
        DJANGO_SETTINGS_MODULE="panelhub.settings.local",
        DEBUG="false",
        PANELHUB_VAR_DIR=str(var),
        PYTHONUNBUFFERED="1",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    _SERVER_ENV[worker_id] = env
    for command in (["migrate", "--noinput"], ["seed_demo", "--quiet-sign-ins"]):
        subprocess.run(manage + command, env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port(worker_id)
    log = open(var / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            # /healthz/ping: up and answering (/healthz may say "degraded", 503, when no
            # notice dispatcher runs beside this server, which is not what is waited for).
            urllib.request.urlopen(f"{base}/healthz/ping", timeout=2)  # noqa: S310 - our own server
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the journey server did not start; see {log.name}") from None
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def journey_manage(journey_server, worker_id):
    """Run Python in ``manage.py shell`` against the journey server's database, to set up
    data a test needs that no page makes (for example an unusually long email address)."""
    manage = [sys.executable, str(ROOT / "manage.py"), "shell", "-c"]

    def run(code: str) -> str:
        done = subprocess.run(
            [*manage, code], env=_SERVER_ENV[worker_id], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run


@pytest.fixture(scope="session")
def chromium_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def journey(request, journey_server, chromium_browser):
    """A fresh browser context at phone or desktop width; ``journey.check(step)`` runs axe on
    the page and keeps a screenshot under var/journeys/."""
    from tests.browser.journey import Journey

    width = WIDTHS[request.param]
    context = chromium_browser.new_context(
        viewport={"width": width, "height": 800}, base_url=journey_server, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    # axe-core is loaded as an init script, which the browser runs outside the page's Content
    # Security Policy; the policy itself stays on, so a page breaking it fails the journey.
    context.add_init_script(path=str(AXE_PATH))
    page = context.new_page()
    name = request.node.originalname.removeprefix("test_")
    shutil.rmtree(SCREENSHOTS / f"{name}-{request.param}", ignore_errors=True)
    journey = Journey(page=page, name=f"{name}-{request.param}", width=width)
    page.on("console", journey.console_message)
    yield journey
    context.close()
