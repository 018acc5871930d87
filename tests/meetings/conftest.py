"""Fixtures for the meetings tests: a panel working to one of the five seeded ToRs, with
seats in the roles a test asks for."""

import datetime
from dataclasses import dataclass, field

import pytest

from meetings import services
from meetings.models import AttendanceStatus
from members.models import Membership, Person
from panels.models import DeadlineRule, TermsOfReference
from panels.seed_terms import TERMS

TOR_KEYS = {
    "helena": ("helena", "customer-excellence-panel"),
    "hfh": ("hfh", "customer-core-group"),
    "ivh": ("ivh", "customer-offer-panel"),
    "tht": ("tht", "quality-and-insight-panel"),
    "stockport": ("stockport", "aspire-customer-panel"),
}
EFFECTIVE_FROM = datetime.date(2020, 1, 1)


def make_terms(org, panel, which: str) -> TermsOfReference:
    spec = TERMS[TOR_KEYS[which]]
    terms = TermsOfReference.objects.create(
        organisation=org,
        panel=panel,
        version=1,
        title=spec["title"],
        effective_from=EFFECTIVE_FROM,
        **spec["values"],
    )
    for kind, amount, unit, direction, channel in spec["deadlines"]:
        DeadlineRule.objects.create(
            organisation=org,
            terms=terms,
            kind=kind,
            amount=amount,
            unit=unit,
            direction=direction,
            channel=channel,
        )
    return terms


@dataclass
class PanelSetup:
    org: object
    panel: object
    terms: object
    seats: list = field(default_factory=list)
    officer: object = None

    def role(self, role: str) -> list:
        return [s for s in self.seats if s.role == role]

    @property
    def chair(self):
        return self.role("chair")[0]

    @property
    def vice(self):
        return self.role("vice_chair")[0]

    @property
    def residents(self):
        return self.role("resident")


def add_seat(setup: PanelSetup, role: str, n: int, *, user=None, channel="email") -> Membership:
    person = Person.objects.create(
        organisation=setup.org,
        first_name=f"{role.title()}{n}",
        last_name=f"Surname{len(setup.seats)}",
        email=f"{role}{n}.{len(setup.seats)}@example.test",
        preferred_channel=channel,
        address="1 High Street\nTown",
        user=user,
    )
    seat = Membership.objects.create(
        organisation=setup.org,
        panel=setup.panel,
        person=person,
        role=role,
        starts_on=datetime.date(2021, 1, 1),
    )
    setup.seats.append(seat)
    return seat


@pytest.fixture
def panel_with(tenant_a):
    """panel_with("hfh", chair=1, vice_chair=1, resident=10, associate=1)."""

    def build(which: str, **counts) -> PanelSetup:
        terms = make_terms(tenant_a.org, tenant_a.panel, which)
        setup = PanelSetup(
            org=tenant_a.org, panel=tenant_a.panel, terms=terms, officer=tenant_a.officer
        )
        for role, count in counts.items():
            for n in range(count):
                add_seat(setup, role, n)
        return setup

    return build


# Tests schedule meetings on the day or close to it: inside the ToR's notice and papers
# deadlines, which needs a reason (meetings.services.meeting_schedule). Tests of that
# refusal pass late_reason="" themselves.
LATE = "Scheduled by the test inside its deadlines."


def schedule(setup: PanelSetup, date: datetime.date, **kwargs):
    kwargs.setdefault("late_reason", LATE)
    return services.meeting_schedule(
        panel=setup.panel, date=date, today=kwargs.pop("today", date), **kwargs
    )


def register(meeting, seats, status=AttendanceStatus.PRESENT, today=None):
    for seat in seats:
        services.attendance_record(
            meeting=meeting, membership=seat, status=status, today=today or meeting.date
        )


def register_data(meeting, statuses=None, **fields) -> dict:
    """POST data of the console's register form: every seat on the meeting's date with the
    status given (default present), plus ``fields`` by form name (``seat-<id>-left_at``)."""
    from members.selectors import current_memberships

    statuses = {getattr(k, "pk", k): v for k, v in (statuses or {}).items()}
    data = {"action": "register", "anchor": "register"}
    for seat in current_memberships(panel=meeting.panel, on=meeting.date):
        data[f"seat-{seat.pk}-status"] = statuses.get(seat.pk, AttendanceStatus.PRESENT)
    data.update(fields)
    return data


# The form each page action posts; each carries a prefix because the programme page and
# the console hold several forms (unique ids and names).
_ACTION_FORMS = {
    "schedule": "MeetingForm",
    "programme": "ProgrammeForm",
    "committee": "CommitteeDateForm",
    "add_item": "AgendaItemForm",
    "guest": "AttendanceRequestForm",
    "paper": "PaperForm",
    "presiding": "PresidingForm",
    "declaration": "DeclarationForm",
    "motion": "MotionForm",
    "action_point": "ActionPointForm",
    "approve": "ApproveForm",
    "key_sign_off": "SignOffForm",
    "cancel": "ReasonForm",
    "reschedule": "RescheduleForm",
}


def action_data(data: dict) -> dict:
    """POST data of a page action with the form's field names prefixed as the page has them."""
    from meetings import forms

    name = _ACTION_FORMS.get(data.get("action", ""))
    if name is None:
        return data
    form = getattr(forms, name)
    return {(f"{form.prefix}-{k}" if k in form.base_fields else k): v for k, v in data.items()}
