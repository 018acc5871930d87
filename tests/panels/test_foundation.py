import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members.models import Membership, Person
from panels.demo import DEMO_PASSWORD, demo_email
from panels.models import Organisation, OrganisationRole, Panel, Role, User

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Organisation.objects.count(),
        Panel.objects.count(),
        User.objects.count(),
        OrganisationRole.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
    )


def test_seed_demo_creates_the_five_organisations_and_is_idempotent():
    call_command("seed_demo", "--quiet-sign-ins")
    first = _counts()
    assert set(Organisation.objects.values_list("slug", flat=True)) == {
        "helena",
        "hfh",
        "ivh",
        "tht",
        "stockport",
    }
    assert Panel.objects.filter(
        name="Customer Excellence Panel", organisation__slug="helena"
    ).exists()
    assert Panel.objects.filter(
        name="ASPIRE Customer Panel", organisation__slug="stockport"
    ).exists()
    assert Panel.objects.filter(organisation__slug="ivh").count() == 2
    call_command("seed_demo", "--quiet-sign-ins")
    assert _counts() == first


def demo_totp_code() -> str:
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from panels.demo import DEMO_TOTP_SECRET

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))


def test_demo_sign_in_works_with_the_printed_password(client):
    call_command("seed_demo", "--quiet-sign-ins")
    response = client.post(
        reverse("account_login"),
        {"login": demo_email("tht", Role.OFFICER), "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    # Officers take the two-step sign-in; the demo's authenticator uses the documented secret.
    assert response["Location"] == reverse("mfa_authenticate")
    step = client.post(reverse("mfa_authenticate"), {"code": demo_totp_code()})
    assert step.status_code == 302
    landing = client.get(reverse("panels:landing", kwargs={"org_slug": "tht"}))
    assert "Quality and Insight Panel" in landing.content.decode()
    assert "engagement officer" in landing.content.decode()


def test_sign_in_with_a_wrong_password_is_refused(client, tenant_a):
    response = client.post(
        reverse("account_login"), {"login": tenant_a.officer.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_public_sign_up_is_closed(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
    )
    assert not User.objects.filter(email="new@example.com").exists()
    assert response.status_code == 200
    assert "closed" in response.content.decode().lower()


def test_unknown_organisation_is_404(client, db):
    response = client.get("/no-such-org/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_user_without_role_gets_403_with_explanation(client_as, tenant_a, tenant_b):
    client = client_as(tenant_a.officer)
    response = client.get(reverse("api:panel-list", kwargs={"org_slug": tenant_b.org.slug}))
    assert response.status_code == 403


def test_landing_shows_panels_and_role_and_switches_between_organisations(
    client_as, tenant_a, tenant_b
):
    OrganisationRole.objects.create(
        user=tenant_a.officer, organisation=tenant_b.org, role=Role.BOARD
    )
    client = client_as(tenant_a.officer)
    home = client.get(reverse("home")).content.decode()
    assert "Alpha Housing" in home and "Bravo Homes" in home
    landing_b = client.get(reverse("panels:landing", kwargs={"org_slug": "bravo"})).content.decode()
    assert "board member" in landing_b
    assert "Bravo Homes Panel" in landing_b


def test_landing_without_role_says_so(client_as, tenant_a, tenant_b):
    client = client_as(tenant_a.member)
    body = client.get(reverse("panels:landing", kwargs={"org_slug": "bravo"})).content.decode()
    assert "holds no role at Bravo Homes" in body


@pytest.mark.parametrize("panel_count", [1, 25])
def test_landing_runs_a_constant_number_of_queries(
    client_as, tenant_a, django_assert_num_queries, panel_count
):
    for index in range(panel_count):
        Panel.objects.create(organisation=tenant_a.org, slug=f"p{index}", name=f"Panel {index}")
    url = reverse("panels:landing", kwargs={"org_slug": "alpha"})
    board = client_as(tenant_a.board)
    # session, user, organisation, roles, my panels, public panels
    with django_assert_num_queries(6):
        response = board.get(url)
    assert response.status_code == 200
    assert "At a glance" not in response.content.decode()
    officer = client_as(tenant_a.officer)
    # officers also get the overview: notices due, notice counts, breaches per panel, the
    # terms of reference in force (their reviews due), the last retention run
    with django_assert_num_queries(11):
        response = officer.get(url)
    assert "At a glance" in response.content.decode()


def test_officer_at_a_glance_judges_each_panels_cadence_as_of_today(
    client_as, tenant_a, django_assert_max_num_queries
):
    """The at-a-glance shows each panel's meetings judged by rules.cadence_judgement as of
    today (the programme's judgement), and a panel at risk under "Needs attention"; one
    query for every panel's meetings whatever their number."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings.models import Meeting, MeetingStatus
    from panels.services import terms_revise
    from tests.panels.terms_factory import TERMS

    today = timezone.localdate()
    values = TERMS[("stockport", "aspire-customer-panel")]["values"]

    def with_terms(panel):
        terms_revise(
            panel=panel,
            effective_from=datetime.date(today.year - 1, 1, 1),
            review_due_on=datetime.date(today.year + 2, 1, 1),
            changes=values,
            deadlines=[],
            by=tenant_a.officer,
        )
        return panel

    with_terms(tenant_a.panel)
    url = reverse("panels:landing", kwargs={"org_slug": "alpha"})
    officer = client_as(tenant_a.officer)
    with CaptureQueriesContext(connection) as one:
        body = officer.get(url).content.decode()
    # Stockport's ToR: quarterly, at least four a year; nothing held or planned this year.
    assert f"Meetings in {today.year}:" in body
    assert "of at least 4" in body
    assert f"{tenant_a.panel.name}</a>: meetings " in body  # under "Needs attention"
    # Held meetings in every quarter so far and one planned in each quarter to come: on track.
    for quarter in range(1, 5):
        day = datetime.date(today.year, 3 * quarter - 1, 10)
        Meeting.objects.create(
            organisation=tenant_a.org,
            panel=tenant_a.panel,
            date=day,
            start_time=datetime.time(10),
            end_time=datetime.time(12),
            status=MeetingStatus.HELD if day <= today else MeetingStatus.PLANNED,
        )
    for index in range(3):
        with_terms(
            Panel.objects.create(organisation=tenant_a.org, slug=f"q{index}", name=f"Q {index}")
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = officer.get(url).content.decode()
    assert f"Meetings in {today.year}: on track" in body
    assert f"{tenant_a.panel.name}</a>: meetings " not in body
    # The three new panels have nothing held or planned: each under "Needs attention".
    assert body.count("</a>: meetings ") == 3


def test_healthz_reports_database_and_broker(client, tenant_a):
    from notices.delivery import heartbeat

    heartbeat(now=timezone.now())  # a dispatcher is running (else: degraded, 503)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    client.force_login(tenant_a.officer)  # staff see each part
    body = client.get("/healthz").json()
    assert body["database"]["ok"] is True
    assert body["broker"]["mode"] in {"eager", "redis"}


def test_panel_public_page_needs_no_login(client, tenant_a):
    response = client.get(
        reverse("panels:panel_public", kwargs={"org_slug": "alpha", "panel_slug": "alpha-panel"})
    )
    assert response.status_code == 200
    assert "Alpha Housing Panel" in response.content.decode()


def test_unscoped_tenant_query_raises_instead_of_leaking(db):
    from django_scopes import ScopeError, scope

    with scope(other="x"), pytest.raises(ScopeError):
        list(Panel.objects.all())
