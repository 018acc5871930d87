"""Reads for reports: the data object a report is rendered from, and report lists.

A report is built from a ``ReportData`` assembled here from the other apps' models and
selectors; the template only lays it out. Sections whose data are absent say so rather
than failing ("No meetings were held this quarter.").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from members.models import CURRENT_STATUSES, Membership
from panels import rules
from panels.models import Organisation, Panel, TermsOfReference
from panels.selectors import terms_in_force
from reports import sections as report_sections
from reports.models import Report, ReportKind, ReportNarrative
from reports.sections import Section

TERMS_ENDING_WINDOW_DAYS = 90


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1, 2, 3 or 4")
    start = datetime.date(year, 3 * (quarter - 1) + 1, 1)
    end_month = start.month + 2
    next_month = datetime.date(year + (end_month == 12), end_month % 12 + 1, 1)
    return start, next_month - datetime.timedelta(days=1)


def period_label(kind: str, start: datetime.date, end: datetime.date) -> str:
    if kind == ReportKind.QUARTERLY:
        return (
            f"Quarter {(start.month - 1) // 3 + 1} {start.year} ({start:%-d %B} to {end:%-d %B %Y})"
        )
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


@dataclass
class MemberRow:
    name: str
    role: str
    status: str
    starts_on: datetime.date
    term_ends_on: datetime.date | None
    ended_on: datetime.date | None = None


@dataclass
class MembershipSection:
    size: int
    minimum: int | None
    maximum: int | None
    ideal: tuple[int | None, int | None]
    can_operate: bool
    problems: list[str]
    vacancies: int | None
    members: list[MemberRow]
    joiners: list[MemberRow]
    leavers: list[MemberRow]
    terms_ending: list[MemberRow]


@dataclass
class ReportData:
    kind: str
    organisation: Organisation
    panel: Panel
    terms: TermsOfReference | None
    period_start: datetime.date
    period_end: datetime.date
    period_label: str
    title: str
    snapshot_at: datetime.datetime
    narrative: ReportNarrative | None
    membership: MembershipSection
    sections: list[Section]
    logo_uri: str | None = None

    @property
    def toc(self) -> list[tuple[str, str]]:
        entries = [("summary", "Summary"), ("membership", "Membership")]
        entries += [(s.key, s.title) for s in self.sections]
        entries.append(("asks", "What the panel asks of the Board"))
        return entries


def _row(membership: Membership) -> MemberRow:
    return MemberRow(
        name=membership.person.full_name,
        role=membership.get_role_display(),
        status=membership.get_status_display(),
        starts_on=membership.starts_on,
        term_ends_on=membership.term_ends_on,
        ended_on=membership.ended_on,
    )


def membership_section(
    *, panel: Panel, terms: TermsOfReference | None, start: datetime.date, end: datetime.date
) -> MembershipSection:
    """Size against the ToR range, joiners and leavers in the period, terms ending soon."""
    memberships = list(
        Membership.objects.for_org(panel.organisation_id)
        .filter(panel=panel, starts_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    current = [
        m
        for m in memberships
        if m.status in CURRENT_STATUSES and (m.ended_on is None or m.ended_on > end)
    ]
    seats = [rules.Seat(role=m.role, tenure_type=m.person.tenure_type) for m in current]
    state = rules.operating_state(terms=terms, current=seats) if terms else None
    window_end = end + datetime.timedelta(days=TERMS_ENDING_WINDOW_DAYS)
    maximum = terms.max_members if terms else None
    return MembershipSection(
        size=state.members if state else len(current),
        minimum=terms.min_members if terms else None,
        maximum=maximum,
        ideal=(terms.ideal_min_members, terms.ideal_max_members) if terms else (None, None),
        can_operate=state.can_operate if state else True,
        problems=[str(r) for r in state.reasons] if state else [],
        vacancies=(maximum - state.members) if (state and maximum is not None) else None,
        members=[_row(m) for m in current],
        joiners=[_row(m) for m in memberships if start <= m.starts_on <= end],
        leavers=[_row(m) for m in memberships if m.ended_on and start <= m.ended_on <= end],
        terms_ending=[
            _row(m) for m in current if m.term_ends_on and end < m.term_ends_on <= window_end
        ],
    )


# Other apps contribute sections: each is a function (panel, terms, start, end, kind)
# -> Section in reports.sections, listed here in report order.
SECTION_BUILDERS: list[Callable[..., Section]] = [
    report_sections.compliance_section,
    report_sections.measures_section,
    report_sections.reviews_section,
    report_sections.recommendations_section,
    report_sections.complaints_section,
    report_sections.terms_section,
]


def report_data(
    *,
    panel: Panel,
    kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    snapshot_at: datetime.datetime,
) -> ReportData:
    """Everything a report shows, read once at ``snapshot_at``."""
    org = panel.organisation
    terms = terms_in_force(panel=panel, on=period_end)
    narrative = (
        ReportNarrative.objects.for_org(org)
        .filter(panel=panel, kind=kind, period_start=period_start)
        .first()
    )
    label = period_label(kind, period_start, period_end)
    sections = [
        build(panel=panel, terms=terms, start=period_start, end=period_end, kind=kind)
        for build in SECTION_BUILDERS
    ]
    return ReportData(
        kind=kind,
        organisation=org,
        panel=panel,
        terms=terms,
        period_start=period_start,
        period_end=period_end,
        period_label=label,
        title=f"{panel.name}: {ReportKind(kind).label}, {label}",
        snapshot_at=snapshot_at,
        narrative=narrative,
        membership=membership_section(panel=panel, terms=terms, start=period_start, end=period_end),
        sections=sections,
        logo_uri=report_sections.logo_data_uri(org),
    )


def report_list(*, org: Organisation, panel: Panel | None = None) -> QuerySet[Report]:
    reports = Report.objects.for_org(org).select_related("panel", "requested_by")
    if panel is not None:
        reports = reports.filter(panel=panel)
    return reports.order_by("-period_start", "panel__name", "kind", "-version")


def report_list_published(*, org: Organisation, panel: Panel) -> QuerySet[Report]:
    return report_list(org=org, panel=panel).filter(is_published=True, status="ready")
