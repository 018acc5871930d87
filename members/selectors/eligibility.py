"""Eligibility: the facts about a person the rules ask, and the reasons they fail."""

from __future__ import annotations

import datetime

from members.models import (
    DECLARATION_FACTS,
    SEAT_HOLDING_STATUSES,
    Application,
    ApplicationStatus,
    Declaration,
    Membership,
    Person,
    TrainingKind,
    TrainingRecord,
)
from panels import rules
from panels.errors import Reason
from panels.models import Panel
from panels.selectors import terms_in_force


def facts_from(
    *,
    person: Person,
    declarations,
    training,
    on: datetime.date,
    household_member_on_panel: bool = False,
    recruitment_completed: bool = False,
    rejoin_barred_until: datetime.date | None = None,
) -> rules.PersonFacts:
    """PersonFacts from rows already fetched (so lists of people need no query per person)."""
    declared = {d.kind for d in declarations if d.applies_on(on)}
    return rules.PersonFacts(
        date_of_birth=person.date_of_birth,
        tenure_type=person.tenure_type,
        is_current_customer=person.is_customer_on(on),
        household_member_on_panel=household_member_on_panel,
        recruitment_completed=recruitment_completed,
        core_training_completed=any(
            t.kind == TrainingKind.CORE and t.completed_on <= on for t in training
        ),
        rejoin_barred_until=rejoin_barred_until,
        **{field: kind in declared for kind, field in DECLARATION_FACTS.items()},
    )


def person_facts(
    *,
    person: Person,
    on: datetime.date,
    panel: Panel | None = None,
    exclude_membership_id: int | None = None,
) -> rules.PersonFacts:
    """What the eligibility rules need to know about a person on a date (for one panel:
    household, recruitment and the bar on rejoining are per panel)."""
    org = person.organisation_id
    household_on_panel = False
    recruited = False
    barred_until = None
    if panel is not None:
        seats = Membership.objects.for_org(org).filter(panel=panel)
        if person.household_reference:
            household_on_panel = (
                seats.filter(
                    status__in=SEAT_HOLDING_STATUSES,
                    person__household_reference=person.household_reference,
                )
                .exclude(person=person)
                .exclude(pk=exclude_membership_id)
                .exists()
            )
        recruited = (
            Application.objects.for_org(org)
            .filter(
                panel=panel,
                person=person,
                status__in=[ApplicationStatus.SELECTED, ApplicationStatus.APPOINTED],
            )
            .exists()
            or seats.filter(person=person).exists()
        )
        barred_until = (
            seats.filter(person=person, rejoin_barred_until__isnull=False)
            .order_by("-rejoin_barred_until")
            .values_list("rejoin_barred_until", flat=True)
            .first()
        )
    return facts_from(
        person=person,
        declarations=Declaration.objects.for_org(org).filter(person=person),
        training=TrainingRecord.objects.for_org(org).filter(person=person),
        on=on,
        household_member_on_panel=household_on_panel,
        recruitment_completed=recruited,
        rejoin_barred_until=barred_until,
    )


def person_eligibility(
    *, person: Person, panel: Panel, on: datetime.date, seat_role: str | None = None
) -> list[Reason]:
    """Every reason the person may not sit on the panel on that date, from the ToR in force."""
    terms = terms_in_force(panel=panel, on=on)
    if terms is None:
        return [
            Reason(
                code="terms.none_in_force",
                message=f"{panel.name} has no terms of reference in force on {on:%d %B %Y}.",
            )
        ]
    return rules.eligibility_reasons(
        terms=terms,
        facts=person_facts(person=person, on=on, panel=panel),
        today=on,
        seat_role=seat_role,
    )
