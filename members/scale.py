"""Landlord-sized data (members layer): people, their seats, sign-ins and records.

Each panel gets its share of the ``--members`` total as people with a seat: as many current
seats as the terms of reference allow (its maximum, or 15 where none is stated), the rest
as seats that ended during the history. Every current member has a sign-in. Eligibility
facts follow the ToR: tenures from its eligible list within its caps (THT: at most two
leaseholders), adults where it sets a minimum age, one household per person, core training
before the seat where it is required, a signed code of conduct and a completed recruitment.
"""

from __future__ import annotations

import datetime

from members.models import (
    Application,
    ApplicationStatus,
    Channel,
    ConductSignature,
    Membership,
    MembershipEvent,
    MembershipEventKind,
    MembershipStatus,
    PaymentMethod,
    Person,
    SeatRole,
    TenureType,
    TrainingKind,
    TrainingRecord,
)
from panels import rules
from panels.models import Organisation, OrganisationRole, Panel, Role, TermsOfReference, User
from panels.scale import ScalePlan, bulk, record_verified_addresses, scale_email

FIRST_NAMES = (
    "Aisha", "Ben", "Carol", "Dev", "Eileen", "Frank", "Grace", "Harjit", "Imran", "Joan",
    "Kofi", "Linda", "Mohammed", "Norma", "Owen", "Priya", "Raymond", "Sandra", "Tariq",
    "Ursula", "Vera", "Wayne", "Yvonne", "Zainab", "Alan", "Beryl", "Colin", "Dorothy",
    "Errol", "Fatima", "Gordon", "Hazel", "Ian", "Janet", "Kevin", "Lorraine", "Malcolm",
)  # fmt: skip
LAST_NAMES = (
    "Ahmed", "Bennett", "Clarke", "Davies", "Evans", "Foster", "Green", "Hughes", "Iqbal",
    "Jones", "Khan", "Lewis", "Morris", "Nowak", "O'Brien", "Patel", "Quinn", "Roberts",
    "Singh", "Taylor", "Usman", "Walker", "Wright", "Young", "Begum", "Campbell", "Doyle",
)  # fmt: skip
STREETS = ("Mill Lane", "Church Street", "Park Road", "Station Road", "Victoria Way", "Elm Close")
DEFAULT_MAX_SEATS = 15
# Synthetic volume, not a rule: the span of a current seat's term to generate where the ToR
# states no term (the rules answer "no term" for it).
TERM_DAYS_WHERE_NOT_STATED = 3 * 365
CONDUCT_VERSION = "2024"


def seed_org(plan: ScalePlan, org: Organisation, org_index: int) -> None:
    rng = plan.rng("members", org_index)
    panels = list(Panel.objects.for_org(org).order_by("id"))
    terms_of = {
        t.panel_id: t for t in TermsOfReference.objects.for_org(org).filter(panel__in=panels)
    }
    first_panel = sum(plan.panels_of(i) for i in range(org_index))
    people, seats = [], []  # seats: (person index, panel, terms, role, status, starts, ends)
    for p, panel in enumerate(panels):
        terms = terms_of[panel.pk]
        total = plan.share(plan.members, first_panel + p, plan.panels)
        current = min(total, terms.max_members or DEFAULT_MAX_SEATS)
        leaseholders = 0
        for s in range(total):
            is_current = s < current
            tenure = _tenure(rng, terms, leaseholders)
            leaseholders += tenure == TenureType.LEASEHOLDER
            people.append(_person(rng, plan, org, len(people), tenure))
            seats.append(_seat(rng, plan, len(people) - 1, panel, terms, s, is_current))
    people = bulk(Person, people)
    _seed_sign_ins(plan, org, people, seats)
    memberships = bulk(
        Membership,
        [
            Membership(
                organisation=org,
                panel=panel,
                person=people[i],
                role=role,
                status=status,
                starts_on=starts,
                term_number=1,
                term_ends_on=_add_years(starts, terms.term_years) if terms.term_years else None,
                ended_on=ended,
                first_started_on=starts,
            )
            for i, panel, terms, role, status, starts, ended in seats
        ],
    )
    events, training, signatures, applications = [], [], [], []
    for seat, membership in zip(seats, memberships, strict=True):
        i, panel, terms, _role, status, starts, ended = seat
        person = people[i]
        events.append(
            MembershipEvent(
                organisation=org,
                membership=membership,
                kind=MembershipEventKind.APPOINTED,
                on=starts,
                decided_by="Selection panel",
            )
        )
        if ended:
            events.append(
                MembershipEvent(
                    organisation=org,
                    membership=membership,
                    kind=MembershipEventKind.STEPPED_DOWN
                    if status == MembershipStatus.STEPPED_DOWN
                    else MembershipEventKind.TERM_ENDED,
                    on=ended,
                )
            )
        training.append(
            TrainingRecord(
                organisation=org,
                person=person,
                kind=TrainingKind.CORE,
                title="Core training for panel members",
                completed_on=starts - datetime.timedelta(days=rng.randint(7, 40)),
            )
        )
        if terms.code_of_conduct_required:
            signatures.append(
                ConductSignature(
                    organisation=org,
                    person=person,
                    panel=panel,
                    version=CONDUCT_VERSION,
                    signed_on=starts,
                )
            )
        applications.append(
            Application(
                organisation=org,
                panel=panel,
                person=person,
                seat_role=SeatRole.RESIDENT,
                submitted_on=starts - datetime.timedelta(days=rng.randint(50, 90)),
                channel=Application.Channel.PUBLIC,
                statement="I want to help improve services for residents like me.",
                status=ApplicationStatus.APPOINTED,
                decided_on=starts,
                membership=membership,
            )
        )
    bulk(MembershipEvent, events)
    bulk(TrainingRecord, training)
    bulk(ConductSignature, signatures)
    bulk(Application, applications)


def _tenure(rng, terms: TermsOfReference, leaseholders: int) -> str:
    allowed = list(terms.eligible_tenures or [TenureType.TENANT, TenureType.LEASEHOLDER])
    cap = (terms.tenure_caps or {}).get(TenureType.LEASEHOLDER)
    if cap is not None and leaseholders >= cap and TenureType.LEASEHOLDER in allowed:
        allowed.remove(TenureType.LEASEHOLDER)
    # Most panel members are tenants, where tenants may sit.
    if TenureType.TENANT in allowed and rng.random() < 0.75:
        return TenureType.TENANT
    return rng.choice(allowed)


def _person(rng, plan: ScalePlan, org: Organisation, n: int, tenure: str) -> Person:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    by_post = rng.random() < 0.15
    born = plan.base_date - datetime.timedelta(days=365 * rng.randint(19, 84) + rng.randint(0, 364))
    return Person(
        organisation=org,
        first_name=first,
        last_name=last,
        email=scale_email(org.slug, f"member{n + 1}"),
        phone=f"07700 9{rng.randint(0, 99999):05d}",
        preferred_channel=Channel.POST if by_post else Channel.EMAIL,
        address=f"{rng.randint(1, 180)} {rng.choice(STREETS)}\n{org.short_name}",
        postcode=f"M{rng.randint(1, 40)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        date_of_birth=born,
        tenure_type=tenure,
        household_reference=f"HH-{org.pk}-{n + 1:05d}",  # one household each
        customer_since=born + datetime.timedelta(days=365 * 18 + rng.randint(0, 3000)),
        payment_method=PaymentMethod.BACS if rng.random() < 0.5 else PaymentMethod.VOUCHERS,
    )


def _seat(rng, plan: ScalePlan, person_index: int, panel, terms, s: int, is_current: bool):
    """(person index, panel, terms, role, status, starts_on, ended_on) of one seat."""
    span = (plan.base_date - plan.first_day).days
    if is_current:
        # Current seats started before or during the history and run past the base date.
        term_ends = rules.term_end(terms=terms, starts_on=plan.base_date)
        term_days = (
            (term_ends - plan.base_date).days + 1 if term_ends else TERM_DAYS_WHERE_NOT_STATED
        )
        starts = plan.base_date - datetime.timedelta(days=rng.randint(30, max(31, term_days - 60)))
        status, ended = MembershipStatus.ACTIVE, None
    else:
        starts = plan.first_day - datetime.timedelta(days=rng.randint(0, 700))
        ended = plan.first_day + datetime.timedelta(days=rng.randint(60, max(61, span - 60)))
        status = rng.choice((MembershipStatus.TERM_ENDED, MembershipStatus.STEPPED_DOWN))
    role = SeatRole.RESIDENT
    if is_current and s == 0:
        role = SeatRole.CHAIR
    elif is_current and s == 1:
        role = SeatRole.VICE_CHAIR
    elif is_current and s == 2 and SeatRole.ASSOCIATE in (terms.non_voting_roles or []):
        role = SeatRole.ASSOCIATE
    return (person_index, panel, terms, role, status, starts, ended)


def _seed_sign_ins(plan: ScalePlan, org: Organisation, people: list[Person], seats) -> None:
    """A sign-in for every member with a current seat, email ``member<n>@<org>...``."""
    current = [people[i] for i, *_rest, ended in seats if ended is None]
    users = bulk(
        User,
        [
            User(
                email=person.email,
                first_name=person.first_name,
                last_name=person.last_name,
                password=plan.password_hash,
            )
            for person in current
        ],
    )
    record_verified_addresses(users)
    for person, user in zip(current, users, strict=True):
        person.user = user
    Person.objects.bulk_update(current, ["user"], batch_size=1000)
    bulk(
        OrganisationRole,
        [OrganisationRole(user=user, organisation=org, role=Role.MEMBER) for user in users],
    )


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
