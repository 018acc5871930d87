"""Landlord-sized data for benchmarks: ``manage.py seed_scale`` (panels layer).

The command seeds one organisation at a time, in one transaction each: this module makes
the organisation, its panels, sign-ins and terms of reference (each organisation takes the
shape of one of the five seeded documents, panels/seed_terms.py), then each app above runs
the ``seed_org`` of its own ``scale`` module, in the order of ``panels.demo.DEMO_APPS``,
reading what the layers below made from the database. Everything is bulk inserted.

The same ``seed`` and ``base_date`` give the same rows: every organisation draws from its
own ``random.Random`` (seeded with the seed, the app and the organisation's number), so an
organisation that already exists can be skipped without changing the others. Organisations
are found by slug (``<prefix>-001``...): a second run with the same arguments adds nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from panels.models import (
    ClosureDay,
    DeadlineRule,
    Nation,
    Organisation,
    OrganisationRole,
    Panel,
    Role,
    TermsOfReference,
    User,
)
from panels.seed_terms import TERMS, UNDATED_EFFECTIVE_FROM, _document_text

# Every scale sign-in has this password (printed by the command; loopback benchmarks only).
SCALE_PASSWORD = "panelhub-scale"  # noqa: S105
SCALE_EMAIL_DOMAIN = "scale.panelhub.test"
# Staff sign-ins must pass two-step sign-in (panels.mfa): each gets a TOTP authenticator with
# this secret (base32), so bench/load.py can compute their codes. Benchmark data only.
SCALE_TOTP_SECRET = "PANELHUBSCALETOTP234567ABCDEFGHI"  # noqa: S105
# Rows per INSERT statement; SQLite's parameter limit is handled by Django itself.
BATCH_SIZE = 1000
# Sign-ins per organisation besides the members (who each get their own).
STAFF_SIGN_INS = ((Role.ADMIN, 1), (Role.OFFICER, 2), (Role.BOARD, 2))
# Meetings are planned this far ahead of the base date.
FUTURE_DAYS = 120

PLACES = (
    "Ashford", "Bramley", "Castleton", "Dunmore", "Eastwick", "Fairfield", "Glenbrook",
    "Hartley", "Ingleby", "Jarrow Vale", "Kingsmead", "Longridge", "Marston", "Northgate",
    "Oakham", "Penmore", "Queensbury", "Riverside", "Stonebridge", "Thornbury", "Upton",
    "Westbury", "Yardley", "Ambleside", "Beckford", "Calderbrook", "Denholme", "Elmswell",
)  # fmt: skip
LANDLORD_KINDS = ("Homes", "Housing", "Housing Trust", "Partnerships", "Community Housing")
EXTRA_PANELS = (
    ("repairs-scrutiny-panel", "Repairs Scrutiny Panel"),
    ("complaints-advisory-panel", "Complaints Advisory Panel"),
    ("estates-and-neighbourhoods-panel", "Estates and Neighbourhoods Panel"),
    ("older-residents-forum", "Older Residents Forum"),
    ("young-residents-panel", "Young Residents Panel"),
    ("leaseholder-panel", "Leaseholder Panel"),
    ("building-safety-panel", "Building Safety Panel"),
    ("digital-services-group", "Digital Services Group"),
)
# The five documents' shapes, in a fixed order: organisation n takes SHAPES[n % 5].
SHAPES = tuple(sorted(TERMS.items(), key=lambda item: item[0][0]))


@dataclass(frozen=True)
class ScalePlan:
    """What to make: totals across all organisations, spread as evenly as they divide."""

    orgs: int
    panels: int
    members: int
    years: int
    seed: int
    base_date: datetime.date
    prefix: str = "scale"
    password_hash: str = field(default="", compare=False)

    @property
    def first_day(self) -> datetime.date:
        """The first day of the history: ``years`` before the base date."""
        return self.base_date - datetime.timedelta(days=365 * self.years)

    @property
    def last_day(self) -> datetime.date:
        return self.base_date + datetime.timedelta(days=FUTURE_DAYS)

    def org_slug(self, index: int) -> str:
        return f"{self.prefix}-{index + 1:03d}"

    def share(self, total: int, index: int, parts: int) -> int:
        """Part ``index`` of ``total`` split into ``parts`` near-equal whole parts."""
        return total // parts + (1 if index < total % parts else 0)

    def panels_of(self, org_index: int) -> int:
        return self.share(self.panels, org_index, self.orgs)

    def members_of(self, org_index: int) -> int:
        """Seats of organisation ``org_index``: the members total split by panels."""
        first = sum(self.panels_of(i) for i in range(org_index))
        return sum(
            self.share(self.members, first + p, self.panels)
            for p in range(self.panels_of(org_index))
        )

    def rng(self, app: str, org_index: int) -> random.Random:
        """Each app and organisation draws from its own stream (str seeds are stable)."""
        return random.Random(f"{self.seed}:{app}:{org_index}")


def scale_email(org_slug: str, local: str) -> str:
    return f"{local}@{org_slug}.{SCALE_EMAIL_DOMAIN}"


def shape_of(org_index: int) -> dict:
    """The seeded terms of reference organisation ``org_index`` is built like."""
    return SHAPES[org_index % len(SHAPES)][1]


def main_panel_of(org_index: int) -> tuple[str, str]:
    """(slug, name) of the organisation's first panel: the seeded document's own panel."""
    (_, panel_slug), spec = SHAPES[org_index % len(SHAPES)]
    return panel_slug, spec["title"].replace(" terms of reference", "").replace(" (draft)", "")


def bulk(model, rows: list, **kwargs) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH_SIZE, **kwargs)


def working_day_on_or_after(day: datetime.date, calendar) -> datetime.date:
    return calendar.working_day_on_or_after(day)


def seed_org(plan: ScalePlan, org_index: int) -> Organisation:
    """The organisation, its panels, terms of reference, closure days and staff sign-ins."""
    rng = plan.rng("panels", org_index)
    slug = plan.org_slug(org_index)
    place = PLACES[org_index % len(PLACES)]
    kind = LANDLORD_KINDS[(org_index // len(PLACES) + org_index) % len(LANDLORD_KINDS)]
    org = Organisation.objects.create(
        slug=slug,
        name=f"{place} {kind}"
        + (f" {org_index // len(PLACES) + 1}" if org_index >= len(PLACES) else ""),
        short_name=place,
        nation=Nation.ENGLAND,
    )
    panel_count = plan.panels_of(org_index)
    main_slug, main_name = main_panel_of(org_index)
    extras = rng.sample(EXTRA_PANELS, k=min(len(EXTRA_PANELS), max(0, panel_count - 1)))
    names = [(main_slug, main_name), *extras]
    while len(names) < panel_count:  # more panels than names: numbered area panels
        names.append((f"area-panel-{len(names)}", f"Area Panel {len(names)}"))
    panels = bulk(
        Panel,
        [
            Panel(
                organisation=org,
                slug=panel_slug,
                name=name,
                purpose=f"The {name} scrutinises {place}'s services for its residents.",
                reports_to="Board" if i == 0 else main_name,
            )
            for i, (panel_slug, name) in enumerate(names)
        ],
    )
    _seed_terms(plan, org, panels, org_index)
    # A Christmas shutdown each year: closure days count against working days.
    closures = []
    for year in range(plan.first_day.year, plan.last_day.year + 1):
        for day in (27, 28, 29):
            closures.append(
                ClosureDay(
                    organisation=org, date=datetime.date(year, 12, day), reason="Christmas closure"
                )
            )
    bulk(ClosureDay, closures)
    _seed_staff(plan, org)
    return org


def _seed_terms(plan: ScalePlan, org: Organisation, panels: list[Panel], org_index: int) -> None:
    spec = shape_of(org_index)
    # In force for the whole history, so every meeting is judged by it.
    effective_from = min(plan.first_day, UNDATED_EFFECTIVE_FROM) - datetime.timedelta(days=30)
    text = _document_text(spec["document"])
    versions = []
    for panel in panels:
        terms = TermsOfReference(
            organisation=org,
            panel=panel,
            version=1,
            title=f"{panel.name} terms of reference",
            approved_on=effective_from,
            approved_by="Board",
            effective_from=effective_from,
            review_due_on=(
                effective_from + datetime.timedelta(days=365) if spec.get("review_due_on") else None
            ),
            source_text=text,
            change_note=f"Built like {spec['title']} for the scale benchmark.",
            **spec["values"],
        )
        terms.full_clean(exclude=["panel", "organisation"], validate_unique=False)
        versions.append(terms)
    versions = bulk(TermsOfReference, versions)
    bulk(
        DeadlineRule,
        [
            DeadlineRule(
                organisation=org,
                terms=terms,
                kind=kind,
                amount=amount,
                unit=unit,
                direction=direction,
                channel=channel,
            )
            for terms in versions
            for kind, amount, unit, direction, channel in spec["deadlines"]
        ],
    )


def _seed_staff(plan: ScalePlan, org: Organisation) -> None:
    users, roles = [], []
    for role, count in STAFF_SIGN_INS:
        for n in range(1, count + 1):
            users.append(
                User(
                    email=scale_email(org.slug, f"{role}{n}"),
                    first_name=org.short_name,
                    last_name=f"{Role(role).label} {n}",
                    is_staff=role in (Role.ADMIN, Role.OFFICER),
                    password=plan.password_hash,
                )
            )
            roles.append(role)
    users = bulk(User, users)
    record_verified_addresses(users)
    record_authenticators(users)
    bulk(
        OrganisationRole,
        [
            OrganisationRole(user=user, organisation=org, role=role)
            for user, role in zip(users, roles, strict=True)
        ],
    )


def record_verified_addresses(users: list[User]) -> None:
    """Each sign-in's address as allauth's verified, primary EmailAddress, as an invited
    user who accepted would have it (sign-in requires a verified address)."""
    from allauth.account.models import EmailAddress

    bulk(
        EmailAddress,
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
    )


def record_authenticators(users: list[User]) -> None:
    """A TOTP authenticator with SCALE_TOTP_SECRET for each staff sign-in (officers, admins
    and board members must use two-step sign-in), stored as allauth's TOTP.activate does."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    bulk(
        Authenticator,
        [
            Authenticator(
                user=u, type=Authenticator.Type.TOTP, data={"secret": encrypt(SCALE_TOTP_SECRET)}
            )
            for u in users
        ],
    )


def password_hash() -> str:
    """One hash for every scale sign-in: hashing a thousand passwords one by one would take
    minutes with the production hasher."""
    return make_password(SCALE_PASSWORD)
