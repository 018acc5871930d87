"""People: lists, a person's history, declarations and training."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from members.models import (
    Application,
    ConductSignature,
    Declaration,
    ExpenseClaim,
    InterestDeclaration,
    LeaveOfAbsence,
    MemberReview,
    Membership,
    MembershipEvent,
    Person,
    Remark,
    RemovalFlag,
    TrainingRecord,
)
from panels.selectors import terms_in_force


def person_list(*, org) -> QuerySet[Person]:
    return Person.objects.for_org(org).order_by("last_name", "first_name")


def person_for_user(*, org, user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.for_org(org).filter(user=user).first()


def person_history(*, person: Person) -> dict:
    """Everything about one person: seats with their events, leave, removal and reviews,
    applications, declarations, training, conduct, interests, remarks and expenses."""
    org = person.organisation_id
    memberships = list(
        Membership.objects.for_org(org)
        .filter(person=person)
        .select_related("panel", "removal")
        .prefetch_related(
            Prefetch("events", queryset=MembershipEvent.objects.for_org(org).select_related("by")),
            Prefetch("leaves", queryset=LeaveOfAbsence.objects.for_org(org)),
            Prefetch("reviews", queryset=MemberReview.objects.for_org(org)),
            Prefetch(
                "removal_flags",
                queryset=RemovalFlag.objects.for_org(org).filter(
                    decision=RemovalFlag.Decision.PENDING
                ),
                to_attr="open_flags",
            ),
        )
        .order_by("-starts_on")
    )
    today = timezone.localdate()
    for m in memberships:
        terms = terms_in_force(panel=m.panel, on=today)
        m.reviews_provided = bool(terms and (terms.skills_audit or terms.annual_member_review))
        m.open_leaves = [leave for leave in m.leaves.all() if leave.returned_on is None]
    return {
        "memberships": memberships,
        "applications": list(
            Application.objects.for_org(org).filter(person=person).select_related("panel")
        ),
        "declarations": list(
            Declaration.objects.for_org(org).filter(person=person).select_related("recorded_by")
        ),
        "training": list(TrainingRecord.objects.for_org(org).filter(person=person)),
        "signatures": list(
            ConductSignature.objects.for_org(org).filter(person=person).select_related("panel")
        ),
        "interests": list(InterestDeclaration.objects.for_org(org).filter(person=person)),
        "remarks": list(
            Remark.objects.for_org(org).filter(person=person).select_related("written_by")
        ),
        "expenses": list(
            ExpenseClaim.objects.for_org(org)
            .filter(membership__person=person)
            .select_related("membership__panel")
        ),
    }


def person_declarations(*, person: Person) -> QuerySet[Declaration]:
    return (
        Declaration.objects.for_org(person.organisation_id)
        .filter(person=person)
        .select_related("recorded_by")
    )


def training_kinds_completed(*, org, person_ids, on) -> dict[int, set[str]]:
    """{person id: the kinds of training completed on or before ``on``} in one query."""
    kinds: dict[int, set[str]] = {pk: set() for pk in person_ids}
    for person_id, kind in (
        TrainingRecord.objects.for_org(org)
        .filter(person_id__in=list(kinds), completed_on__lte=on)
        .values_list("person_id", "kind")
    ):
        kinds[person_id].add(kind)
    return kinds


def person_training(*, person: Person) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.for_org(person.organisation_id).filter(person=person)


def declaration_list(*, org) -> QuerySet[Declaration]:
    return Declaration.objects.for_org(org).select_related("recorded_by").order_by("-id")
