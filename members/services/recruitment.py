"""Recruitment: vacancies, applications (public and entered) and their steps and decisions."""

from __future__ import annotations

import datetime

from django.db import transaction

from members import selectors
from members.models import (
    DECLARATION_FACTS,
    Application,
    ApplicationStatus,
    Person,
    RecruitmentStep,
    RecruitmentStepKind,
    SeatRole,
    Vacancy,
)
from members.services._common import DEFERRED_AT_APPLICATION, _actor, _terms_or_refuse
from members.services.people import (
    PERSON_FIELDS,
    declaration_record,
    person_create,
    person_update,
)
from panels import rules
from panels.audit import audit_record
from panels.errors import Reason, RuleViolation, raise_if
from panels.models import Panel


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


def _contact_reasons(details: dict) -> list[Reason]:
    """An applicant must be reachable: by email, phone or post, and by the channel they chose
    for letters and papers."""
    email, phone, address = (
        str(details.get(k) or "").strip() for k in ("email", "phone", "address")
    )
    if not (email or phone or address):
        return [
            Reason(
                code="application.no_contact",
                message="Give us at least one way to reach you: an email address, a phone "
                "number or a postal address.",
                field="email",
            )
        ]
    channel = details.get("preferred_channel")
    if channel == "email" and not email:
        return [
            Reason(
                code="application.channel_email",
                message="You asked for papers by email: give your email address, or choose post.",
                field="email",
            )
        ]
    if channel == "post" and not address:
        return [
            Reason(
                code="application.channel_post",
                message="You asked for papers by post: give your postal address, or choose email.",
                field="address",
            )
        ]
    return []


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


# A second public application from the same email within this many days updates the
# pending one instead of creating another person (issue 19: no duplicate records).
DUPLICATE_WINDOW_DAYS = 30
PENDING = (ApplicationStatus.RECEIVED, ApplicationStatus.IN_PROGRESS)


def _recent_pending_application(*, panel: Panel, email: str | None, on) -> Application | None:
    if not email:
        return None
    return (
        Application.objects.for_org(panel.organisation_id)
        .filter(
            panel=panel,
            status__in=PENDING,
            person__email__iexact=email,
            submitted_on__gte=on - datetime.timedelta(days=DUPLICATE_WINDOW_DAYS),
        )
        .select_related("person")
        .order_by("-submitted_on", "-pk")
        .first()
    )


def _application_resubmit(
    *,
    application: Application,
    person_details: dict,
    declared: set[str],
    statement: str,
    submitted_on,
) -> Application:
    """The same applicant sent the form again: their details and answers replace the
    earlier ones on the pending application (history keeps the earlier ones)."""
    person = application.person
    person_update(person=person, **person_details)
    held = set(
        person.declarations.filter(applies_until__isnull=True).values_list("kind", flat=True)
    )
    for kind in sorted(set(declared) - held):
        declaration_record(
            person=person,
            kind=kind,
            applies_from=submitted_on,
            self_declared=True,
            recorded_on=submitted_on,
        )
    if statement and statement != application.statement:
        application.statement = statement
        application.save(update_fields=["statement"])
    audit_record(
        org=application.organisation,
        actor=None,
        action="application.resubmitted",
        obj=application,
        reason="The same email sent the public form again; the pending application was updated.",
    )
    return application


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
    reasons += _contact_reasons(person_details)
    reasons += _application_reasons(
        terms=terms, facts=facts, on=submitted_on, seat_role=vacancy.seat_role if vacancy else None
    )
    raise_if(reasons)
    pending = _recent_pending_application(
        panel=panel, email=person_details.get("email"), on=submitted_on
    )
    if pending is not None:
        return _application_resubmit(
            application=pending,
            person_details=person_details,
            declared=declared,
            statement=statement,
            submitted_on=submitted_on,
        )
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
