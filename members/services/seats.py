"""Seats: appointment (and the appointee's invitation), activation, role changes,
reappointment and extension."""

from __future__ import annotations

import datetime

from django.db import transaction

from members import selectors
from members.models import (
    SEAT_HOLDING_STATUSES,
    Application,
    ApplicationStatus,
    Declaration,
    DeclarationKind,
    Membership,
    MembershipEventKind,
    MembershipStatus,
    Person,
    SeatRole,
)
from members.services._common import (
    DEFERRED_AT_APPLICATION,
    MEMBERSHIP_AUDIT_FIELDS,
    _close_chair_period,
    _event,
    _lock,
    _lock_panel,
    _open_chair_period,
    _refuse_unless_current,
    _terms_or_refuse,
)
from panels import rules
from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation, raise_if
from panels.models import Panel


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
    return rules.chair_term_years(terms=terms, term_ends_on=membership.term_ends_on, on=on)


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
            years_of_new_term=rules.chair_term_years(terms=terms),
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
    membership_invite_appointee(membership=membership, by=by)
    return membership


def _welcome(membership: Membership) -> str:
    """What happens next, for the appointee: said in the invitation email."""
    panel = membership.panel
    lines = [
        f"You have been appointed to the {panel.name} as "
        f"{SeatRole(membership.role).label.lower()}, from {membership.starts_on:%d %B %Y}"
        + (
            f"; your term runs to {membership.term_ends_on:%d %B %Y}."
            if membership.term_ends_on
            else "."
        )
    ]
    if membership.status == MembershipStatus.PENDING_TRAINING:
        lines.append(
            "Your seat becomes active once you have completed the core training: your "
            "engagement officer will arrange it with you."
        )
    lines += [
        "",
        "What happens next:",
        "1. Accept this invitation to set up your PanelHub account (the link is below).",
        "2. In PanelHub you will find your next meetings, the papers to read before each one, "
        "and your own record: your term, attendance and training.",
        "3. Your engagement officer will send you notice of the next meeting"
        + (" by post." if membership.person.preferred_channel == "post" else " by email."),
    ]
    return "\n".join(lines)


def membership_invite_appointee(*, membership: Membership, by=None):
    """Recruitment ends with a member who can sign in: invite the appointee's email address
    to the member role (panels.services.invitation_create), with a welcome that says what
    happens next. Nothing is sent when the person has no email address, already holds the
    member role through their linked account, or has an invitation waiting."""
    from panels.models import OrganisationRole, Role
    from panels.services import invitation_create

    person = membership.person
    org = membership.panel.organisation
    if not person.email:
        return None
    if (
        person.user_id
        and OrganisationRole.objects.filter(
            user_id=person.user_id, organisation=org, role=Role.MEMBER
        ).exists()
    ):
        return None
    try:
        return invitation_create(
            org=org,
            email=person.email,
            role=Role.MEMBER,
            first_name=person.first_name,
            last_name=person.last_name,
            by=by,
            context={"person_id": person.pk, "membership_id": membership.pk},
            note=_welcome(membership),
        )
    except RuleViolation as violation:
        if violation.code in {"access.already_has_role", "invitation.pending"}:
            return None
        raise


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
            "voting": rules.is_voting_member(terms, role),
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
