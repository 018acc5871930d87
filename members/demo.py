"""Demo residents, their seats on each organisation's main panel and the records officers
keep about them. Idempotent: get_or_create on natural keys."""

import datetime
from decimal import Decimal

from django.utils import timezone

from members import services
from members.models import (
    CURRENT_STATUSES,
    Application,
    ApplicationStatus,
    ChairPeriod,
    ConductSignature,
    Declaration,
    DeclarationKind,
    ExpenseClaim,
    InterestDeclaration,
    LeaveOfAbsence,
    MemberReview,
    Membership,
    MembershipStatus,
    Person,
    Removal,
    ReviewKind,
    SeatRole,
    TenureType,
    TrainingKind,
    TrainingRecord,
    Vacancy,
)
from panels import rules
from panels.demo import DEMO_ORGANISATIONS, demo_email, main_panel
from panels.errors import RuleViolation
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


# Staggered first days: every demo term is current, and a third of the seats reach the
# end of their first term on 30 November 2026, so term-ending flags and notices show.
DEMO_SEAT_STARTS = (
    datetime.date(2023, 12, 1),
    datetime.date(2024, 4, 1),
    datetime.date(2025, 4, 1),
)


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
        starts_on = DEMO_SEAT_STARTS[index % len(DEMO_SEAT_STARTS)]
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
    _seed_records(org, slug, panel)
    _seed_current_leave(org, slug, panel)
    _seed_awaiting_training(org, slug, panel)


# Relative to the day the demo is seeded, so the notices app's reminders show; keyed by the
# reason (not the dates) so seeding again, on any day, changes nothing.
DEMO_LEAVE_REASON = "Recovering from an operation (demo leave ending soon)."
DEMO_LEAVE_STARTED_DAYS_AGO = 45
DEMO_LEAVE_ENDS_IN_DAYS = 20
DEMO_TRAINEE_EMAIL = "trainee@{slug}.residents.demo"
DEMO_TRAINEE_STARTED_DAYS_AGO = 35  # past the notices app's four-week chase to officers


def _seed_current_leave(org: Organisation, slug: str, panel) -> None:
    """One current leave of absence ending within the next month, where the ToR allows it
    (every demo ToR does: only Stockport states a maximum, six months), granted through the
    service so the seat is on leave with its history and audit rows."""
    if LeaveOfAbsence.objects.for_org(org).filter(reason=DEMO_LEAVE_REASON).exists():
        return
    seat = (
        Membership.objects.for_org(org)
        .filter(
            panel=panel,
            status=MembershipStatus.ACTIVE,
            role=SeatRole.RESIDENT,
            person__email=f"{FIRST_NAMES[4].lower()}.4@{slug}.residents.demo",
        )
        .first()
    )
    if seat is None:
        return
    today = timezone.localdate()
    try:
        services.leave_grant(
            membership=seat,
            starts_on=today - datetime.timedelta(days=DEMO_LEAVE_STARTED_DAYS_AGO),
            ends_on=today + datetime.timedelta(days=DEMO_LEAVE_ENDS_IN_DAYS),
            reason=DEMO_LEAVE_REASON,
            today=today,
        )
    except RuleViolation:
        return  # the ToR does not allow it: no demo leave


def _seed_awaiting_training(org: Organisation, slug: str, panel) -> None:
    """Where the ToR says no one is active before core training (Stockport), one newly
    appointed seat still waiting for it, appointed through the service."""
    today = timezone.localdate()
    terms = terms_in_force(panel=panel, on=today)
    if terms is None or not terms.training_before_active:
        return
    person, _ = Person.objects.get_or_create(
        organisation=org,
        email=DEMO_TRAINEE_EMAIL.format(slug=slug),
        defaults={
            "first_name": "Sam",
            "last_name": "Newcombe",
            "tenure_type": TenureType.TENANT,
            "household_reference": f"{slug.upper()}-7000",
            "address": "70 Example Street\nDemo Town",
            "postcode": "DE70 1AA",
            "date_of_birth": datetime.date(1991, 3, 14),
            "customer_since": datetime.date(2016, 9, 1),
        },
    )
    if Membership.objects.for_org(org).filter(panel=panel, person=person).exists():
        return
    starts_on = today - datetime.timedelta(days=DEMO_TRAINEE_STARTED_DAYS_AGO)
    application, _ = Application.objects.get_or_create(
        organisation=org,
        panel=panel,
        person=person,
        defaults={
            "submitted_on": starts_on - datetime.timedelta(days=30),
            "channel": Application.Channel.PUBLIC,
            "statement": "I want residents' views heard on repairs.",
            "status": ApplicationStatus.SELECTED,
            "outcome_reasons": "Selected after the informal interview.",
            "decided_on": starts_on - datetime.timedelta(days=7),
        },
    )
    try:
        services.membership_appoint(
            panel=panel,
            person=person,
            starts_on=starts_on,
            application=application,
            reason="Selected after interview; core training booked.",
        )
    except RuleViolation:
        return


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


def _receipt_pdf() -> bytes:
    """A one-page PDF standing in for a scanned bus ticket (receipts must be PDF or pictures)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=120)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _seed_records(org: Organisation, slug: str, panel) -> None:
    """One row of each record officers keep (so every page has something to show and the
    isolation walk can visit it): a past declaration, an interest, a returned leave, a
    former member removed, a signature, a review where the ToR provides one, an expense."""
    from django.core.files.base import ContentFile

    seats = list(
        Membership.objects.for_org(org)
        .filter(panel=panel, status__in=CURRENT_STATUSES)
        .select_related("person")
        .order_by("starts_on", "id")
    )
    first, demo_member = (
        seats[0],
        next((s for s in seats if s.person.user_id is not None), seats[0]),
    )
    Declaration.objects.get_or_create(
        organisation=org,
        person=first.person,
        kind=DeclarationKind.ON_OTHER_BOARD,
        applies_from=datetime.date(2021, 5, 1),
        defaults={
            "applies_until": datetime.date(2022, 12, 31),
            "note": "Sat on a housing co-operative board until it wound up.",
            "recorded_on": datetime.date(2023, 3, 1),
            "self_declared": True,
        },
    )
    InterestDeclaration.objects.get_or_create(
        organisation=org,
        person=first.person,
        interest="Relative works for the repairs contractor.",
        defaults={"declared_on": first.starts_on},
    )
    ConductSignature.objects.get_or_create(
        organisation=org,
        person=demo_member.person,
        panel=panel,
        version="2023",
        defaults={"signed_on": demo_member.starts_on},
    )
    LeaveOfAbsence.objects.get_or_create(
        organisation=org,
        membership=demo_member,
        starts_on=datetime.date(2025, 2, 1),
        defaults={
            "ends_on": datetime.date(2025, 4, 30),
            "returned_on": datetime.date(2025, 4, 1),
            "reason": "Caring for a relative.",
        },
    )
    terms = terms_in_force(panel=panel, on=datetime.date(2025, 1, 1))
    if terms is not None and (terms.skills_audit or terms.annual_member_review):
        MemberReview.objects.get_or_create(
            organisation=org,
            membership=demo_member,
            kind=ReviewKind.ANNUAL_REVIEW
            if terms.annual_member_review
            else ReviewKind.SKILLS_AUDIT,
            held_on=datetime.date(2025, 9, 15),
            defaults={
                "contributions": "Led the review of repairs communications.",
                "training_needs": "Reading performance data.",
            },
        )
    claim, created = ExpenseClaim.objects.get_or_create(
        organisation=org,
        membership=demo_member,
        description="Bus fares to the panel meeting",
        defaults={"incurred_on": datetime.date(2026, 1, 20), "amount": Decimal("5.60")},
    )
    if created:
        claim.receipt_name = "bus-ticket.pdf"
        claim.receipt.save("bus-ticket.pdf", ContentFile(_receipt_pdf()), save=True)
    former, _ = Person.objects.get_or_create(
        organisation=org,
        email=f"former@{slug}.residents.demo",
        defaults={
            "first_name": "Pat",
            "last_name": "Former",
            "tenure_type": TenureType.TENANT,
            "household_reference": f"{slug.upper()}-8000",
            "date_of_birth": datetime.date(1960, 2, 2),
            "customer_since": datetime.date(2005, 1, 1),
        },
    )
    removed, _ = Membership.objects.get_or_create(
        organisation=org,
        panel=panel,
        person=former,
        defaults={
            "status": MembershipStatus.REMOVED,
            "starts_on": datetime.date(2022, 4, 1),
            "first_started_on": datetime.date(2022, 4, 1),
            "ended_on": datetime.date(2024, 6, 30),
        },
    )
    Removal.objects.get_or_create(
        organisation=org,
        membership=removed,
        defaults={
            "decided_on": datetime.date(2024, 6, 30),
            "reason": "Repeated breaches of the code of conduct at meetings.",
            "appeal_to": terms.removal_appeal_to if terms else "",
            "appeal_final": terms.removal_appeal_final if terms else False,
        },
    )
