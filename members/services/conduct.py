"""Training, the code of conduct, interests and member reviews."""

from __future__ import annotations

import datetime

from django.db import transaction

from members.models import (
    ConductSignature,
    InterestDeclaration,
    MemberReview,
    Membership,
    MembershipStatus,
    Person,
    TrainingKind,
    TrainingRecord,
)
from members.services._common import _actor, _terms_or_refuse
from members.services.seats import membership_activate
from panels import rules
from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation, raise_if
from panels.models import Panel


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
