"""Demo residents and their seats on each organisation's main panel. Idempotent."""

import datetime

from members.models import Membership, Person, SeatRole, TenureType
from panels.demo import DEMO_ORGANISATIONS, demo_email, main_panel
from panels.models import Organisation, Role, User
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
        Membership.objects.get_or_create(
            organisation=org,
            panel=panel,
            person=person,
            defaults={"role": role, "starts_on": starts_on},
        )
