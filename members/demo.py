"""Demo residents and their seats on each organisation's main panel. Idempotent."""

import datetime

from members.models import (
    Application,
    ChairPeriod,
    Membership,
    Person,
    SeatRole,
    TenureType,
    TrainingKind,
    TrainingRecord,
    Vacancy,
)
from panels import rules
from panels.demo import DEMO_ORGANISATIONS, demo_email, main_panel
from panels.models import Organisation, Role, User
from panels.selectors import terms_in_force
from panels.tenancy import org_scope

FIRST_NAMES = [
    "Aisha",
    "Brian",
    "Carol",
    "Declan",
    "Edith",
    "Farid",
    "Grace",
    "Harold",
    "Imran",
    "Joan",
    "Kwame",
    "Linda",
    "Mohammed",
    "Norma",
    "Owen",
]
LAST_NAMES = [
    "Ahmed",
    "Barker",
    "Clarke",
    "Doyle",
    "Evans",
    "Fletcher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kaur",
    "Lewis",
    "Murphy",
    "Nolan",
    "O'Brien",
]
# How many seats each demo panel starts with (within every ToR's range).
DEMO_SEATS = {"helena": 11, "hfh": 13, "ivh": 8, "tht": 12, "stockport": 9}


def seed() -> None:
    for spec in DEMO_ORGANISATIONS:
        org = Organisation.objects.get(slug=spec.slug)
        with org_scope(org):
            _seed_panel(org, spec.slug)


def _seed_panel(org: Organisation, slug: str) -> None:
    panel = main_panel(org)
    member_user = User.objects.get(email=demo_email(slug, Role.MEMBER))
    for index in range(DEMO_SEATS[slug]):
        email = f"{FIRST_NAMES[index].lower()}.{index}@{slug}.residents.demo"
        is_demo_member = index == 2
        person, _ = Person.objects.get_or_create(
            organisation=org,
            email=demo_email(slug, Role.MEMBER) if is_demo_member else email,
            defaults={
                "first_name": FIRST_NAMES[index],
                "last_name": LAST_NAMES[(index * 7 + len(slug)) % len(LAST_NAMES)],
                "user": member_user if is_demo_member else None,
                "tenure_type": TenureType.LEASEHOLDER if index == 5 else TenureType.TENANT,
                "household_reference": f"{slug.upper()}-{1000 + index}",
                "address": f"{index + 1} Example Street\nDemo Town",
                "postcode": f"DE{index + 1} 1AA",
                "date_of_birth": datetime.date(1950 + index * 3, 1 + index % 12, 1 + index),
                "customer_since": datetime.date(2010, 4, 1),
                "preferred_channel": "post" if index % 4 == 3 else "email",
            },
        )
        role = {0: SeatRole.CHAIR, 1: SeatRole.VICE_CHAIR}.get(index, SeatRole.RESIDENT)
        starts_on = datetime.date(2023 + index % 3, 4, 1)
        terms = terms_in_force(panel=panel, on=starts_on) or terms_in_force(
            panel=panel, on=datetime.date(2026, 1, 1)
        )
        membership, _ = Membership.objects.get_or_create(
            organisation=org,
            panel=panel,
            person=person,
            defaults={
                "role": role,
                "starts_on": starts_on,
                "first_started_on": starts_on,
                "term_ends_on": rules.term_end(terms=terms, starts_on=starts_on) if terms else None,
            },
        )
        if role in (SeatRole.CHAIR, SeatRole.VICE_CHAIR):
            ChairPeriod.objects.get_or_create(
                organisation=org,
                membership=membership,
                role=role,
                defaults={"starts_on": starts_on},
            )
        TrainingRecord.objects.get_or_create(
            organisation=org,
            person=person,
            kind=TrainingKind.INDUCTION,
            defaults={"title": "Induction", "completed_on": starts_on},
        )
        if index % 2 == 0:
            TrainingRecord.objects.get_or_create(
                organisation=org,
                person=person,
                kind=TrainingKind.CORE,
                defaults={"title": "Core training", "completed_on": starts_on},
            )
    _seed_recruitment(org, slug, panel)


def _seed_recruitment(org: Organisation, slug: str, panel) -> None:
    vacancy, _ = Vacancy.objects.get_or_create(
        organisation=org,
        panel=panel,
        title="Resident member",
        defaults={
            "opens_on": datetime.date(2026, 1, 5),
            "closes_on": datetime.date(2026, 12, 31),
            "description": "We are looking for residents to join the panel.",
        },
    )
    applicant, _ = Person.objects.get_or_create(
        organisation=org,
        email=f"applicant@{slug}.residents.demo",
        defaults={
            "first_name": "Olu",
            "last_name": "Applicant",
            "tenure_type": TenureType.TENANT,
            "household_reference": f"{slug.upper()}-9000",
            "date_of_birth": datetime.date(1985, 6, 1),
            "customer_since": datetime.date(2015, 1, 1),
        },
    )
    Application.objects.get_or_create(
        organisation=org,
        panel=panel,
        person=applicant,
        defaults={
            "vacancy": vacancy,
            "submitted_on": datetime.date(2026, 2, 1),
            "channel": Application.Channel.PUBLIC,
            "statement": "I want to help improve repairs.",
        },
    )
