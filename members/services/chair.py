"""The chair: recording a chair or vice-chair election."""

from __future__ import annotations

import datetime

from django.db import transaction

from members.models import (
    SEAT_HOLDING_STATUSES,
    ChairElection,
    Membership,
    MembershipEventKind,
    SeatRole,
)
from members.services._common import (
    CHAIR_ROLES,
    MEMBERSHIP_AUDIT_FIELDS,
    _actor,
    _close_chair_period,
    _event,
    _lock,
    _lock_panel,
    _open_chair_period,
    _refuse_unless_current,
    _terms_or_refuse,
)
from members.services.seats import _chair_facts, _chair_term_years, membership_change_role
from panels import rules
from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation, raise_if
from panels.models import Panel


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
