"""The work plan: priorities, champions, work items, the budget and sub-groups."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from members.models import Person
from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation, raise_if
from panels.integrity import refuse_duplicate
from panels.models import Panel
from panels.rules import champion_refusals
from panels.selectors import terms_in_force
from scrutiny.models import (
    BudgetAllocation,
    BudgetSpend,
    NeighbourhoodBudget,
    PriorityChampion,
    PriorityStatus,
    ServiceReview,
    SubGroup,
    WorkPlanItem,
    WorkPlanPriority,
)
from scrutiny.services._common import SCRUTINY_RULES, _org


@transaction.atomic
def priority_create(
    *,
    panel: Panel,
    year: int,
    title: str,
    by,
    description: str = "",
    review_due_on: datetime.date | None = None,
) -> WorkPlanPriority:
    """Agree an annual priority for the work plan (HFH ToR 3a: six-monthly review)."""
    duplicate = Reason(
        "priority.duplicate",
        f"“{title}” is already a priority for {year}.",
        "title",
        SCRUTINY_RULES,
    )
    if (
        WorkPlanPriority.objects.for_org(_org(panel))
        .filter(panel=panel, year=year, title=title)
        .exists()
    ):
        raise RuleViolation([duplicate])
    with refuse_duplicate(duplicate, "priority_title_per_panel_year"):
        priority = WorkPlanPriority.objects.create(
            organisation=_org(panel),
            panel=panel,
            year=year,
            title=title,
            description=description,
            review_due_on=review_due_on,
        )
    audit_record(
        org=priority.organisation,
        actor=by,
        action="scrutiny.priority_create",
        obj=priority,
        after=snapshot(priority, ["year", "title", "review_due_on"]),
    )
    return priority


@transaction.atomic
def priority_review(
    *, priority: WorkPlanPriority, reviewed_on: datetime.date, note: str, status: str, by
) -> WorkPlanPriority:
    """Record the six-monthly review of a priority."""
    fields = ["reviewed_on", "review_note", "status"]
    before = snapshot(priority, fields)
    priority.reviewed_on, priority.review_note, priority.status = reviewed_on, note, status
    priority.save(update_fields=fields)
    audit_record(
        org=priority.organisation,
        actor=by,
        action="scrutiny.priority_review",
        obj=priority,
        before=before,
        after=snapshot(priority, fields),
    )
    return priority


@transaction.atomic
def champion_assign(
    *, priority: WorkPlanPriority, person: Person, since: datetime.date, by
) -> PriorityChampion:
    """A resident lead champions a priority; the ToR caps how many each may champion."""
    org = priority.organisation
    # Lock the person's row so two assignments at once cannot both pass the count.
    person = Person.objects.for_org(org).select_for_update().get(pk=person.pk)
    terms = terms_in_force(panel=priority.panel, on=since)
    held = (
        PriorityChampion.objects.for_org(org)
        .filter(
            person=person,
            priority__panel=priority.panel,
            priority__year=priority.year,
            priority__status=PriorityStatus.ACTIVE,
        )
        .exclude(priority=priority)
        .count()
    )
    reasons = champion_refusals(terms=terms, priorities_championed=held) if terms else []
    already = Reason(
        "champion.already", f"{person} already champions this priority.", "person", SCRUTINY_RULES
    )
    if PriorityChampion.objects.for_org(org).filter(priority=priority, person=person).exists():
        reasons.append(already)
    raise_if(reasons)
    with refuse_duplicate(already, "champion_once_per_priority"):
        link = PriorityChampion.objects.create(
            organisation=org, priority=priority, person=person, since=since
        )
    audit_record(
        org=org,
        actor=by,
        action="scrutiny.champion_assign",
        obj=link,
        after={"priority": priority.pk, "person": person.pk},
    )
    return link


@transaction.atomic
def work_item_add(
    *,
    priority: WorkPlanPriority,
    title: str,
    outputs: str,
    by,
    due_on: datetime.date | None = None,
    supported_by: str = "",
) -> WorkPlanItem:
    """A work plan item with its required outputs (HFH ToR 4)."""
    item = WorkPlanItem.objects.create(
        organisation_id=priority.organisation_id,
        priority=priority,
        title=title,
        outputs=outputs,
        due_on=due_on,
        supported_by=supported_by,
    )
    audit_record(
        org=priority.organisation,
        actor=by,
        action="scrutiny.work_item_add",
        obj=item,
        after=snapshot(item, ["title", "outputs", "due_on"]),
    )
    return item


@transaction.atomic
def budget_set(*, panel: Panel, year: int, total: Decimal, by) -> NeighbourhoodBudget:
    budget, created = NeighbourhoodBudget.objects.for_org(_org(panel)).get_or_create(
        organisation=_org(panel), panel=panel, year=year, defaults={"total": total}
    )
    before = None if created else snapshot(budget, ["total"])
    if not created:
        budget.total = total
        budget.save(update_fields=["total"])
    audit_record(
        org=budget.organisation,
        actor=by,
        action="scrutiny.budget_set",
        obj=budget,
        before=before,
        after=snapshot(budget, ["year", "total"]),
    )
    return budget


@transaction.atomic
def budget_allocate(
    *,
    budget: NeighbourhoodBudget,
    title: str,
    amount: Decimal,
    allocated_on: datetime.date,
    by,
    priority: WorkPlanPriority | None = None,
) -> BudgetAllocation:
    """Allocate part of the neighbourhood improvement budget, linked to a priority."""
    budget = (
        NeighbourhoodBudget.objects.for_org(budget.organisation_id)
        .select_for_update()
        .get(pk=budget.pk)
    )
    allocated = sum((a.amount for a in budget.allocations.all()), Decimal("0"))
    reasons = []
    if amount <= 0:
        reasons.append(
            Reason("budget.amount", "Allocate a positive amount.", "amount", SCRUTINY_RULES)
        )
    elif allocated + amount > budget.total:
        reasons.append(
            Reason(
                "budget.over_allocated",
                f"Only £{budget.total - allocated} of the £{budget.total} budget is unallocated.",
                "amount",
                SCRUTINY_RULES,
            )
        )
    if priority is not None and priority.panel_id != budget.panel_id:
        reasons.append(
            Reason(
                "budget.priority_other_panel",
                "Link allocations to this panel's priorities.",
                "priority",
                SCRUTINY_RULES,
            )
        )
    raise_if(reasons)
    allocation = BudgetAllocation.objects.create(
        organisation_id=budget.organisation_id,
        budget=budget,
        priority=priority,
        title=title,
        amount=amount,
        allocated_on=allocated_on,
    )
    audit_record(
        org=budget.organisation,
        actor=by,
        action="scrutiny.budget_allocate",
        obj=allocation,
        after=snapshot(allocation, ["title", "amount", "priority"]),
    )
    return allocation


@transaction.atomic
def budget_spend(
    *,
    allocation: BudgetAllocation,
    amount: Decimal,
    spent_on: datetime.date,
    description: str,
    by,
) -> BudgetSpend:
    """Record spend against an allocation; never more than was allocated."""
    allocation = (
        BudgetAllocation.objects.for_org(allocation.organisation_id)
        .select_for_update()
        .get(pk=allocation.pk)
    )
    spent = sum((s.amount for s in allocation.spends.all()), Decimal("0"))
    if amount <= 0 or spent + amount > allocation.amount:
        raise RuleViolation(
            code="budget.overspent",
            message=f"£{allocation.amount - spent} of this £{allocation.amount} allocation "
            "is left to spend.",
            field="amount",
            source=SCRUTINY_RULES,
        )
    spend = BudgetSpend.objects.create(
        organisation_id=allocation.organisation_id,
        allocation=allocation,
        amount=amount,
        spent_on=spent_on,
        description=description,
    )
    audit_record(
        org=allocation.organisation,
        actor=by,
        action="scrutiny.budget_spend",
        obj=spend,
        after=snapshot(spend, ["amount", "spent_on", "description"]),
    )
    return spend


@transaction.atomic
def sub_group_create(
    *,
    panel: Panel,
    name: str,
    kind: str,
    formed_on: datetime.date,
    by,
    purpose: str = "",
    members: Iterable[Person] = (),
    review: ServiceReview | None = None,
) -> SubGroup:
    """Form a sub-group or working party of the panel with its members."""
    members = list(members)
    if any(p.organisation_id != panel.organisation_id for p in members):
        raise RuleViolation(
            code="sub_group.member_other_organisation",
            message="Only people of this organisation can join its sub-groups.",
            field="members",
            source=SCRUTINY_RULES,
        )
    duplicate = Reason(
        "sub_group.duplicate",
        f"The panel already has a group called “{name}”.",
        "name",
        SCRUTINY_RULES,
    )
    if SubGroup.objects.for_org(_org(panel)).filter(panel=panel, name=name).exists():
        raise RuleViolation([duplicate])
    with refuse_duplicate(duplicate, "sub_group_name_per_panel"):
        group = SubGroup.objects.create(
            organisation=_org(panel),
            panel=panel,
            name=name,
            kind=kind,
            purpose=purpose,
            formed_on=formed_on,
            review=review,
        )
    group.members.set(members)
    audit_record(
        org=group.organisation,
        actor=by,
        action="scrutiny.sub_group_create",
        obj=group,
        after={"name": name, "kind": kind, "members": [p.pk for p in members]},
    )
    return group
