"""Fixtures for the notices tests: a panel with ToR and seats, and a clock."""

import datetime

import pytest

from members.models import Membership, Person
from panels.models import (
    DeadlineRule,
    Organisation,
    OrganisationRole,
    Panel,
    Role,
    TermsOfReference,
    User,
)
from panels.seed_terms import seed_terms


@pytest.fixture
def terms_a(tenant_a):
    """Tenant A's panel under terms like Helena's: papers and minutes by post, 7 days."""
    terms = TermsOfReference.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        version=1,
        title="Alpha terms",
        effective_from=datetime.date(2020, 1, 1),
        review_due_on=datetime.date(2030, 6, 1),
        cadence="quarterly",
    )
    for kind, amount, unit, direction, channel in [
        ("papers_out", 7, "days", "before", "post"),
        ("minutes_out", 7, "days", "after", "post"),
    ]:
        DeadlineRule.objects.create(
            organisation=tenant_a.org,
            terms=terms,
            kind=kind,
            amount=amount,
            unit=unit,
            direction=direction,
            channel=channel,
        )
    return terms


def make_person(org, n, *, email=True, address=True, user=None, channel="email"):
    return Person.objects.create(
        organisation=org,
        first_name=f"Resident{n}",
        last_name="Test",
        email=f"resident{n}@example.org" if email else "",
        address=f"{n} High Street\nTown" if address else "",
        postcode="AB1 2CD" if address else "",
        preferred_channel=channel,
        user=user,
    )


def make_seat(org, panel, person, *, term_ends_on=None, starts_on=datetime.date(2024, 1, 1)):
    return Membership.objects.create(
        organisation=org,
        panel=panel,
        person=person,
        starts_on=starts_on,
        term_ends_on=term_ends_on,
    )


# The seeded terms of reference (panels/seed_terms.py) of each organisation's main panel.
SEEDED_PANELS = {
    "hfh": "customer-core-group",
    "helena": "customer-excellence-panel",
    "ivh": "customer-offer-panel",
    "tht": "quality-and-insight-panel",
    "stockport": "aspire-customer-panel",
}


@pytest.fixture
def seeded_panel():
    """An organisation with its real ToR v1, an officer, a Board member and three seats."""

    def make(slug, *, seats=3):
        org = Organisation.objects.create(slug=slug, name=slug.upper())
        panel = Panel.objects.create(
            organisation=org, slug=SEEDED_PANELS[slug], name=f"{slug} panel"
        )
        seed_terms(org)
        officer = User.objects.create_user(email=f"officer@{slug}.test", password="x")
        OrganisationRole.objects.create(user=officer, organisation=org, role=Role.OFFICER)
        board = User.objects.create_user(email=f"board@{slug}.test", password="x")
        OrganisationRole.objects.create(user=board, organisation=org, role=Role.BOARD)
        for n in range(seats):
            make_seat(org, panel, make_person(org, n), starts_on=datetime.date(2020, 1, 1))
        return org, panel, officer

    return make
