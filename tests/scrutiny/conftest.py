"""Scrutiny fixtures: a THT-like panel (three reviews a year, written Board responses,
a two-step escalation path) and an HFH-like rule (champions of at most two priorities)."""

import datetime
from decimal import Decimal

import pytest

from members.models import Person
from panels.models import TermsOfReference
from scrutiny import services

TODAY = datetime.date(2026, 11, 23)
ESCALATION_STEPS = [
    "The Chair of the Panel requests a meeting with the Chair of the Board or the Chief "
    "Executive to discuss the decision and reach a mutual agreement.",
    "If still unresolved, the Chair of the Panel discusses it with the regulator.",
]


@pytest.fixture
def terms_a(tenant_a):
    return TermsOfReference.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        version=1,
        title="Quality and Insight Panel terms of reference",
        effective_from=datetime.date(2025, 1, 1),
        reports_to="Board",
        board_responds_in_writing=True,
        scrutiny_reviews_per_year=3,
        escalation_steps=ESCALATION_STEPS,
        champion_max_priorities=2,
    )


def seat_member_on_panel(tenant) -> None:
    """Give the tenant's member user a current seat on its panel (evidence is for the
    panel's own members)."""
    from members.models import Membership

    person = Person.objects.create(
        organisation=tenant.org, first_name="Mia", last_name="Member", user=tenant.member
    )
    Membership.objects.create(
        organisation=tenant.org,
        panel=tenant.panel,
        person=person,
        starts_on=datetime.date(2025, 1, 1),
    )


@pytest.fixture
def people_a(tenant_a):
    return [
        Person.objects.create(organisation=tenant_a.org, first_name=name, last_name="Resident")
        for name in ("Aisha", "Brian", "Carol")
    ]


@pytest.fixture
def make_measure(tenant_a):
    def make(name="Repairs satisfaction", **extra):
        values = {
            "target": Decimal("80"),
            "tolerance": Decimal("5"),
            "polarity": "higher",
            "period": "quarter",
        }
        values.update(extra)
        return services.measure_create(
            panel=tenant_a.panel, by=tenant_a.officer, name=name, **values
        )

    return make
