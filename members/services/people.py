"""People and their declarations: the person record, declarations of eligibility facts, remarks."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from members.models import (
    Channel,
    Declaration,
    DeclarationKind,
    Person,
    Remark,
)
from members.services._common import _actor
from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation, raise_if
from panels.integrity import refuse_duplicate

PERSON_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "preferred_channel",
    "large_print",
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


def _user_taken(person: Person) -> ValidationError:
    """The refusal for a second person linked to the same account in one organisation
    (full_clean cannot check it: the organisation is excluded)."""
    return ValidationError(
        {"user": f"{person.user} is already linked to a person in this organisation."},
        code="unique",
    )


@transaction.atomic
def person_create(*, org, by=None, **values) -> Person:
    person = Person(organisation=org, **{k: v for k, v in values.items() if k in PERSON_FIELDS})
    person.full_clean(exclude=["organisation"])
    # Two requests linking the same account at once: the second gets full_clean's refusal.
    with refuse_duplicate(_user_taken(person), "person_one_per_user_per_org"):
        person.save()
    audit_record(
        org=org,
        actor=by,
        action="person.created",
        obj=person,
        after=snapshot(person, PERSON_FIELDS),
    )
    return person


def refuse_if_erased(person: Person) -> None:
    """An erased person's record ("Former member N") is never filled in again."""
    if person.erased_on:
        raise RuleViolation(
            code="person.erased",
            message=f"The personal data of {person.full_name} was erased on "
            f"{person.erased_on:%d %B %Y}: the record is not filled in again. A returning "
            "resident starts a new record.",
        )


CONTACT_FIELDS = ("first_name", "last_name", "email", "phone", "address", "postcode")


@transaction.atomic
def person_contact_update(*, person: Person, by=None, **values) -> Person:
    """Correct a person's name and contact details (an officer's page). Nobody is cut off
    from the channel their notices and papers go by: the address of someone who gets post,
    or the email address of someone who gets email, is not removed (change the channel
    first). Their pending notices are planned again with the new details."""
    refuse_if_erased(person)
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not contact fields: {sorted(unknown)}")
    after = {name: values.get(name, getattr(person, name)) for name in CONTACT_FIELDS}
    reasons = []
    for name in ("first_name", "last_name"):
        if not after[name]:
            reasons.append(Reason("person.name", "A name is needed.", name))
    # Only a removal is refused: a record that was already incomplete can still be edited.
    by_post = person.preferred_channel == Channel.POST or not after["email"]
    if person.address.strip() and not after["address"] and by_post:
        reasons.append(
            Reason(
                "person.address_needed",
                f"{person.full_name} gets notices and papers by post: keep an address, or "
                "record an email address and email as their way of getting notices first.",
                "address",
            )
        )
    if person.email and not after["email"] and person.preferred_channel == Channel.EMAIL:
        reasons.append(
            Reason(
                "person.email_needed",
                f"{person.full_name} gets notices and papers by email: keep an email address, "
                "or change how they get notices to post first.",
                "email",
            )
        )
    raise_if(reasons)
    return person_update(person=person, by=by, **after)


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
def remark_add(*, person: Person, text: str, by=None) -> Remark:
    if not text.strip():
        raise RuleViolation(code="remark.empty", message="Write the remark.", field="text")
    remark = Remark.objects.create(
        organisation_id=person.organisation_id, person=person, text=text, written_by=_actor(by)
    )
    audit_record(org=person.organisation, actor=by, action="remark.added", obj=remark)
    return remark
