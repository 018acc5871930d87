"""Constant work per page (issue 20): every page and API list of an organisation, walked at
two data sizes, runs no more database queries on the larger one.

Two organisations are made by seed_scale with the same seed and shape, one small and one
several times larger (more panels, seats, meetings and years of history). Every URL pattern
that takes an organisation is filled from that organisation's own rows, as the isolation walk
does (tests/test_isolation_walk.py: no pattern is listed by hand, so a page added later is
counted too), and fetched as an officer-admin-board user and as a seated member. A page whose
query count is higher on the large organisation fails, with both counts.

The caches are emptied before each request, so a count is never lowered by what an earlier
request left in the cache, and each page is fetched twice, the second counted: the first
warms process-wide caches (content types) and makes what a first visit makes once.
"""

import datetime

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from panels.models import Organisation, OrganisationRole, Role, User
from panels.scale import scale_email
from tests.test_isolation_walk import Filler, _all_named_routes, _kwarg_names

pytestmark = pytest.mark.django_db

BASE_DATE = datetime.date(2026, 11, 30)
SIZES = {
    "small": {"panels": 2, "members": 12, "years": 1},
    "large": {"panels": 10, "members": 120, "years": 3},
}
# Pages whose work grows with the data by design, each with why. Keep this empty: a page
# that must show everything (an export) still reads it in a fixed number of queries.
GROWS_BY_DESIGN: dict[str, str] = {}
# Pages of rows seed_scale does not make, so not counted here (the walk says which if a new
# one appears): declarations, expense claims, interests, leave, removals and appeals, work
# plan priorities, neighbourhood budgets, policy reviews, letters and reports.
NOT_MADE_BY_SEED_SCALE = {
    # A subject access ZIP is built by a task and downloaded once (issue 19).
    "privacy:export_download",
    "api:members-declaration-detail",
    "api:members-declaration-end",
    "api:members-expense-detail",
    "api:members-expense-decide",
    "members:expense_receipt",
    "members:declaration_end",
    "members:interest_end",
    "members:leave_return",
    "members:appeal",
    "members:expense_decide",
    "scrutiny:champion_assign",
    "scrutiny:work_item_add",
    "scrutiny:priority_review",
    "scrutiny:allocation_add",
    "scrutiny:spend_add",
    "scrutiny:policy_outcome",
    "notices:letter_pdf",
    "notices:letter_printed",
    "reports:detail",
    "reports:download",
    "reports:publish",
    "reports:published_download",
}
# Counted here too, and at 10 and 100 seats by its own test below.
LEFT_TO_ITS_OWN_TEST: set[str] = set()


def _seed(prefix: str, size: dict) -> Organisation:
    call_command(
        "seed_scale",
        orgs=1,
        seed=7,
        base_date=BASE_DATE,
        prefix=prefix,
        stdout=open("/dev/null", "w"),  # noqa: SIM115
        **size,
    )
    return Organisation.objects.get(slug=f"{prefix}-001")


def _people(org: Organisation):
    """A user with every role but no seat (officer, admin and Board pages) and the org's
    first seeded member (a seat: the member's own pages)."""
    walker = User.objects.create_user(email=f"walker@{org.slug}.test", password="x")
    for role in Role:
        OrganisationRole.objects.create(user=walker, organisation=org, role=role)
    member = User.objects.get(email=scale_email(org.slug, "member1"))
    return {"staff": walker, "member": member}


class NoRow(LookupError):
    pass


class OwnRows(Filler):
    """The isolation walk's filler on one organisation's own rows; a kind of row seed_scale
    does not make raises NoRow (the page is reported, not counted)."""

    def _row(self, model):
        row = model.objects.for_org(self.org_b).order_by("pk").first()
        if row is None:
            raise NoRow(model.__name__)
        return row


def _urls(org: Organisation, missing: dict | None = None) -> dict[str, str]:
    urls = {}
    for name, pattern in _all_named_routes():
        keywords = _kwarg_names(name)
        if "org_slug" not in keywords or name in LEFT_TO_ITS_OWN_TEST:
            continue
        filler = OwnRows(org, org)
        try:
            kwargs = {k: filler.value(k, pattern.callback) for k in keywords}
        except NoRow as exc:
            if missing is not None:
                missing[name] = str(exc)
            continue
        urls[name] = reverse(name, kwargs=kwargs)
    return urls


def _count(client, user, url: str) -> tuple[int, int]:
    """The queries of the second of two requests: the first may make what a first visit
    makes once (a member's calendar feed token), which is not the page's steady work."""
    client.force_login(user)
    client.get(url)
    for alias in caches:
        caches[alias].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def _walk(client, org, people) -> dict[tuple[str, str], tuple[int, int]]:
    counts = {}
    for name, url in _urls(org).items():
        for who, user in people.items():
            counts[(name, who)] = _count(client, user, url)
    return counts


def test_every_page_runs_no_more_queries_on_ten_times_the_data(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        **{
            alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
            for alias in settings.CACHES
            if alias != "default"
        },
    }
    small = _seed("small", SIZES["small"])
    large = _seed("large", SIZES["large"])
    people = {"small": _people(small), "large": _people(large)}
    counted_large = _walk(client, large, people["large"])
    counted_small = _walk(client, small, people["small"])

    missing: dict[str, str] = {}
    _urls(small, missing)
    assert set(missing) <= NOT_MADE_BY_SEED_SCALE, (
        "pages not counted because seed_scale makes no row for them (make one, or add the "
        f"page to NOT_MADE_BY_SEED_SCALE): {set(missing) - NOT_MADE_BY_SEED_SCALE}"
    )
    grew, compared = [], 0
    for key, (status_small, n_small) in counted_small.items():
        status_large, n_large = counted_large[key]
        if status_small != 200 or status_large != 200:
            continue
        compared += 1
        if n_large > n_small and key[0] not in GROWS_BY_DESIGN:
            grew.append(f"{key[0]} as {key[1]}: {n_small} queries small, {n_large} large")
    assert compared >= 180, f"only {compared} pages answered 200 at both sizes"
    assert not grew, "pages whose queries grow with the data:\n" + "\n".join(sorted(grew))


def test_the_programme_page_reads_every_panel_in_a_fixed_number_of_queries(client):
    """The officer programme: all panels' meetings, ToR versions, committee dates and
    closure days in a fixed number of queries (it ran 27 on the demo, 279 at 10x)."""
    small = _seed("small", SIZES["small"])
    large = _seed("large", SIZES["large"])
    counts = {}
    for org in (small, large):
        officer = User.objects.get(email=scale_email(org.slug, "officer1"))
        url = reverse("meetings:programme", kwargs={"org_slug": org.slug})
        _count(client, officer, url)
        status, counts[org.slug] = _count(client, officer, url + f"?year={BASE_DATE.year}")
        assert status == 200
    assert counts["large-001"] <= counts["small-001"], counts


def _console_at(tenant, setup, day: datetime.date, seats: list, items: int):
    """A held-in-progress meeting on ``day``: its register taken for every seat (one late
    arrival, one early departure, one absence), ``items`` agenda items each with a
    declaration and a motion decided by named votes, minutes started."""
    from meetings import services
    from meetings.models import Meeting

    meeting = Meeting.objects.create(
        organisation=tenant.org,
        panel=tenant.panel,
        date=day,
        start_time=datetime.time(10),
        end_time=datetime.time(14),
    )
    agenda = [
        services.agenda_item_add(meeting=meeting, title=f"Item {n}", minutes_allotted=5, today=day)
        for n in range(items)
    ]
    rows = [services.RegisterRow(membership=seat, status="present") for seat in seats]
    rows[1].arrived_at = datetime.time(10, 20)
    rows[2].left_at = datetime.time(13)
    rows[3].status = "absent"
    services.register_take(
        meeting=meeting,
        rows=rows,
        now=datetime.datetime.combine(
            day, datetime.time(15), tzinfo=timezone.get_default_timezone()
        ),
    )
    for item in agenda:
        services.declaration_record(item=item, membership=seats[4], interest="Tenant")
        motion = services.motion_propose(meeting=meeting, text="Agreed", mover=seats[0], item=item)
        services.motion_decide(motion=motion, ballots={seats[0]: "for", seats[5]: "for"})
    services.minutes_start(meeting=meeting)
    return meeting


def test_the_console_runs_the_same_queries_at_10_and_100_seats(client, tenant_a):
    """The meeting console (issue 20 item 3): the register form, quorum per item, the seat
    lists and the minutes record in a fixed number of queries, at 10 seats and 3 items and
    at 100 seats and 30 items; also with a rarely used form opened (?open=)."""
    from tests.meetings.conftest import PanelSetup, add_seat, make_terms

    terms = make_terms(tenant_a.org, tenant_a.panel, "hfh")
    setup = PanelSetup(org=tenant_a.org, panel=tenant_a.panel, terms=terms)
    small_day = timezone.localdate() - datetime.timedelta(days=7)
    large_day = timezone.localdate() - datetime.timedelta(days=1)
    for n in range(100):
        seat = add_seat(setup, "chair" if n == 0 else "resident", n)
        if n >= 10:
            seat.starts_on = large_day
            seat.save(update_fields=["starts_on"])
    small = _console_at(tenant_a, setup, small_day, setup.seats[:10], 3)
    large = _console_at(tenant_a, setup, large_day, setup.seats, 30)
    counts, sizes = {}, {}
    for label, meeting in (("small", small), ("large", large)):
        url = reverse(
            "meetings:console", kwargs={"org_slug": tenant_a.org.slug, "meeting_id": meeting.pk}
        )
        for query in ("", "?open=motion"):
            status, counts[(label, query)] = _count(client, tenant_a.officer, url + query)
            assert status == 200
        sizes[label] = len(client.get(url).content)
    print(f"console queries {counts}, HTML bytes {sizes}")  # shown with -s
    assert counts[("large", "")] <= counts[("small", "")], counts
    assert counts[("large", "?open=motion")] <= counts[("small", "?open=motion")], counts
