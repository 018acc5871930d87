"""The rough edges a new user met (issue 18): each fixed as a user expects."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Attendance, AttendanceStatus
from panels.errors import RuleViolation
from panels.models import AuditEntry, Organisation, OrganisationRole, Role
from panels.services import organisation_contact_update
from tests.conftest import PASSWORD, make_tenant
from tests.meetings.conftest import add_seat, panel_with, schedule  # noqa: F401

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def _sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def test_sign_in_lands_on_the_only_organisation(client, tenant_a):
    response = _sign_in(client, tenant_a.member.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("panels:landing", kwargs={"org_slug": "alpha"})


def test_sign_in_with_roles_in_two_organisations_lands_on_the_choice(client, tenant_a):
    other = make_tenant("bravo", "Bravo Homes")
    OrganisationRole.objects.create(user=tenant_a.officer, organisation=other.org, role=Role.BOARD)
    response = _sign_in(client, tenant_a.officer.email)
    assert response["Location"] == reverse("home")


def test_a_next_address_still_wins_over_the_organisation(client, tenant_a):
    target = reverse("meetings:next", kwargs={"org_slug": "alpha"})
    response = client.post(
        reverse("account_login") + f"?next={target}",
        {"login": tenant_a.member.email, "password": PASSWORD, "next": target},
    )
    assert response["Location"] == target


# --- Apologies withdrawn until the meeting starts -------------------------------------------


@pytest.fixture
def sent(panel_with):  # noqa: F811
    setup = panel_with("hfh", chair=1, resident=3)
    meeting = schedule(
        setup,
        datetime.date(2026, 12, 10),
        start_time=datetime.time(10),
        today=datetime.date(2026, 11, 30),
    )
    seat = setup.residents[0]
    services.apologies_send(
        meeting=meeting, membership=seat, reason="Hospital", today=datetime.date(2026, 11, 30)
    )
    return setup, meeting, seat


def test_apologies_are_withdrawn_before_the_start_with_an_audit_row(sent):
    _setup, meeting, seat = sent
    just_before = datetime.datetime(2026, 12, 10, 9, 59, tzinfo=LONDON)
    services.apologies_withdraw(meeting=meeting, membership=seat, now=just_before)
    assert not Attendance.objects.filter(meeting=meeting, membership=seat).exists()
    assert AuditEntry.objects.filter(action="attendance.apologies_withdrawn").count() == 1


def test_apologies_cannot_be_withdrawn_once_the_meeting_has_started(sent):
    _setup, meeting, seat = sent
    at_start = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=LONDON)
    with pytest.raises(RuleViolation) as exc:
        services.apologies_withdraw(meeting=meeting, membership=seat, now=at_start)
    assert exc.value.reasons[0].code == "apologies.started"
    line = Attendance.objects.get(meeting=meeting, membership=seat)
    assert line.status == AttendanceStatus.APOLOGIES


def test_withdrawing_without_apologies_is_refused(sent):
    setup, meeting, _seat = sent
    with pytest.raises(RuleViolation) as exc:
        services.apologies_withdraw(
            meeting=meeting,
            membership=setup.residents[1],
            now=datetime.datetime(2026, 12, 1, tzinfo=LONDON),
        )
    assert exc.value.reasons[0].code == "apologies.none"


# --- Help and contact -----------------------------------------------------------------------


def test_every_organisation_page_links_to_help_with_the_officer_contact(client, tenant_a):
    organisation_contact_update(
        org=tenant_a.org,
        by=tenant_a.officer,
        contact_name="Jo Smith, Engagement Officer",
        contact_email="jo@alpha.example",
        contact_phone="0161 496 0001",
        postal_address="1 High Street\nStockport",
    )
    landing = client.get(reverse("panels:landing", kwargs={"org_slug": "alpha"})).content.decode()
    help_url = reverse("panels:help", kwargs={"org_slug": "alpha"})
    assert f'href="{help_url}"' in landing
    page = client.get(help_url).content.decode()
    for text in ("Jo Smith, Engagement Officer", "mailto:jo@alpha.example", "0161 496 0001"):
        assert text in page
    assert "1 High Street<br>Stockport" in page
    assert AuditEntry.objects.filter(action="organisation.contact_changed").count() == 1


def test_officers_set_the_contact_details_and_members_cannot(client_as, tenant_a):
    url = reverse("panels:organisation_contact", kwargs={"org_slug": "alpha"})
    data = {"contact_name": "Team", "contact_email": "team@alpha.example"}
    assert client_as(tenant_a.member).post(url, data).status_code == 403
    response = client_as(tenant_a.officer).post(url, data)
    assert response.status_code == 302
    assert Organisation.objects.get(slug="alpha").contact_email == "team@alpha.example"


def test_password_reset_offers_a_real_contact_route(client, tenant_a):
    body = client.get(reverse("account_reset_password")).content.decode()
    assert reverse("panels:help", kwargs={"org_slug": "alpha"}) in body
    assert re.search(r"<title>Reset your password · PanelHub</title>", body)


def test_titles_name_the_page_the_organisation_and_the_service(client, tenant_a):
    body = client.get(reverse("panels:landing", kwargs={"org_slug": "alpha"})).content.decode()
    assert "<title>Home · Alpha Housing · PanelHub</title>" in body


# --- "Going out in the next 7 days": per occasion, today to today + 7 -----------------------


def _notice(org, n, *, due_at, title="Papers for 11 January", channel="email"):
    from django.contrib.contenttypes.models import ContentType

    from notices.models import Notice, NoticeStatus

    return Notice.objects.create(
        organisation=org,
        kind="papers_issued",
        subject_type=ContentType.objects.get_for_model(Organisation),
        subject_id=org.pk,
        dedupe_key=f"test:{title}:{n}:{due_at.isoformat()}",
        recipient_name=f"Person {n}",
        channel=channel,
        title=title,
        body="-",
        due_at=due_at,
        next_attempt_at=due_at,
        status=NoticeStatus.PENDING,
    )


def test_due_soon_is_one_line_per_occasion_from_today_to_a_week_ahead(tenant_a):
    from notices.selectors import due_soon_by_occasion

    now = datetime.datetime(2026, 11, 30, 12, tzinfo=LONDON)
    at = datetime.datetime(2026, 12, 3, 9, tzinfo=LONDON)
    for n in range(10):
        _notice(tenant_a.org, n, due_at=at, channel="post" if n < 2 else "email")
    _notice(tenant_a.org, 20, due_at=datetime.datetime(2026, 10, 26, 9, tzinfo=LONDON), title="Old")
    _notice(
        tenant_a.org, 21, due_at=datetime.datetime(2026, 12, 7, 23, tzinfo=LONDON), title="Edge"
    )
    _notice(
        tenant_a.org, 22, due_at=datetime.datetime(2026, 12, 8, 0, 1, tzinfo=LONDON), title="Late"
    )
    lines = due_soon_by_occasion(org=tenant_a.org, now=now)
    assert [(line.title, line.recipients) for line in lines] == [
        ("Papers for 11 January", 10),
        ("Edge", 1),
    ]
    assert (lines[0].by_email, lines[0].by_post) == (8, 2)
    assert lines[0].due_on == datetime.date(2026, 12, 3)


# --- "Paid by: Not chosen": the member chooses ------------------------------------------------


def test_a_member_chooses_how_they_are_paid_among_the_tor_methods(client_as, tenant_a):
    from members.models import Membership, Person
    from tests.meetings.conftest import make_terms

    make_terms(tenant_a.org, tenant_a.panel, "stockport")  # BACS or vouchers, remuneration
    person = Person.objects.create(
        organisation=tenant_a.org, first_name="Pat", last_name="Paid", user=tenant_a.member
    )
    Membership.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        person=person,
        role="resident",
        starts_on=datetime.date(2025, 1, 1),
    )
    client = client_as(tenant_a.member)
    mine = reverse("members:mine", kwargs={"org_slug": "alpha"})
    page = client.get(mine).content.decode()
    assert "Choose how you are paid" in page and 'value="bacs"' in page
    url = reverse("members:payment_method", kwargs={"org_slug": "alpha"})
    refused = client.post(url, {"payment_method": "cash"}, follow=True).content.decode()
    assert "terms of reference allow BACS transfer or Vouchers" in refused
    client.post(url, {"payment_method": "bacs"})
    person.refresh_from_db()
    assert person.payment_method == "bacs"
    assert "Change how you are paid" in client.get(mine).content.decode()
