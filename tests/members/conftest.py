"""Organisations with their real terms of reference (panels.seed_terms), and people."""

import datetime
import itertools

import pytest

from members.models import Membership, Person
from panels.models import Organisation, OrganisationRole, Panel, Role, User
from panels.seed_terms import TERMS, seed_terms

ORG_PANELS = dict(TERMS.keys())
TODAY = datetime.date(2026, 6, 1)
_counter = itertools.count()


class OrgWithTerms:
    def __init__(self, slug: str):
        self.org = Organisation.objects.create(slug=slug, name=f"{slug.upper()} Homes")
        self.panel = Panel.objects.create(
            organisation=self.org, slug=ORG_PANELS[slug], name=f"{slug.upper()} panel"
        )
        seed_terms(self.org)
        self.terms = self.panel.terms_versions.get()
        self.officer = self._user(Role.OFFICER)
        self.member_user = self._user(Role.MEMBER)

    def _user(self, role):
        user = User.objects.create_user(email=f"{role}@{self.org.slug}.test", password="x")
        OrganisationRole.objects.create(user=user, organisation=self.org, role=role)
        return user

    def person(self, **extra) -> Person:
        n = next(_counter)
        values = {
            "first_name": f"P{n}",
            "last_name": "Resident",
            "email": f"p{n}@{self.org.slug}.test",
            "date_of_birth": datetime.date(1970, 1, 1),
            "customer_since": datetime.date(2010, 1, 1),
            "household_reference": f"H{n}",
        }
        values.update(extra)
        return Person.objects.create(organisation=self.org, **values)

    def seat(self, person=None, *, role="resident", starts_on=datetime.date(2025, 4, 1), **extra):
        person = person or self.person()
        return Membership.objects.create(
            organisation=self.org,
            panel=self.panel,
            person=person,
            role=role,
            starts_on=starts_on,
            first_started_on=extra.pop("first_started_on", starts_on),
            **extra,
        )


@pytest.fixture
def make_org(db):
    return OrgWithTerms
