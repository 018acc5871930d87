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
from django.utils import timezone

from members.models import CURRENT_STATUSES, Membership
from panels import rules
from panels.models import Organisation, Panel, TermsOfReference
from panels.selectors import terms_in_force
from reports import sections as report_sections
from reports.models import Report, ReportKind, ReportNarrative
from reports.sections import Section

TERMS_ENDING_WINDOW_DAYS = rules.TERM_ENDING_WINDOW_DAYS


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
    term_state: str = ""  # "ended" or "ends", for terms ending in the period and after it


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
    as_of: datetime.date | None = None
    window_end: datetime.date | None = None


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
    as_of: datetime.date
    narrative: ReportNarrative | None
    membership: MembershipSection
    sections: list[Section]
    logo_uri: str | None = None
    cadence: rules.CadenceJudgement | None = None

    @property
    def interim(self) -> bool:
        """The period had not ended when the report was generated."""
        return self.as_of < self.period_end

    @property
    def toc(self) -> list[tuple[str, str]]:
        entries = [("summary", "Summary"), ("membership", "Membership")]
        entries += [(s.key, s.title) for s in self.sections]
        entries.append(("asks", "What the panel asks of the Board"))
        return entries


def _row(membership: Membership, as_of: datetime.date | None = None) -> MemberRow:
    term_state = ""
    if as_of is not None and membership.term_ends_on:
        term_state = "ended" if rules.term_ended(membership.term_ends_on, as_of) else "ends"
    return MemberRow(
        name=membership.person.full_name,
        role=membership.get_role_display(),
        status=membership.get_status_display(),
        starts_on=membership.starts_on,
        term_ends_on=membership.term_ends_on,
        ended_on=membership.ended_on,
        term_state=term_state,
    )


def membership_section(
    *,
    panel: Panel,
    terms: TermsOfReference | None,
    start: datetime.date,
    end: datetime.date,
    as_of: datetime.date | None = None,
) -> MembershipSection:
    """Size against the ToR range as of the as-of date, joiners and leavers in the period,
    and every term ending in the period or in the 90 days after the as-of date (a term
    ending on the as-of date has ended; "within 90 days" means after it)."""
    as_of = min(end, as_of or end)
    window_end = as_of + datetime.timedelta(days=TERMS_ENDING_WINDOW_DAYS)
    memberships = list(
        Membership.objects.for_org(panel.organisation_id)
        .filter(panel=panel, starts_on__lte=max(as_of, window_end))
        .filter(
            Q(ended_on__isnull=True)
            | Q(ended_on__gte=start)
            | Q(term_ends_on__gte=start, term_ends_on__lte=window_end)
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    current = [
        m
        for m in memberships
        if m.status in CURRENT_STATUSES
        and m.starts_on <= as_of
        and (m.ended_on is None or m.ended_on > as_of)
    ]
    seats = [rules.Seat(role=m.role, tenure_type=m.person.tenure_type) for m in current]
    state = rules.operating_state(terms=terms, current=seats) if terms else None
    maximum = terms.max_members if terms else None
    ending = sorted(
        (
            m
            for m in memberships
            if m.term_ends_on
            and m.starts_on <= as_of
            and start <= m.term_ends_on <= window_end
            and (m.ended_on is None or m.ended_on >= start)
        ),
        key=lambda m: (m.term_ends_on, m.person.last_name, m.person.first_name),
    )
    return MembershipSection(
        size=state.members if state else len(current),
        minimum=terms.min_members if terms else None,
        maximum=maximum,
        ideal=(terms.ideal_min_members, terms.ideal_max_members) if terms else (None, None),
        can_operate=state.can_operate if state else True,
        problems=[str(r) for r in state.reasons] if state else [],
        vacancies=(maximum - state.members) if (state and maximum is not None) else None,
        members=[_row(m) for m in current],
        joiners=[_row(m) for m in memberships if start <= m.starts_on <= as_of],
        leavers=[_row(m) for m in memberships if m.ended_on and start <= m.ended_on <= as_of],
        terms_ending=[_row(m, as_of) for m in ending],
        as_of=as_of,
        window_end=window_end,
    )


# Other apps contribute sections: each is a function (panel, terms, start, end, kind,
# as_of) -> Section in reports.sections, listed here in report order.
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
    as_of: datetime.date | None = None,
) -> ReportData:
    """Everything a report shows, read once at ``snapshot_at`` and true as of ``as_of`` (the
    period's end, or the day the report was generated if the period was still running)."""
    from reports.compliance import as_of_date, panel_cadence

    org = panel.organisation
    as_of = as_of_date(end=period_end, today=as_of or timezone.localdate(snapshot_at))
    terms = terms_in_force(panel=panel, on=as_of)
    narrative = (
        ReportNarrative.objects.for_org(org)
        .filter(panel=panel, kind=kind, period_start=period_start)
        .first()
    )
    label = period_label(kind, period_start, period_end)
    sections = [
        build(panel=panel, terms=terms, start=period_start, end=period_end, kind=kind, as_of=as_of)
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
        as_of=as_of,
        narrative=narrative,
        membership=membership_section(
            panel=panel, terms=terms, start=period_start, end=period_end, as_of=as_of
        ),
        sections=sections,
        logo_uri=report_sections.logo_data_uri(org),
        cadence=panel_cadence(panel=panel, year=period_end.year, as_of=as_of),
    )


def report_list(*, org: Organisation, panel: Panel | None = None) -> QuerySet[Report]:
    reports = Report.objects.for_org(org).select_related("panel", "requested_by")
    if panel is not None:
        reports = reports.filter(panel=panel)
    return reports.order_by("-period_start", "panel__name", "kind", "-version")


def report_list_published(*, org: Organisation, panel: Panel) -> QuerySet[Report]:
    return report_list(org=org, panel=panel).filter(is_published=True, status="ready")
