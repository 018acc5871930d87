"""Changes to people, seats, recruitment, conduct and money. Every rule comes from
panels.rules and the terms of reference in force on the date concerned."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members import selectors
from members.models import (
    DECLARATION_FACTS,
    SEAT_HOLDING_STATUSES,
    Application,
    ApplicationStatus,
    ChairElection,
    ChairPeriod,
    ConductSignature,
    Declaration,
    DeclarationKind,
    ExpenseClaim,
    ExpenseStatus,
    InterestDeclaration,
    LeaveOfAbsence,
    MemberReview,
    Membership,
    MembershipEvent,
    MembershipEventKind,
    MembershipStatus,
    PapersRead,
    Person,
    RecruitmentStep,
    RecruitmentStepKind,
    Remark,
    Removal,
    RemovalFlag,
    SeatRole,
    TrainingKind,
    TrainingRecord,
    Vacancy,
)
from panels import rules
from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation, raise_if
from panels.models import Panel
from panels.selectors import terms_in_force

MEMBERSHIP_AUDIT_FIELDS = [
    "role",
    "status",
    "starts_on",
    "term_number",
    "term_ends_on",
    "ended_on",
    "first_started_on",
    "rejoin_barred_until",
]


def _terms_or_refuse(*, panel, on: datetime.date):
    terms = terms_in_force(panel=panel, on=on)
    if terms is None:
        raise RuleViolation(
            code="terms.none_in_force",
            message=f"{panel.name} has no terms of reference in force on {on:%d %B %Y}.",
        )
    return terms


def _lock(membership: Membership) -> Membership:
    return (
        Membership.objects.for_org(membership.organisation_id)
        .select_for_update()
        .get(pk=membership.pk)
    )


def _event(
    membership: Membership,
    *,
    kind: str,
    on: datetime.date,
    by=None,
    reason: str = "",
    decided_by: str = "",
    details: dict | None = None,
) -> MembershipEvent:
    return MembershipEvent.objects.create(
        organisation_id=membership.organisation_id,
        membership=membership,
        kind=kind,
        on=on,
        by=by if getattr(by, "is_authenticated", False) else None,
        reason=reason,
        decided_by=decided_by,
        details=details or {},
    )


def _refuse_unless_current(membership: Membership, action: str) -> None:
    if membership.status not in (MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE):
        raise RuleViolation(
            code="membership.not_current",
            message=(
                f"This seat is {membership.get_status_display().lower()}: it cannot be {action}."
            ),
        )


@transaction.atomic
def membership_retire_for_attendance(
    *, membership: Membership, on: datetime.date, reason: str, by=None
) -> Membership:
    """Retire a member automatically after the ToR's run of absences, and record the bar on
    rejoining (IVH: three in a row; no re-application for three years)."""
    membership = _lock(membership)
    if membership.status == MembershipStatus.RETIRED_BY_ATTENDANCE:
        return membership
    _refuse_unless_current(membership, "retired")
    terms = _terms_or_refuse(panel=membership.panel, on=on)
    consequence = rules.attendance_consequence(
        terms=terms, consecutive_unexplained=terms.absence_limit or 0, on_date=on
    )
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = MembershipStatus.RETIRED_BY_ATTENDANCE
    membership.ended_on = on
    membership.rejoin_barred_until = consequence.rejoin_barred_until
    membership.save(update_fields=["status", "ended_on", "rejoin_barred_until"])
    _event(
        membership,
        kind=MembershipEventKind.RETIRED_ATTENDANCE,
        on=on,
        by=by,
        reason=reason,
        details={
            "rejoin_barred_until": (
                consequence.rejoin_barred_until.isoformat()
                if consequence.rejoin_barred_until
                else None
            ),
            "source": consequence.source,
        },
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.retired_attendance",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=reason,
    )
    return membership


@transaction.atomic
def membership_flag_for_removal(
    *, membership: Membership, on: datetime.date, reason: str, by=None
) -> RemovalFlag:
    """Flag a member the ToR says may be removed after absences (Stockport: two in a row);
    the panel decides. Raising it again for the same run changes nothing."""
    membership = _lock(membership)
    open_flag = RemovalFlag.objects.for_org(membership.organisation_id).filter(
        membership=membership, decision=RemovalFlag.Decision.PENDING
    )
    existing = open_flag.first()
    if existing is not None:
        return existing
    flag = RemovalFlag.objects.create(
        organisation_id=membership.organisation_id,
        membership=membership,
        raised_on=on,
        reason=reason,
        raised_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _event(membership, kind=MembershipEventKind.FLAGGED, on=on, by=by, reason=reason)
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.flagged_for_removal",
        obj=membership,
        after={"flag": flag.pk, "raised_on": on.isoformat()},
        reason=reason,
    )
    return flag


def _close_flag(flag: RemovalFlag, *, decision: str, on: datetime.date, reason: str, by=None):
    flag.decision = decision
    flag.decided_on = on
    flag.decision_reason = reason
    flag.decided_by = by if getattr(by, "is_authenticated", False) else None
    flag.save(update_fields=["decision", "decided_on", "decision_reason", "decided_by"])


FLAG_DECISIONS = ("keep", "remove")


@transaction.atomic
def removal_flag_decide(
    *,
    flag: RemovalFlag,
    decision: str,
    on: datetime.date,
    reason: str,
    under_code_of_conduct: bool = False,
    by=None,
) -> RemovalFlag:
    """Record the panel's decision on a removal flag raised for absences (Stockport: the
    member "may be removed"; the panel decides). "keep" closes the flag with the reason;
    "remove" goes through membership_remove, with the appeal the ToR allows."""
    flag = RemovalFlag.objects.for_org(flag.organisation_id).select_for_update().get(pk=flag.pk)
    membership = flag.membership
    terms = _terms_or_refuse(panel=membership.panel, on=on)
    source = rules.source_of(terms, "Attendance")
    reasons: list[Reason] = []
    if flag.decision != RemovalFlag.Decision.PENDING:
        raise RuleViolation(
            code="removal_flag.decided",
            message=(
                f"This flag was already decided on {flag.decided_on:%d %B %Y}: "
                f"{flag.get_decision_display().lower()}."
            ),
        )
    if decision not in FLAG_DECISIONS:
        reasons.append(
            Reason(
                code="removal_flag.decision",
                message="Choose whether the panel keeps or removes the member.",
                field="decision",
            )
        )
    if not reason.strip():
        reasons.append(
            Reason(
                code="removal_flag.reason_required",
                message="Record the panel's reason for its decision.",
                field="reason",
            )
        )
    if on < flag.raised_on:
        reasons.append(
            Reason(
                code="removal_flag.before_raised",
                message=(
                    f"The decision cannot come before the flag was raised "
                    f"({flag.raised_on:%d %B %Y})."
                ),
                field="on",
                source=source,
            )
        )
    if membership.status not in SEAT_HOLDING_STATUSES:
        reasons.append(
            Reason(
                code="membership.not_current",
                message=(
                    f"This seat is {membership.get_status_display().lower()}: there is no "
                    "member to keep or remove."
                ),
            )
        )
    raise_if(reasons)
    if decision == "remove":
        membership_remove(
            membership=membership,
            on=on,
            reason=reason,
            under_code_of_conduct=under_code_of_conduct,
            by=by,
        )
        flag.refresh_from_db()
        return flag
    _close_flag(flag, decision=RemovalFlag.Decision.KEPT, on=on, reason=reason, by=by)
    _event(
        membership,
        kind=MembershipEventKind.FLAG_KEPT,
        on=on,
        by=by,
        reason=reason,
        details={"flag": flag.pk, "raised_on": flag.raised_on.isoformat()},
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.removal_flag_kept",
        obj=flag,
        before={"decision": ""},
        after={"decision": flag.decision, "decided_on": on.isoformat()},
        reason=reason,
    )
    return flag


# --- People ----------------------------------------------------------------------------

PERSON_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "preferred_channel",
    "address",
    "postcode",
    "date_of_birth",
    "tenure_type",
    "household_reference",
    "customer_since",
    "customer_until",
    "payment_method",
    "user",
]


def _actor(by):
    return by if getattr(by, "is_authenticated", False) else None


@transaction.atomic
def person_create(*, org, by=None, **values) -> Person:
    person = Person(organisation=org, **{k: v for k, v in values.items() if k in PERSON_FIELDS})
    person.full_clean(exclude=["organisation"])
    person.save()
    audit_record(
        org=org,
        actor=by,
        action="person.created",
        obj=person,
        after=snapshot(person, PERSON_FIELDS),
    )
    return person


@transaction.atomic
def person_update(*, person: Person, by=None, **values) -> Person:
    before = snapshot(person, PERSON_FIELDS)
    changed = [k for k, v in values.items() if k in PERSON_FIELDS and getattr(person, k) != v]
    for name in changed:
        setattr(person, name, values[name])
    if changed:
        person.full_clean(exclude=["organisation"])
        person.save(update_fields=changed)
        audit_record(
            org=person.organisation,
            actor=by,
            action="person.updated",
            obj=person,
            before=before,
            after=snapshot(person, PERSON_FIELDS),
        )
    return person


@transaction.atomic
def declaration_record(
    *,
    person: Person,
    kind: str,
    applies_from: datetime.date,
    applies_until: datetime.date | None = None,
    note: str = "",
    self_declared: bool = False,
    by=None,
    recorded_on: datetime.date | None = None,
) -> Declaration:
    """Record a fact the eligibility criteria ask about, with who recorded it and when."""
    if applies_until is not None and applies_until < applies_from:
        raise RuleViolation(
            code="declaration.dates",
            message="A declaration cannot stop applying before it starts.",
            field="applies_until",
        )
    declaration = Declaration.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        kind=DeclarationKind(kind),
        applies_from=applies_from,
        applies_until=applies_until,
        note=note,
        self_declared=self_declared,
        recorded_on=recorded_on or timezone.localdate(),
        recorded_by=_actor(by),
    )
    audit_record(
        org=person.organisation,
        actor=by,
        action="declaration.recorded",
        obj=declaration,
        after=snapshot(declaration, ["kind", "applies_from", "applies_until", "person"]),
        reason=note,
    )
    return declaration


@transaction.atomic
def declaration_end(*, declaration: Declaration, applies_until: datetime.date, by=None):
    if applies_until < declaration.applies_from:
        raise RuleViolation(
            code="declaration.dates",
            message="A declaration cannot stop applying before it starts.",
            field="applies_until",
        )
    before = snapshot(declaration, ["applies_until"])
    declaration.applies_until = applies_until
    declaration.save(update_fields=["applies_until"])
    audit_record(
        org=declaration.person.organisation,
        actor=by,
        action="declaration.ended",
        obj=declaration,
        before=before,
        after=snapshot(declaration, ["applies_until"]),
    )
    return declaration


@transaction.atomic
def training_record(
    *, person: Person, kind: str, title: str, completed_on: datetime.date, by=None
) -> TrainingRecord:
    """Record training; core training makes seats awaiting it active (Stockport: not an
    active member before core training)."""
    record = TrainingRecord.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        kind=TrainingKind(kind),
        title=title,
        completed_on=completed_on,
        recorded_by=_actor(by),
    )
    audit_record(
        org=person.organisation,
        actor=by,
        action="training.recorded",
        obj=record,
        after=snapshot(record, ["kind", "title", "completed_on"]),
    )
    if kind == TrainingKind.CORE:
        pending = Membership.objects.for_org(person.organisation_id).filter(
            person=person, status=MembershipStatus.PENDING_TRAINING
        )
        for membership in pending:
            membership_activate(membership=membership, on=completed_on, by=by)
    return record


@transaction.atomic
def conduct_sign(
    *, person: Person, panel: Panel, version: str, signed_on: datetime.date, by=None
) -> ConductSignature:
    """Record that a person signed a version of the panel's code of conduct (once per
    version: signing the same version again changes nothing)."""
    if not version.strip():
        raise RuleViolation(
            code="conduct.version",
            message="Say which version of the code of conduct was signed.",
            field="version",
        )
    signature, created = ConductSignature.objects.get_or_create(
        organisation_id=person.organisation_id,
        person=person,
        panel=panel,
        version=version,
        defaults={"signed_on": signed_on, "recorded_by": _actor(by)},
    )
    if created:
        audit_record(
            org=person.organisation,
            actor=by,
            action="conduct.signed",
            obj=signature,
            after={"version": version, "signed_on": signed_on.isoformat()},
        )
    return signature


@transaction.atomic
def interest_declare(
    *, person: Person, interest: str, declared_on: datetime.date, by=None
) -> InterestDeclaration:
    entry = InterestDeclaration.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        interest=interest,
        declared_on=declared_on,
        recorded_by=_actor(by),
    )
    audit_record(
        org=person.organisation,
        actor=by,
        action="interest.declared",
        obj=entry,
        after={"interest": interest, "declared_on": declared_on.isoformat()},
    )
    return entry


@transaction.atomic
def interest_end(
    *, entry: InterestDeclaration, ended_on: datetime.date, by=None
) -> InterestDeclaration:
    """Close an entry in the register of interests (the interest no longer applies)."""
    entry = (
        InterestDeclaration.objects.for_org(entry.organisation_id)
        .select_for_update()
        .get(pk=entry.pk)
    )
    reasons = []
    if entry.ended_on is not None:
        reasons.append(
            Reason(
                code="interest.already_ended",
                message=f"This interest was already closed on {entry.ended_on:%d %B %Y}.",
            )
        )
    if ended_on < entry.declared_on:
        reasons.append(
            Reason(
                code="interest.dates",
                message="An interest cannot end before it was declared.",
                field="ended_on",
            )
        )
    raise_if(reasons)
    entry.ended_on = ended_on
    entry.save(update_fields=["ended_on"])
    audit_record(
        org=entry.person.organisation,
        actor=by,
        action="interest.ended",
        obj=entry,
        before={"ended_on": None},
        after={"ended_on": ended_on.isoformat()},
    )
    return entry


@transaction.atomic
def review_record(
    *,
    membership: Membership,
    kind: str,
    held_on: datetime.date,
    contributions: str = "",
    skills: str = "",
    training_needs: str = "",
    by=None,
) -> MemberReview:
    """A skills audit or annual review, where the ToR asks for one (IVH, THT)."""
    terms = _terms_or_refuse(panel=membership.panel, on=held_on)
    asked = terms.skills_audit if kind == "skills_audit" else terms.annual_member_review
    if not asked:
        raise RuleViolation(
            code=f"review.{kind}.not_in_terms",
            message="The terms of reference do not provide for this review.",
            source=rules.source_of(terms, "Training and support"),
        )
    review = MemberReview.objects.create(
        organisation_id=membership.organisation_id,
        membership=membership,
        kind=kind,
        held_on=held_on,
        contributions=contributions,
        skills=skills,
        training_needs=training_needs,
        recorded_by=_actor(by),
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="review.recorded",
        obj=review,
        after={"kind": kind, "held_on": held_on.isoformat()},
    )
    return review


@transaction.atomic
def remark_add(*, person: Person, text: str, by=None) -> Remark:
    if not text.strip():
        raise RuleViolation(code="remark.empty", message="Write the remark.", field="text")
    remark = Remark.objects.create(
        organisation_id=person.organisation_id, person=person, text=text, written_by=_actor(by)
    )
    audit_record(org=person.organisation, actor=by, action="remark.added", obj=remark)
    return remark


# --- Seats -------------------------------------------------------------------------------

CHAIR_ROLES = (SeatRole.CHAIR, SeatRole.VICE_CHAIR)
# Satisfied by completing recruitment itself, so not asked of an applicant.
DEFERRED_AT_APPLICATION = {
    "eligibility.recruitment_completed",
    "eligibility.core_training_completed",
}


def _lock_panel(panel: Panel) -> Panel:
    # Seats on one panel are filled one at a time: the maximum and caps are counted safely.
    return Panel.objects.for_org(panel.organisation_id).select_for_update().get(pk=panel.pk)


def _chair_facts(*, membership: Membership, on: datetime.date) -> rules.ChairFacts:
    facts = selectors.person_facts(person=membership.person, on=on)
    board_chair = any(
        d.applies_on(on)
        for d in Declaration.objects.for_org(membership.organisation_id).filter(
            person=membership.person_id, kind=DeclarationKind.BOARD_CHAIR
        )
    )
    return rules.ChairFacts(
        is_board_chair=board_chair,
        is_staff=facts.is_employee,
        years_as_chair=selectors.chair_years(membership=membership, on=on),
    )


def _chair_term_years(terms, membership: Membership, on: datetime.date) -> float:
    if terms.chair_elected_annually or not membership.term_ends_on:
        return 1.0
    return round(((membership.term_ends_on - on).days + 1) / 365.25, 2)


def _close_chair_period(membership: Membership, on: datetime.date) -> None:
    ChairPeriod.objects.for_org(membership.organisation_id).filter(
        membership=membership, ends_on__isnull=True
    ).update(ends_on=on - datetime.timedelta(days=1))


def _open_chair_period(membership: Membership, role: str, on: datetime.date) -> None:
    if role in CHAIR_ROLES:
        ChairPeriod.objects.create(
            organisation_id=membership.organisation_id,
            membership=membership,
            role=role,
            starts_on=on,
        )


@transaction.atomic
def membership_appoint(
    *,
    panel: Panel,
    person: Person,
    role: str = SeatRole.RESIDENT,
    starts_on: datetime.date,
    by=None,
    application: Application | None = None,
    decided_by: str = "",
    reason: str = "",
) -> Membership:
    """Fill a seat: eligibility, the maximum, tenure caps and households from the ToR in force
    on the first day; every reason at once. Where core training must come first (Stockport)
    the seat waits for it."""
    panel = _lock_panel(panel)
    terms = _terms_or_refuse(panel=panel, on=starts_on)
    if (
        Membership.objects.for_org(panel.organisation_id)
        .filter(panel=panel, person=person, status__in=SEAT_HOLDING_STATUSES)
        .exists()
    ):
        raise RuleViolation(
            code="membership.already_member",
            message=f"{person.full_name} already holds a seat on {panel.name}.",
        )
    facts = selectors.person_facts(person=person, on=starts_on, panel=panel)
    reasons = rules.eligibility_reasons(terms=terms, facts=facts, today=starts_on, seat_role=role)
    if terms.training_before_active:
        reasons = [r for r in reasons if r.code != "eligibility.core_training_completed"]
    seat_reasons = rules.seat_refusals(
        terms=terms,
        current=selectors.seats_on_panel(panel=panel),
        proposed=rules.Seat(
            role=role,
            tenure_type=person.tenure_type,
            household_reference=person.household_reference,
        ),
    )
    if any(r.code == "membership.same_household" for r in seat_reasons):
        reasons = [r for r in reasons if r.code != "eligibility.no_same_household"]
    reasons += seat_reasons
    if application is not None:
        application = (
            Application.objects.for_org(panel.organisation_id)
            .select_for_update()
            .get(pk=application.pk)
        )
    if application is not None and (
        application.status != ApplicationStatus.SELECTED
        or application.panel_id != panel.pk
        or application.person_id != person.pk
    ):
        reasons.append(
            Reason(
                code="recruitment.not_selected",
                message="Only an applicant selected for this panel can be appointed from it.",
            )
        )
    if role == SeatRole.CHAIR:
        reasons += rules.chair_refusals(
            terms=terms,
            facts=rules.ChairFacts(is_staff=facts.is_employee),
            years_of_new_term=1.0 if terms.chair_elected_annually else (terms.term_years or 1),
        )
    raise_if(reasons)
    pending = terms.training_before_active and not facts.core_training_completed
    membership = Membership.objects.create(
        organisation_id=panel.organisation_id,
        panel=panel,
        person=person,
        role=role,
        status=MembershipStatus.PENDING_TRAINING if pending else MembershipStatus.ACTIVE,
        starts_on=starts_on,
        first_started_on=starts_on,
        term_number=1,
        term_ends_on=rules.term_end(terms=terms, starts_on=starts_on),
    )
    _open_chair_period(membership, role, starts_on)
    _event(
        membership,
        kind=MembershipEventKind.APPOINTED,
        on=starts_on,
        by=by,
        reason=reason,
        decided_by=decided_by,
        details={
            "role": role,
            "term_ends_on": str(membership.term_ends_on or ""),
            "awaiting_core_training": pending,
        },
    )
    audit_record(
        org=panel.organisation,
        actor=by,
        action="membership.appointed",
        obj=membership,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=reason,
    )
    if application is not None:
        application.status = ApplicationStatus.APPOINTED
        application.membership = membership
        application.save(update_fields=["status", "membership"])
    return membership


@transaction.atomic
def membership_activate(*, membership: Membership, on: datetime.date, by=None) -> Membership:
    """A seat awaiting core training becomes active once training is complete."""
    membership = _lock(membership)
    if membership.status != MembershipStatus.PENDING_TRAINING:
        return membership
    facts = selectors.person_facts(person=membership.person, on=on, panel=membership.panel)
    if not facts.core_training_completed:
        terms = _terms_or_refuse(panel=membership.panel, on=on)
        raise RuleViolation(
            code="eligibility.core_training_completed",
            message="New members must complete core training before they can become active.",
            source=rules.source_of(terms, "Eligibility"),
        )
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = MembershipStatus.ACTIVE
    membership.save(update_fields=["status"])
    _event(
        membership,
        kind=MembershipEventKind.ACTIVATED,
        on=on,
        by=by,
        reason="Core training completed.",
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.activated",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
    )
    return membership


@transaction.atomic
def membership_change_role(
    *,
    membership: Membership,
    role: str,
    on: datetime.date,
    by=None,
    reason: str = "",
    election: bool = False,
) -> Membership:
    """Change a seat's role (e.g. resident to associate, or co-opted). Outside an election
    (``election=False``) the ToR's role rules apply (rules.role_change_refusals: chair and
    vice chair only by election, no staff seats, only the roles the ToR provides) and a
    reason is required; always the seat rules (maximum, tenure caps, household and its
    exemptions for co-optees), eligibility for the new role and, for a chair, the chair
    rules. One history row and one audit row."""
    membership = _lock(membership)
    _refuse_unless_current(membership, "changed")
    if election and role == membership.role:
        return membership
    terms = _terms_or_refuse(panel=membership.panel, on=on)
    reasons: list[Reason] = []
    if not election:
        reasons += rules.role_change_refusals(
            terms=terms, current_role=membership.role, new_role=role
        )
        if not reason.strip():
            reasons.append(
                Reason(
                    code="role.reason_required",
                    message="Record why the role is changing.",
                    field="reason",
                )
            )
        if any(r.code == "role.unchanged" for r in reasons):
            raise_if(reasons)
    if role == SeatRole.CHAIR:
        reasons += rules.chair_refusals(
            terms=terms,
            facts=_chair_facts(membership=membership, on=on),
            years_of_new_term=_chair_term_years(terms, membership, on),
        )
    facts = selectors.person_facts(
        person=membership.person,
        on=on,
        panel=membership.panel,
        exclude_membership_id=membership.pk,
    )
    reasons += [
        r
        for r in rules.eligibility_reasons(terms=terms, facts=facts, today=on, seat_role=role)
        if r.code not in DEFERRED_AT_APPLICATION
    ]
    seats = selectors.seats_on_panel(panel=membership.panel, exclude_id=membership.pk)
    proposed = rules.Seat(
        role=role,
        tenure_type=membership.person.tenure_type,
        household_reference=membership.person.household_reference,
    )
    seat_reasons = rules.seat_refusals(terms=terms, current=seats, proposed=proposed)
    if any(r.code == "membership.same_household" for r in seat_reasons):
        reasons = [r for r in reasons if r.code != "eligibility.no_same_household"]
    reasons += seat_reasons
    raise_if(reasons)
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    _close_chair_period(membership, on)
    _open_chair_period(membership, role, on)
    _event(
        membership,
        kind=MembershipEventKind.ROLE_CHANGED,
        on=on,
        by=by,
        reason=reason,
        details={
            "from": old_role,
            "to": role,
            "voting": rules.is_voting_role(terms, role),
            "election": election,
        },
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.role_changed",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=reason,
    )
    return membership


@transaction.atomic
def membership_reappoint(
    *,
    membership: Membership,
    new_term_starts_on: datetime.date | None = None,
    decided_by: str,
    reason: str = "",
    by=None,
) -> Membership:
    """A further term, within the ToR's number of terms and years (HFH: two terms, six
    years; IVH: three terms, nine years; THT: fixed term, re-apply instead)."""
    membership = _lock(membership)
    # A seat the nightly task closed at its term end may still be re-appointed (the decision
    # came late); any other ended seat may not.
    lapsed = (
        membership.status == MembershipStatus.TERM_ENDED
        and membership.ended_on is not None
        and membership.ended_on == membership.term_ends_on
    )
    if not lapsed:
        _refuse_unless_current(membership, "re-appointed")
    if membership.term_ends_on is None and new_term_starts_on is None:
        raise RuleViolation(
            code="term.no_term",
            message="This seat has no term end, so there is no further term to appoint to.",
        )
    starts_on = new_term_starts_on or membership.term_ends_on + datetime.timedelta(days=1)
    terms = _terms_or_refuse(panel=membership.panel, on=starts_on)
    reasons = rules.reappointment_refusals(
        terms=terms,
        first_started_on=membership.first_started_on or membership.starts_on,
        terms_served=membership.term_number,
        new_term_starts_on=starts_on,
    )
    facts = selectors.person_facts(
        person=membership.person,
        on=starts_on,
        panel=membership.panel,
        exclude_membership_id=membership.pk,
    )
    reasons += [
        r
        for r in rules.eligibility_reasons(
            terms=terms, facts=facts, today=starts_on, seat_role=membership.role
        )
        if r.code not in DEFERRED_AT_APPLICATION
    ]
    if not decided_by.strip():
        reasons.append(
            Reason(
                code="term.decided_by_required",
                message="Record who decided the re-appointment.",
                field="decided_by",
            )
        )
    raise_if(reasons)
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.term_number += 1
    membership.term_ends_on = rules.term_end(terms=terms, starts_on=starts_on)
    changed = ["term_number", "term_ends_on"]
    if lapsed:
        membership.status = MembershipStatus.ACTIVE
        membership.ended_on = None
        changed += ["status", "ended_on"]
    membership.save(update_fields=changed)
    _event(
        membership,
        kind=MembershipEventKind.REAPPOINTED,
        on=starts_on,
        by=by,
        reason=reason,
        decided_by=decided_by,
        details={
            "term_number": membership.term_number,
            "term_ends_on": str(membership.term_ends_on or ""),
        },
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.reappointed",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=reason,
    )
    return membership


@transaction.atomic
def membership_extend(
    *,
    membership: Membership,
    extend_to: datetime.date,
    decided_by: str,
    reason: str = "",
    by=None,
) -> Membership:
    """Extend a term beyond the normal terms, only as the ToR allows (Stockport: a year at a
    time to nine years in all; HFH: exceptional circumstances, recorded)."""
    membership = _lock(membership)
    _refuse_unless_current(membership, "extended")
    current_end = membership.term_ends_on
    if current_end is None:
        raise RuleViolation(code="term.no_term", message="This seat has no term end to extend.")
    terms = _terms_or_refuse(panel=membership.panel, on=current_end)
    reasons = rules.extension_refusals(
        terms=terms,
        first_started_on=membership.first_started_on or membership.starts_on,
        current_end=current_end,
        extend_to=extend_to,
        reason=reason,
    )
    if not decided_by.strip():
        reasons.append(
            Reason(
                code="term.decided_by_required",
                message="Record who decided the extension.",
                field="decided_by",
            )
        )
    raise_if(reasons)
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.term_ends_on = extend_to
    membership.save(update_fields=["term_ends_on"])
    _event(
        membership,
        kind=MembershipEventKind.EXTENDED,
        on=current_end,
        by=by,
        reason=reason,
        decided_by=decided_by,
        details={
            "from": current_end.isoformat(),
            "to": extend_to.isoformat(),
            "kind": terms.extension_kind,
        },
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.extended",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=reason,
    )
    return membership


@transaction.atomic
def chair_election_record(
    *,
    panel: Panel,
    role: str,
    held_on: datetime.date,
    elected: Membership,
    votes: dict | None = None,
    votes_cast: int = 0,
    by=None,
) -> ChairElection:
    """Record the election of a chair or vice chair (date and votes); the elected member must
    meet the chair rules, counting their years as chair (HFH: at most six)."""
    if role not in CHAIR_ROLES:
        raise RuleViolation(
            code="election.role", message="Elections are for chair or vice chair.", field="role"
        )
    panel = _lock_panel(panel)
    elected = _lock(elected)
    if elected.panel_id != panel.pk:
        raise RuleViolation(
            code="election.not_on_panel", message="The elected member does not sit on this panel."
        )
    _refuse_unless_current(elected, "elected")
    terms = _terms_or_refuse(panel=panel, on=held_on)
    votes = {str(k): int(v) for k, v in (votes or {}).items()}
    reasons: list[Reason] = []
    if any(v < 0 for v in votes.values()) or votes_cast < 0:
        reasons.append(
            Reason(code="election.votes", message="Votes cannot be negative.", field="votes")
        )
    if votes and votes_cast and sum(votes.values()) > votes_cast:
        reasons.append(
            Reason(
                code="election.votes",
                message="More votes were counted than were cast.",
                field="votes",
            )
        )
    if role == SeatRole.CHAIR:
        reasons += rules.chair_refusals(
            terms=terms,
            facts=_chair_facts(membership=elected, on=held_on),
            years_of_new_term=_chair_term_years(terms, elected, held_on),
        )
    raise_if(reasons)
    holders = (
        Membership.objects.for_org(panel.organisation_id)
        .filter(panel=panel, role=role, status__in=SEAT_HOLDING_STATUSES)
        .exclude(pk=elected.pk)
    )
    for holder in holders:
        membership_change_role(
            membership=holder,
            role=SeatRole.RESIDENT,
            on=held_on,
            by=by,
            reason=f"{SeatRole(role).label} elected on {held_on:%d %B %Y}.",
            election=True,
        )
    before = snapshot(elected, MEMBERSHIP_AUDIT_FIELDS)
    if elected.role != role:
        _close_chair_period(elected, held_on)
        elected.role = role
        elected.save(update_fields=["role"])
        _open_chair_period(elected, role, held_on)
    election = ChairElection.objects.create(
        organisation_id=panel.organisation_id,
        panel=panel,
        role=role,
        held_on=held_on,
        elected=elected,
        votes=votes,
        votes_cast=votes_cast,
        recorded_by=_actor(by),
    )
    _event(
        elected,
        kind=MembershipEventKind.ELECTED,
        on=held_on,
        by=by,
        details={"role": role, "votes": votes, "votes_cast": votes_cast},
    )
    audit_record(
        org=panel.organisation,
        actor=by,
        action="membership.elected",
        obj=elected,
        before=before,
        after=snapshot(elected, MEMBERSHIP_AUDIT_FIELDS),
    )
    return election


# --- Leave, stepping down and removal ---------------------------------------------------


@transaction.atomic
def leave_grant(
    *,
    membership: Membership,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str = "",
    by=None,
    today: datetime.date | None = None,
) -> LeaveOfAbsence:
    """Grant leave of absence within the ToR's maximum (Stockport: six months)."""
    membership = _lock(membership)
    _refuse_unless_current(membership, "given leave")
    terms = _terms_or_refuse(panel=membership.panel, on=starts_on)
    reasons = rules.leave_refusals(terms=terms, starts_on=starts_on, ends_on=ends_on)
    overlapping = LeaveOfAbsence.objects.for_org(membership.organisation_id).filter(
        membership=membership,
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
        returned_on__isnull=True,
    )
    if overlapping.exists():
        reasons.append(
            Reason(
                code="leave.overlaps",
                message="This member already has leave covering some of these dates.",
                field="starts_on",
            )
        )
    raise_if(reasons)
    leave = LeaveOfAbsence.objects.create(
        organisation_id=membership.organisation_id,
        membership=membership,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        granted_by=_actor(by),
    )
    today = today or timezone.localdate()
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    if starts_on <= today <= ends_on and membership.status == MembershipStatus.ACTIVE:
        membership.status = MembershipStatus.ON_LEAVE
        membership.save(update_fields=["status"])
    _event(
        membership,
        kind=MembershipEventKind.LEAVE_GRANTED,
        on=starts_on,
        by=by,
        reason=reason,
        details={"ends_on": ends_on.isoformat()},
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.leave_granted",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=reason,
    )
    return leave


@transaction.atomic
def leave_end(*, leave: LeaveOfAbsence, returned_on: datetime.date, by=None) -> LeaveOfAbsence:
    """The member returns (early or on time): the seat is active again."""
    membership = _lock(leave.membership)
    leave = LeaveOfAbsence.objects.for_org(leave.organisation_id).get(pk=leave.pk)
    reasons = []
    if leave.returned_on is not None:
        reasons.append(
            Reason(
                code="leave.already_returned",
                message=f"The member already returned on {leave.returned_on:%d %B %Y}.",
            )
        )
    if returned_on < leave.starts_on:
        reasons.append(
            Reason(
                code="leave.dates",
                message="A return cannot precede the leave.",
                field="returned_on",
            )
        )
    raise_if(reasons)
    if returned_on <= leave.ends_on:
        leave.returned_on = returned_on
        leave.save(update_fields=["returned_on"])
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    if membership.status == MembershipStatus.ON_LEAVE:
        membership.status = MembershipStatus.ACTIVE
        membership.save(update_fields=["status"])
    _event(membership, kind=MembershipEventKind.LEAVE_ENDED, on=returned_on, by=by)
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.leave_ended",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
    )
    return leave


def _end_seat(membership, *, status, on, by, reason, kind, action, decided_by=""):
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = status
    membership.ended_on = on
    membership.save(update_fields=["status", "ended_on"])
    _close_chair_period(membership, on + datetime.timedelta(days=1))
    _event(membership, kind=kind, on=on, by=by, reason=reason, decided_by=decided_by)
    audit_record(
        org=membership.organisation,
        actor=by,
        action=action,
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=reason,
    )
    return membership


@transaction.atomic
def membership_step_down(
    *, membership: Membership, on: datetime.date, reason: str = "", by=None
) -> Membership:
    membership = _lock(membership)
    if membership.status not in SEAT_HOLDING_STATUSES:
        _refuse_unless_current(membership, "stepped down")
    return _end_seat(
        membership,
        status=MembershipStatus.STEPPED_DOWN,
        on=on,
        by=by,
        reason=reason,
        kind=MembershipEventKind.STEPPED_DOWN,
        action="membership.stepped_down",
    )


@transaction.atomic
def membership_remove(
    *,
    membership: Membership,
    on: datetime.date,
    reason: str,
    under_code_of_conduct: bool = False,
    by=None,
) -> Removal:
    """Remove a member, recording the reason and the appeal the ToR allows (Stockport: in
    writing to the Lead Officer, whose decision is final)."""
    membership = _lock(membership)
    if membership.status not in SEAT_HOLDING_STATUSES:
        _refuse_unless_current(membership, "removed")
    if not reason.strip():
        raise RuleViolation(
            code="removal.reason_required",
            message="Record the reason for the removal.",
            field="reason",
        )
    terms = _terms_or_refuse(panel=membership.panel, on=on)
    _end_seat(
        membership,
        status=MembershipStatus.REMOVED,
        on=on,
        by=by,
        reason=reason,
        kind=MembershipEventKind.REMOVED,
        action="membership.removed",
    )
    removal = Removal.objects.create(
        organisation_id=membership.organisation_id,
        membership=membership,
        decided_on=on,
        reason=reason,
        decided_by=_actor(by),
        appeal_to=terms.removal_appeal_to,
        appeal_final=terms.removal_appeal_final,
    )
    # Saved one by one (not queryset.update) so post_save hooks see each closed flag (the
    # notices app withdraws its "decide on absences" notice).
    open_flags = (
        RemovalFlag.objects.for_org(membership.organisation_id)
        .select_for_update()
        .filter(membership=membership, decision=RemovalFlag.Decision.PENDING)
    )
    for flag in open_flags:
        _close_flag(flag, decision=RemovalFlag.Decision.REMOVED, on=on, reason=reason, by=by)
    if under_code_of_conduct:
        declaration_record(
            person=membership.person,
            kind=DeclarationKind.REMOVED_UNDER_CODE,
            applies_from=on,
            note=reason,
            by=by,
            recorded_on=on,
        )
    return removal


@transaction.atomic
def removal_appeal_decide(
    *,
    removal: Removal,
    received_on: datetime.date,
    appeal_text: str,
    outcome: str,
    decided_on: datetime.date,
    decision_reason: str,
    by=None,
) -> Removal:
    """Record a written appeal and its decision; where the ToR makes it final there is no
    second appeal, and an overturned removal reinstates the seat."""
    removal = (
        Removal.objects.for_org(removal.organisation_id).select_for_update().get(pk=removal.pk)
    )
    terms = _terms_or_refuse(panel=removal.membership.panel, on=removal.decided_on)
    source = rules.source_of(terms, "Removal")
    reasons: list[Reason] = []
    if not removal.appeal_to:
        reasons.append(
            Reason(
                code="removal.no_appeal",
                message="The terms of reference provide no appeal against removal.",
                source=source,
            )
        )
    if removal.appeal_outcome and removal.appeal_final:
        reasons.append(
            Reason(
                code="removal.appeal_final",
                message=f"The {removal.appeal_to}'s decision on the appeal is final.",
                source=source,
            )
        )
    if not appeal_text.strip():
        reasons.append(
            Reason(
                code="removal.appeal_in_writing",
                message=f"Appeals are made in writing to the {removal.appeal_to}.",
                field="appeal_text",
                source=source,
            )
        )
    if outcome not in (Removal.AppealOutcome.UPHELD, Removal.AppealOutcome.OVERTURNED):
        reasons.append(
            Reason(code="removal.appeal_outcome", message="Choose an outcome.", field="outcome")
        )
    raise_if(reasons)
    removal.appeal_received_on = received_on
    removal.appeal_text = appeal_text
    removal.appeal_outcome = outcome
    removal.appeal_decided_on = decided_on
    removal.appeal_decision_reason = decision_reason
    removal.save(
        update_fields=[
            "appeal_received_on",
            "appeal_text",
            "appeal_outcome",
            "appeal_decided_on",
            "appeal_decision_reason",
        ]
    )
    membership = _lock(removal.membership)
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    if outcome == Removal.AppealOutcome.OVERTURNED:
        membership.status = MembershipStatus.ACTIVE
        membership.ended_on = None
        membership.save(update_fields=["status", "ended_on"])
    _event(
        membership,
        kind=MembershipEventKind.APPEAL,
        on=decided_on,
        by=by,
        reason=decision_reason,
        decided_by=removal.appeal_to,
        details={"outcome": outcome},
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.appeal_decided",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=decision_reason,
    )
    return removal


# --- Recruitment --------------------------------------------------------------------------


@transaction.atomic
def vacancy_create(
    *,
    panel: Panel,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    seats: int = 1,
    seat_role: str = SeatRole.RESIDENT,
    description: str = "",
    by=None,
) -> Vacancy:
    if closes_on < opens_on:
        raise RuleViolation(
            code="vacancy.dates", message="A vacancy must close after it opens.", field="closes_on"
        )
    vacancy = Vacancy.objects.create(
        organisation_id=panel.organisation_id,
        panel=panel,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        seats=seats,
        seat_role=seat_role,
        description=description,
        created_by=_actor(by),
    )
    audit_record(org=panel.organisation, actor=by, action="vacancy.created", obj=vacancy)
    return vacancy


def _application_reasons(*, terms, facts, on, seat_role) -> list[Reason]:
    return [
        r
        for r in rules.eligibility_reasons(terms=terms, facts=facts, today=on, seat_role=seat_role)
        if r.code not in DEFERRED_AT_APPLICATION
    ]


def _vacancy_reasons(vacancy: Vacancy | None, panel: Panel, on: datetime.date) -> list[Reason]:
    if vacancy is None:
        return []
    if vacancy.panel_id != panel.pk:
        return [
            Reason(
                code="recruitment.vacancy_panel",
                message="This vacancy is for another panel.",
                field="vacancy",
            )
        ]
    if not vacancy.is_open_on(on):
        return [
            Reason(
                code="recruitment.vacancy_closed",
                message=f"Applications for this vacancy closed on {vacancy.closes_on:%d %B %Y}."
                if on > vacancy.closes_on
                else f"Applications open on {vacancy.opens_on:%d %B %Y}.",
                field="vacancy",
            )
        ]
    return []


@transaction.atomic
def application_submit_public(
    *,
    panel: Panel,
    person_details: dict,
    declared: set[str],
    household_member_on_panel: bool = False,
    statement: str = "",
    vacancy: Vacancy | None = None,
    submitted_on: datetime.date,
) -> Application:
    """A resident applies through the public form (no account). Refused with every
    eligibility reason at once, in plain words; nothing is saved when refused."""
    terms = _terms_or_refuse(panel=panel, on=submitted_on)
    probe = Person(
        organisation_id=panel.organisation_id,
        **{k: v for k, v in person_details.items() if k in PERSON_FIELDS},
    )
    facts = rules.PersonFacts(
        date_of_birth=probe.date_of_birth,
        tenure_type=probe.tenure_type,
        is_current_customer=probe.is_customer_on(submitted_on),
        household_member_on_panel=household_member_on_panel,
        **{field: kind in declared for kind, field in DECLARATION_FACTS.items()},
    )
    reasons = _vacancy_reasons(vacancy, panel, submitted_on)
    reasons += _application_reasons(
        terms=terms, facts=facts, on=submitted_on, seat_role=vacancy.seat_role if vacancy else None
    )
    raise_if(reasons)
    person = person_create(org=panel.organisation, **person_details)
    for kind in sorted(declared):
        declaration_record(
            person=person,
            kind=kind,
            applies_from=submitted_on,
            self_declared=True,
            recorded_on=submitted_on,
        )
    application = Application.objects.create(
        organisation_id=panel.organisation_id,
        panel=panel,
        vacancy=vacancy,
        person=person,
        seat_role=vacancy.seat_role if vacancy else SeatRole.RESIDENT,
        submitted_on=submitted_on,
        channel=Application.Channel.PUBLIC,
        statement=statement,
    )
    audit_record(
        org=panel.organisation,
        actor=None,
        action="application.submitted",
        obj=application,
        after={"channel": "public"},
    )
    return application


@transaction.atomic
def application_enter(
    *,
    panel: Panel,
    person: Person,
    submitted_on: datetime.date,
    seat_role: str = SeatRole.RESIDENT,
    statement: str = "",
    vacancy: Vacancy | None = None,
    override_reason: str = "",
    by=None,
) -> Application:
    """An officer enters an application. Refused with every reason unless the ToR exempts
    the seat applied for from each failing criterion (HFH: co-opted for their skills may
    share a household) and the officer records why."""
    terms = _terms_or_refuse(panel=panel, on=submitted_on)
    facts = selectors.person_facts(person=person, on=submitted_on, panel=panel)
    reasons = _vacancy_reasons(vacancy, panel, submitted_on)
    reasons += _application_reasons(terms=terms, facts=facts, on=submitted_on, seat_role=seat_role)
    ordinary = _application_reasons(terms=terms, facts=facts, on=submitted_on, seat_role=None)
    uses_exemption = bool(ordinary) and not any(r.code.startswith("eligibility.") for r in reasons)
    if uses_exemption and not override_reason.strip():
        reasons.append(
            Reason(
                code="recruitment.override_reason_required",
                message=(
                    "This applicant is eligible only because the terms of reference exempt a "
                    f"{SeatRole(seat_role).label.lower()} seat: record the reason for the "
                    "exception."
                ),
                field="override_reason",
                source=rules.source_of(terms, "Eligibility"),
            )
        )
    if override_reason.strip() and not uses_exemption and reasons:
        reasons.append(
            Reason(
                code="recruitment.override_not_allowed",
                message="The terms of reference allow no exception to these criteria.",
                field="override_reason",
                source=rules.source_of(terms, "Eligibility"),
            )
        )
    raise_if(reasons)
    application = Application.objects.create(
        organisation_id=panel.organisation_id,
        panel=panel,
        vacancy=vacancy,
        person=person,
        seat_role=seat_role,
        submitted_on=submitted_on,
        channel=Application.Channel.OFFICER,
        statement=statement,
        entered_by=_actor(by),
        eligibility_reasons=[{"code": r.code, "message": r.message} for r in ordinary],
        override_reason=override_reason if uses_exemption else "",
        override_by=_actor(by) if uses_exemption else None,
    )
    audit_record(
        org=panel.organisation,
        actor=by,
        action="application.entered",
        obj=application,
        reason=override_reason,
    )
    return application


def _open_application(application: Application) -> Application:
    application = (
        Application.objects.for_org(application.organisation_id)
        .select_for_update()
        .get(pk=application.pk)
    )
    if application.status not in (ApplicationStatus.RECEIVED, ApplicationStatus.IN_PROGRESS):
        raise RuleViolation(
            code="recruitment.application_closed",
            message=f"This application is {application.get_status_display().lower()}.",
        )
    return application


@transaction.atomic
def application_record_step(
    *,
    application: Application,
    kind: str,
    held_on: datetime.date,
    notes: str = "",
    panel_members=(),
    by=None,
) -> RecruitmentStep:
    """Observer or shadowing attendance, informal interview, or selection panel (HFH: at
    least two members of the panel)."""
    application = _open_application(application)
    panel_members = list(panel_members)
    reasons: list[Reason] = []
    if any(m.panel_id != application.panel_id for m in panel_members):
        reasons.append(
            Reason(
                code="recruitment.panel_member_elsewhere",
                message="Selection panel members must sit on this panel.",
                field="panel_members",
            )
        )
    if kind == RecruitmentStepKind.SELECTION:
        terms = _terms_or_refuse(panel=application.panel, on=held_on)
        reasons += rules.selection_panel_refusals(terms=terms, panel_members=len(panel_members))
    raise_if(reasons)
    step = RecruitmentStep.objects.create(
        organisation_id=application.organisation_id,
        application=application,
        kind=kind,
        held_on=held_on,
        notes=notes,
        recorded_by=_actor(by),
    )
    step.panel_members.set(panel_members)
    if application.status == ApplicationStatus.RECEIVED:
        application.status = ApplicationStatus.IN_PROGRESS
        application.save(update_fields=["status"])
    audit_record(
        org=application.panel.organisation,
        actor=by,
        action="application.step",
        obj=application,
        after={"kind": kind, "held_on": held_on.isoformat()},
    )
    return step


@transaction.atomic
def application_decide(
    *, application: Application, selected: bool, reasons: str, on: datetime.date, by=None
) -> Application:
    """The outcome of recruitment, with reasons; selection needs a selection panel of the
    ToR's size."""
    application = _open_application(application)
    refusals: list[Reason] = []
    if not reasons.strip():
        refusals.append(
            Reason(
                code="recruitment.outcome_reasons",
                message="Give the reasons for the outcome.",
                field="reasons",
            )
        )
    if selected:
        terms = _terms_or_refuse(panel=application.panel, on=on)
        largest = max(
            (s.panel_members.count() for s in application.steps.filter(kind="selection")),
            default=0,
        )
        refusals += rules.selection_panel_refusals(terms=terms, panel_members=largest)
    raise_if(refusals)
    application.status = ApplicationStatus.SELECTED if selected else ApplicationStatus.NOT_SELECTED
    application.outcome_reasons = reasons
    application.decided_on = on
    application.decided_by = _actor(by)
    application.save(update_fields=["status", "outcome_reasons", "decided_on", "decided_by"])
    audit_record(
        org=application.panel.organisation,
        actor=by,
        action="application.decided",
        obj=application,
        after={"status": application.status},
        reason=reasons,
    )
    return application


# --- Money ---------------------------------------------------------------------------------


@transaction.atomic
def expense_claim_submit(
    *,
    membership: Membership,
    incurred_on: datetime.date,
    description: str,
    amount: Decimal,
    receipt=None,
    by=None,
) -> ExpenseClaim:
    """Claim out-of-pocket expenses as the ToR allows (Stockport: supported by receipts).
    The receipt is stored through Django's storage API."""
    terms = _terms_or_refuse(panel=membership.panel, on=incurred_on)
    raise_if(rules.expense_refusals(terms=terms, has_receipt=bool(receipt), amount=Decimal(amount)))
    claim = ExpenseClaim(
        organisation_id=membership.organisation_id,
        membership=membership,
        incurred_on=incurred_on,
        description=description,
        amount=amount,
        submitted_by=_actor(by),
    )
    if receipt:
        claim.receipt.save(getattr(receipt, "name", "receipt"), receipt, save=False)
    claim.save()
    audit_record(
        org=membership.organisation,
        actor=by,
        action="expense.submitted",
        obj=claim,
        after={"amount": str(amount), "incurred_on": incurred_on.isoformat()},
    )
    return claim


@transaction.atomic
def expense_claim_decide(
    *, claim: ExpenseClaim, approve: bool, on: datetime.date, reason: str = "", by=None
) -> ExpenseClaim:
    claim = ExpenseClaim.objects.for_org(claim.organisation_id).select_for_update().get(pk=claim.pk)
    if claim.status != ExpenseStatus.SUBMITTED:
        raise RuleViolation(
            code="expenses.already_decided",
            message=f"This claim is already {claim.get_status_display().lower()}.",
        )
    if not approve and not reason.strip():
        raise RuleViolation(
            code="expenses.refusal_reason",
            message="Give the reason for refusing the claim.",
            field="reason",
        )
    claim.status = ExpenseStatus.APPROVED if approve else ExpenseStatus.REFUSED
    claim.decided_on = on
    claim.decided_by = _actor(by)
    claim.decision_reason = reason
    claim.save(update_fields=["status", "decided_on", "decided_by", "decision_reason"])
    audit_record(
        org=claim.membership.organisation,
        actor=by,
        action=f"expense.{claim.status}",
        obj=claim,
        after={"status": claim.status},
        reason=reason,
    )
    return claim


# --- Dated changes (run nightly by members.tasks) -----------------------------------------


@transaction.atomic
def leave_begin(*, leave: LeaveOfAbsence, on: datetime.date) -> Membership:
    """A granted leave whose first day has come: the seat goes on leave (payments pause
    where the ToR says so). Running it again changes nothing."""
    membership = _lock(leave.membership)
    if membership.status != MembershipStatus.ACTIVE:
        return membership
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = MembershipStatus.ON_LEAVE
    membership.save(update_fields=["status"])
    _event(
        membership,
        kind=MembershipEventKind.LEAVE_STARTED,
        on=on,
        reason=f"Leave from {leave.starts_on:%d %B %Y} to {leave.ends_on:%d %B %Y} began.",
    )
    audit_record(
        org=membership.organisation,
        actor=None,
        action="membership.leave_started",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
    )
    return membership


@transaction.atomic
def leave_lapse(*, membership: Membership, on: datetime.date) -> Membership:
    """No leave covers the seat any more (its last day has passed): the seat is active."""
    membership = _lock(membership)
    if membership.status != MembershipStatus.ON_LEAVE:
        return membership
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = MembershipStatus.ACTIVE
    membership.save(update_fields=["status"])
    _event(
        membership,
        kind=MembershipEventKind.LEAVE_ENDED,
        on=on,
        reason="The leave of absence ended.",
    )
    audit_record(
        org=membership.organisation,
        actor=None,
        action="membership.leave_ended",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
    )
    return membership


@transaction.atomic
def membership_end_term(*, membership: Membership, on: datetime.date) -> Membership:
    """A seat whose term ended before ``on`` with no re-appointment or extension: the seat
    ends on its term's last day. It may still be re-appointed (a late decision)."""
    membership = _lock(membership)
    if (
        membership.status not in SEAT_HOLDING_STATUSES
        or membership.term_ends_on is None
        or membership.term_ends_on >= on
    ):
        return membership
    last_day = membership.term_ends_on
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = MembershipStatus.TERM_ENDED
    membership.ended_on = last_day
    membership.save(update_fields=["status", "ended_on"])
    _close_chair_period(membership, last_day + datetime.timedelta(days=1))
    _event(
        membership,
        kind=MembershipEventKind.TERM_ENDED,
        on=last_day,
        reason="The term of office ended with no re-appointment or extension recorded.",
    )
    audit_record(
        org=membership.organisation,
        actor=None,
        action="membership.term_ended",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
    )
    return membership


# --- Papers read (vouchers) -----------------------------------------------------------------


@transaction.atomic
def papers_read_record(
    *, meeting, read_membership_ids, on: datetime.date, by=None
) -> list[PapersRead]:
    """Record which members present at a held meeting had read its papers beforehand (IVH:
    vouchers for attending and reviewing the performance information). Replaces the
    meeting's earlier record; only where the ToR ties vouchers to reading the papers."""
    from meetings.models import PRESENT_STATUSES, Attendance, MeetingStatus

    terms = _terms_or_refuse(panel=meeting.panel, on=meeting.date)
    source = rules.source_of(terms, "Remuneration")
    reasons: list[Reason] = []
    if not terms.vouchers_require_papers_read:
        reasons.append(
            Reason(
                code="vouchers.papers_not_required",
                message="These terms of reference do not tie any payment to reading the papers.",
                source=source,
            )
        )
    if meeting.status != MeetingStatus.HELD:
        reasons.append(
            Reason(
                code="vouchers.meeting_not_held",
                message="Papers read can be recorded once the meeting has been held.",
            )
        )
    wanted = {int(i) for i in read_membership_ids}
    present = set(
        Attendance.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting, status__in=PRESENT_STATUSES)
        .values_list("membership_id", flat=True)
    )
    if wanted - present:
        reasons.append(
            Reason(
                code="vouchers.not_present",
                message="Only members present at the meeting can be recorded as having read "
                "the papers for it.",
                field="read",
                source=source,
            )
        )
    raise_if(reasons)
    rows = PapersRead.objects.for_org(meeting.organisation_id).filter(meeting=meeting)
    before = sorted(rows.values_list("membership_id", flat=True))
    rows.exclude(membership_id__in=wanted).delete()
    existing = set(rows.values_list("membership_id", flat=True))
    PapersRead.objects.bulk_create(
        [
            PapersRead(
                organisation_id=meeting.organisation_id,
                meeting=meeting,
                membership_id=membership_id,
                recorded_on=on,
                recorded_by=_actor(by),
            )
            for membership_id in sorted(wanted - existing)
        ]
    )
    if before != sorted(wanted):
        audit_record(
            org=meeting.panel.organisation,
            actor=by,
            action="vouchers.papers_read",
            obj=meeting,
            before={"read": before},
            after={"read": sorted(wanted)},
        )
    return list(rows.order_by("membership_id"))


# Rows handled per query in the nightly pass (a large organisation is walked in chunks).
SEAT_DATES_BATCH = 200


def _in_batches(ids: list[int]):
    for start in range(0, len(ids), SEAT_DATES_BATCH):
        yield ids[start : start + SEAT_DATES_BATCH]


def seat_dates_apply(*, org, today: datetime.date) -> dict[str, int]:
    """Bring one organisation's seats in line with their dates: leave that has begun puts a
    seat on leave, leave that has ended makes it active again, a term past its end with no
    re-appointment or extension ends the seat. Each change is its own transaction with a
    history row; running it again the same day changes nothing."""
    counts = {"leave_started": 0, "leave_ended": 0, "terms_ended": 0}
    covering = LeaveOfAbsence.objects.for_org(org).filter(
        starts_on__lte=today, ends_on__gte=today, returned_on__isnull=True
    )
    starting = list(
        covering.filter(membership__status=MembershipStatus.ACTIVE)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for chunk in _in_batches(starting):
        for leave in LeaveOfAbsence.objects.for_org(org).filter(id__in=chunk).order_by("id"):
            if leave_begin(leave=leave, on=today).status == MembershipStatus.ON_LEAVE:
                counts["leave_started"] += 1
    lapsed = list(
        Membership.objects.for_org(org)
        .filter(status=MembershipStatus.ON_LEAVE)
        .exclude(pk__in=covering.values("membership_id"))
        .order_by("id")
        .values_list("id", flat=True)
    )
    for chunk in _in_batches(lapsed):
        for membership in Membership.objects.for_org(org).filter(id__in=chunk).order_by("id"):
            last = (
                LeaveOfAbsence.objects.for_org(org)
                .filter(membership=membership, starts_on__lte=today)
                .order_by("-ends_on")
                .first()
            )
            back_on = min(last.last_day + datetime.timedelta(days=1), today) if last else today
            if leave_lapse(membership=membership, on=back_on).status == MembershipStatus.ACTIVE:
                counts["leave_ended"] += 1
    ending = list(
        Membership.objects.for_org(org)
        .filter(status__in=SEAT_HOLDING_STATUSES, term_ends_on__lt=today)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for chunk in _in_batches(ending):
        for membership in Membership.objects.for_org(org).filter(id__in=chunk).order_by("id"):
            if membership_end_term(membership=membership, on=today).status == (
                MembershipStatus.TERM_ENDED
            ):
                counts["terms_ended"] += 1
    return counts
