"""Load benchmark: signed-in people using PanelHub at once, against a server on this machine.

    bench/load.py --host http://127.0.0.1:8100 --users 50 --duration 120

Run it against gunicorn (or nginx in front of several) serving the seed_scale data on
PostgreSQL with REQUEST_TIMING on (panelhub.settings.bench does that); bench/scaleout.sh
starts all of it. The script first reads the database named by DATABASE_URL (read only)
to learn the seeded organisations, sign-ins, panels and meetings, then:

* refuses any host that is not on this machine's loopback (127.0.0.0/8, ::1, or a name
  that resolves only to those), before it sends anything;
* signs every simulated person in through the real sign-in form (GET for the CSRF token
  and cookie, POST of email and password; a staff user asked for a second factor answers
  with the TOTP code of the authenticator seed_scale gave them);
* runs ``--users`` people for ``--duration`` seconds, each pausing ``--think`` seconds
  (1 to 5 by default) between pages as people do, in a weighted mix of members, officers,
  board members, the public (no sign-in) and API clients (session-authenticated), and two
  trivial views asked once a second as yardsticks: /healthz/ping (no database work) and
  the sign-in form for a first visit (the yardstick of issue 20's own baseline);
* prints, per page: requests, errors, p50/p95/p99 at the server (the Server-Timing header
  of panelhub/timing.py: time inside Django) and at the client (request sent to last byte
  read), and each page's server p95 as a multiple of each trivial view's in the same run.

Why a plain asyncio + aiohttp script rather than locust: the client shares the machine's
two cores with the server, so every millisecond it burns is taken from what it measures.
One asyncio process with aiohttp's C HTTP parser costs the least CPU per request; it needs
no gevent monkey-patching (which distorts client times when the CPU is contended); its run
is bounded by construction (a fixed number of people, a deadline, a request timeout); and
the server-side figure comes from the response itself, so it pairs exactly with the client
figure of the same request whichever replica answered.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import ipaddress
import json
import os
import random
import re
import socket
import statistics
import struct
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]

# Goals from issue 20.
GOAL_SERVER_P95_MS = 150
GOAL_RATIO = 5
GOAL_CLIENT_P95_MS = 300
REQUEST_TIMEOUT_S = 30
PING_EVERY_S = 1.0
TRIVIAL = "trivial: /healthz/ping"
# The yardstick issue 20's own baseline used: the sign-in form for someone not signed in
# (a template, a CSRF cookie, the whole middleware stack, no query for a page's data).
TRIVIAL_FORM = "trivial: sign-in form"

# Share of the simulated people by audience, and each audience's pages with weights.
AUDIENCES = {"member": 0.6, "officer": 0.16, "board": 0.08, "public": 0.12, "api": 0.04}
PAGES = {
    "member": [
        ("member: next meeting", "/{org}/meetings/next/", 3),
        ("member: my membership", "/{org}/members/me/", 2),
        ("member: inbox", "/{org}/notices/inbox/", 2),
        ("member: papers", "/{org}/meetings/{next_meeting}/papers/", 2),
        ("member: scrutiny dashboard", "/{org}/scrutiny/p/{panel}/", 1),
    ],
    "officer": [
        ("officer: programme", "/{org}/meetings/", 3),
        ("officer: meeting console", "/{org}/meetings/{meeting}/console/", 2),
        ("officer: roster", "/{org}/members/roster/{panel}/", 2),
        ("officer: notices", "/{org}/notices/", 1),
        ("officer: applications", "/{org}/members/applications/", 1),
        ("officer: scrutiny dashboard", "/{org}/scrutiny/p/{panel}/", 2),
    ],
    "board": [
        ("board: action tracker", "/{org}/scrutiny/actions/", 2),
        ("board: review", "/{org}/scrutiny/reviews/{review}/", 2),
        ("board: reports", "/{org}/reports/", 1),
    ],
    "public": [
        ("public: organisation", "/{org}/", 2),
        ("public: panel", "/{org}/panels/{panel}/", 2),
        ("public: terms", "/{org}/panels/{panel}/terms/", 1),
        ("public: minutes", "/{org}/meetings/panels/{panel}/minutes/", 1),
        ("public: reviews", "/{org}/scrutiny/public/", 1),
    ],
    "api": [
        ("api: meetings", "/api/v1/{org}/meetings/", 2),
        ("api: people", "/api/v1/{org}/people/", 1),
        ("api: notices", "/api/v1/{org}/notices/", 1),
        ("api: measures", "/api/v1/{org}/scrutiny/measures/", 1),
        ("api: breaches", "/api/v1/{org}/breaches/", 1),
    ],
}
SIGN_IN = "sign in (GET form + POST)"
CSRF_PATTERN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SERVER_TIMING = re.compile(r"app;dur=([\d.]+)")


class Refused(SystemExit):
    pass


def loopback_only(host: str) -> str:
    """The base URL, if every address its host resolves to is loopback; else refuse."""
    parts = urlsplit(host)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"--host {host!r} is not an http:// or https:// address.")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise Refused(f"--host {parts.hostname!r} does not resolve: {exc}") from exc
    addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
    outside = sorted(str(a) for a in addresses if not a.is_loopback)
    if outside:
        raise Refused(
            f"Refused: --host {parts.hostname!r} resolves to {', '.join(outside)}, which is not "
            "loopback. This benchmark only loads servers on this machine (127.0.0.0/8 or ::1)."
        )
    return f"{parts.scheme}://{parts.netloc}"


def totp(secret_b32: str, at: float | None = None, digits: int = 6, period: int = 30) -> str:
    """RFC 6238 TOTP (SHA-1, 6 digits, 30 s), as authenticator apps and allauth.mfa use."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


# --- What to ask for: read from the seeded database --------------------------------------


@dataclass
class Person:
    audience: str
    email: str
    org: str
    panel: str
    values: dict = field(default_factory=dict)


def plan_people(prefix: str, users: int, seed: int) -> tuple[list[Person], tuple[str, str]]:
    """``users`` simulated people spread over the seeded organisations, with the ids their
    pages take; and the shared password and TOTP secret. No two people share a sign-in
    (a TOTP code is accepted once per account)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panelhub.settings.local")
    import django

    django.setup()
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from meetings.models import Meeting
    from members.models import Membership
    from panels.models import Organisation, OrganisationRole, Panel
    from panels.scale import SCALE_PASSWORD, SCALE_TOTP_SECRET
    from scrutiny.models import ServiceReview

    rng = random.Random(seed)
    today = timezone.localdate()
    with scopes_disabled():
        orgs = list(Organisation.objects.filter(slug__startswith=f"{prefix}-").order_by("slug"))
        if not orgs:
            raise SystemExit(
                f"No organisations with slugs {prefix}-...: run manage.py seed_scale first."
            )
        panels = defaultdict(list)
        for org_id, slug in Panel.objects.filter(organisation__in=orgs).values_list(
            "organisation_id", "slug"
        ):
            panels[org_id].append(slug)
        meetings = defaultdict(list)
        next_meeting = {}
        for org_id, panel_slug, meeting_id, date in (
            Meeting.objects.filter(organisation__in=orgs)
            .order_by("date")
            .values_list("organisation_id", "panel__slug", "id", "date")
        ):
            if abs((date - today).days) < 120:
                meetings[org_id].append(meeting_id)
            if date >= today:
                next_meeting.setdefault((org_id, panel_slug), meeting_id)
        reviews = defaultdict(list)
        for org_id, review_id in ServiceReview.objects.filter(organisation__in=orgs).values_list(
            "organisation_id", "id"
        ):
            reviews[org_id].append(review_id)
        staff = defaultdict(list)
        for org_id, role, email in OrganisationRole.objects.filter(
            organisation__in=orgs
        ).values_list("organisation_id", "role", "user__email"):
            staff[(org_id, role)].append(email)
        seat_of = dict(
            Membership.objects.filter(
                organisation__in=orgs, ended_on__isnull=True, person__user__isnull=False
            ).values_list("person__user__email", "panel__slug")
        )

    people = []
    counts = {a: round(users * share) for a, share in AUDIENCES.items()}
    counts["member"] += users - sum(counts.values())
    for audience, count in counts.items():
        for n in range(count):
            org = orgs[n % len(orgs)]
            role = {"member": "member", "officer": "officer", "board": "board", "api": "officer"}
            email = ""
            panel = rng.choice(panels[org.pk])
            if audience != "public":
                candidates = staff[(org.pk, role[audience])]
                # API clients sign in as the second officer: the first is a browsing officer.
                offset = 1 if audience == "api" else 0
                email = candidates[(n // len(orgs) + offset) % len(candidates)]
                panel = seat_of.get(email, panel)
            values = {
                "org": org.slug,
                "panel": panel,
                "meeting": rng.choice(meetings[org.pk]) if meetings[org.pk] else 0,
                "next_meeting": next_meeting.get((org.pk, panel), 0),
                "review": rng.choice(reviews[org.pk]) if reviews[org.pk] else 0,
            }
            people.append(Person(audience, email, org.slug, panel, values))
    return people, (SCALE_PASSWORD, SCALE_TOTP_SECRET)


# --- The run ----------------------------------------------------------------------------


@dataclass
class Sample:
    status: int
    client_ms: float
    server_ms: float | None


class Results:
    """Samples per page. Until ``measure_from`` (the end of the ramp, while people sign in
    and every server process sees each page for the first time) pages are not counted;
    sign-ins are counted whenever they happen."""

    def __init__(self, measure_from: float = 0.0):
        self.measure_from = measure_from
        self.samples: dict[str, list[Sample]] = defaultdict(list)
        self.errors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.warm_up = 0

    def add(self, page: str, sample: Sample, ok: bool, why: str = "") -> None:
        if not page.startswith(SIGN_IN) and time.monotonic() < self.measure_from:
            self.warm_up += 1
            return
        self.samples[page].append(sample)
        if not ok:
            self.errors[page][why or str(sample.status)] += 1


async def fetch(session, results: Results, page: str, method: str, url: str, *, expect, **kw):
    import aiohttp

    started = time.perf_counter()
    try:
        async with session.request(method, url, allow_redirects=False, **kw) as response:
            body = await response.read()
            client_ms = (time.perf_counter() - started) * 1000
            match = SERVER_TIMING.search(response.headers.get("Server-Timing", ""))
            sample = Sample(response.status, client_ms, float(match.group(1)) if match else None)
            ok = response.status in expect
            results.add(page, sample, ok)
            return response, body
    except (TimeoutError, aiohttp.ClientError) as exc:
        client_ms = (time.perf_counter() - started) * 1000
        results.add(page, Sample(0, client_ms, None), False, type(exc).__name__)
        return None, b""


async def sign_in(
    session, base: str, person: Person, password: str, results: Results, totp_secret: str = ""
) -> bool:
    """Through the real form: GET it for the CSRF cookie and token, POST the credentials,
    then answer a second-factor challenge if one comes."""
    started = time.perf_counter()
    response, body = await fetch(
        session, results, SIGN_IN + " [GET]", "GET", f"{base}/accounts/login/", expect=(200,)
    )
    token = CSRF_PATTERN.search(body.decode(errors="replace")) if response else None
    if token is None:
        return False
    response, body = await fetch(
        session,
        results,
        SIGN_IN + " [POST]",
        "POST",
        f"{base}/accounts/login/",
        data={"login": person.email, "password": password, "csrfmiddlewaretoken": token[1]},
        headers={"Referer": f"{base}/accounts/login/"},
        expect=(302, 303),
    )
    if response is None or response.status not in (302, 303):
        return False
    location = response.headers.get("Location", "")
    if "2fa" in location or "mfa" in location:
        secret = os.environ.get("BENCH_TOTP_SECRET", "") or totp_secret
        url = location if location.startswith("http") else base + location
        response, body = await fetch(
            session, results, SIGN_IN + " [2FA form]", "GET", url, expect=(200,)
        )
        token = CSRF_PATTERN.search(body.decode(errors="replace")) if response else None
        if token is None or not secret:
            return False
        response, _ = await fetch(
            session,
            results,
            SIGN_IN + " [2FA POST]",
            "POST",
            url,
            data={"code": totp(secret), "csrfmiddlewaretoken": token[1]},
            headers={"Referer": url},
            expect=(302, 303),
        )
        if response is None:
            return False
    results.add(
        SIGN_IN + " [whole]", Sample(200, (time.perf_counter() - started) * 1000, None), True
    )
    return True


def source_address(base: str, n: int) -> tuple[str, int] | None:
    """Person ``n``'s own loopback address (127.0.1.1, 127.0.1.2...), so the server and the
    proxy in front of it see one address per person, as with real users, and per-address
    limits count per person; None when the host is not IPv4 loopback."""
    host = urlsplit(base).hostname or ""
    try:
        if not ipaddress.ip_address(socket.gethostbyname(host)).is_loopback:
            return None
    except (OSError, ValueError):
        return None
    return (f"127.0.{1 + n // 250}.{1 + n % 250}", 0)


async def simulate(person, base, password, deadline, think, results, rng, start_delay, n=0):
    import aiohttp

    await asyncio.sleep(start_delay)
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for an IP address host
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    connector = aiohttp.TCPConnector(local_addr=source_address(base, n))
    async with aiohttp.ClientSession(
        cookie_jar=jar, timeout=timeout, connector=connector
    ) as session:
        if person.audience != "public" and not await sign_in(
            session, base, person, password[0], results, password[1]
        ):
            return
        pages = PAGES[person.audience]
        weights = [w for *_, w in pages]
        while time.monotonic() < deadline:
            name, template, _ = rng.choices(pages, weights=weights)[0]
            await fetch(session, results, name, "GET", base + template.format(**person.values),
                        expect=(200,))  # fmt: skip
            await asyncio.sleep(rng.uniform(*think))


async def ping(base, deadline, results):
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        while time.monotonic() < deadline:
            await fetch(session, results, TRIVIAL, "GET", f"{base}/healthz/ping", expect=(200,))
            session.cookie_jar.clear()  # always a first visit to the form
            await fetch(
                session, results, TRIVIAL_FORM, "GET", f"{base}/accounts/login/", expect=(200,)
            )
            await asyncio.sleep(PING_EVERY_S)


async def run(base, people, password, duration, think, ramp, seed) -> Results:
    results = Results(measure_from=time.monotonic() + ramp)
    rng = random.Random(seed)
    deadline = time.monotonic() + ramp + duration
    tasks = [
        simulate(
            p,
            base,
            password,
            deadline,
            think,
            results,
            random.Random(rng.random()),
            ramp * i / max(1, len(people)),
        )  # fmt: skip
        for i, p in enumerate(people)
    ]
    await asyncio.gather(ping(base, deadline, results), *tasks)
    return results


# --- The report ---------------------------------------------------------------------------


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if not values:
        return (float("nan"),) * 3
    if len(values) == 1:
        return (values[0],) * 3
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def report(results: Results, args) -> dict:
    trivial, trivial_form = (
        percentiles([s.server_ms for s in results.samples[name] if s.server_ms is not None])[1]
        for name in (TRIVIAL, TRIVIAL_FORM)
    )
    rows = []
    for page in sorted(results.samples, key=lambda p: (p.startswith("trivial:"), p)):
        samples = results.samples[page]
        server = [s.server_ms for s in samples if s.server_ms is not None]
        client = [s.client_ms for s in samples]
        s50, s95, s99 = percentiles(server)
        c50, c95, c99 = percentiles(client)
        rows.append(
            {
                "page": page,
                "requests": len(samples),
                "errors": sum(results.errors[page].values()),
                "error_kinds": dict(results.errors[page]),
                "server_ms": [round(s50, 1), round(s95, 1), round(s99, 1)],
                "client_ms": [round(c50, 1), round(c95, 1), round(c99, 1)],
                "ratio": round(s95 / trivial, 1) if server and trivial == trivial else None,
                "ratio_form": (
                    round(s95 / trivial_form, 1)
                    if server and trivial_form == trivial_form
                    else None
                ),
            }
        )
    header = (
        f"{'page':<34} {'reqs':>5} {'err':>4}  {'server p50/p95/p99 ms':>22}  "
        f"{'client p50/p95/p99 ms':>22}  {'p95/trivial':>11}  {'p95/form':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        server = "/".join(f"{v:.0f}" for v in row["server_ms"]) if row["ratio"] else "-"
        client = "/".join(f"{v:.0f}" for v in row["client_ms"])
        ratio = f"{row['ratio']:.1f}x" if row["ratio"] else "-"
        ratio_form = f"{row['ratio_form']:.1f}x" if row["ratio_form"] else "-"
        print(
            f"{row['page']:<34} {row['requests']:>5} {row['errors']:>4}  {server:>22}  "
            f"{client:>22}  {ratio:>11}  {ratio_form:>8}"
        )
    pages = [r for r in rows if r["page"].split(":")[0] in PAGES]
    total = sum(r["requests"] for r in rows)
    errors = sum(r["errors"] for r in rows)
    all_client = [s.client_ms for r in pages for s in results.samples[r["page"]]]
    print("-" * len(header))
    print(
        f"{total} requests in {args.duration} s ({total / args.duration:.1f}/s) by {args.users} "
        f"people pausing {args.think[0]:g}-{args.think[1]:g} s; {errors} errors; "
        f"client p95 over all pages {percentiles(all_client)[1]:.0f} ms; "
        f"{results.warm_up} requests during the ramp not counted"
    )
    for row in rows:
        if row["errors"]:
            print(f"  errors on {row['page']}: {row['error_kinds']}")
    over = [r["page"] for r in pages if r["server_ms"][1] > GOAL_SERVER_P95_MS]
    far = [r["page"] for r in pages if r["ratio"] and r["ratio"] > GOAL_RATIO]
    slow = [r["page"] for r in pages if r["client_ms"][1] > GOAL_CLIENT_P95_MS]
    print(f"Goal: server p95 < {GOAL_SERVER_P95_MS} ms: {len(over)} page(s) above")
    far_form = [r["page"] for r in pages if r["ratio_form"] and r["ratio_form"] > GOAL_RATIO]
    print(
        f"Goal: server p95 within {GOAL_RATIO}x of the trivial view: {len(far)} page(s) above "
        f"/healthz/ping's {trivial:.1f} ms; {len(far_form)} above the sign-in form's "
        f"{trivial_form:.1f} ms"
    )
    print(f"Goal: client p95 < {GOAL_CLIENT_P95_MS} ms: {len(slow)} page(s) above")
    print(f"Goal: zero errors: {errors} error(s)")
    met = not (over or far or slow or errors)
    print("MEETS GOALS" if met else "ABOVE GOALS")
    return {"rows": rows, "total": total, "errors": errors, "met": met}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="http://127.0.0.1:8100")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120, help="Seconds of load.")
    parser.add_argument(
        "--ramp",
        type=int,
        default=30,
        help="Seconds over which people sign in and start; pages asked then are not counted.",
    )
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 5.0),
        metavar=("MIN", "MAX"),
        help="Seconds each person pauses between pages (default 1 5).",
    )
    parser.add_argument("--prefix", default="scale", help="seed_scale's --prefix.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = parser.parse_args(argv)
    base = loopback_only(args.host)
    for name in ("users", "duration"):
        if getattr(args, name) <= 0:
            raise Refused(f"--{name} must be positive.")
    if not 0 <= args.think[0] <= args.think[1]:
        raise Refused("--think takes MIN MAX seconds with 0 <= MIN <= MAX.")
    people, password = plan_people(args.prefix, args.users, args.seed)
    print(
        f"{len(people)} people against {base} for {args.duration} s "
        f"(+{args.ramp} s ramp), pausing {args.think[0]:g}-{args.think[1]:g} s"
    )
    results = asyncio.run(
        run(base, people, password, args.duration, tuple(args.think), args.ramp, args.seed)
    )
    figures = report(results, args)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
