"""The rules of a terms-of-reference version in plain English, generated from the record.

Pure: a version and its deadline rules in, sections of sentences out. Only rules the
version states produce a sentence; an unset rule says nothing (the document did not
state it). Also the grouping of rule fields into sections, shared with the officer form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from panels.models import (
    AbsenceConsequence,
    Cadence,
    ChairSelection,
    DeadlineDirection,
    DeadlineRule,
    DeadlineUnit,
    DecisionMethod,
    ExtensionKind,
    InterestQuorumRule,
    MinutesPublication,
    QuorumKind,
    ReportingFrequency,
    TermsOfReference,
)

# Every rule field of a version, grouped as the public page and the officer form show them.
TERMS_SECTIONS: list[tuple[str, str, list[str]]] = [
    (
        "version",
        "This version",
        [
            "effective_from",
            "approved_on",
            "approved_by",
            "review_due_on",
            "title",
            "change_note",
            "source_text",
        ],
    ),
    (
        "membership",
        "Membership",
        [
            "min_members",
            "max_members",
            "ideal_min_members",
            "ideal_max_members",
            "min_resident_members",
            "eligible_tenures",
            "tenure_caps",
            "voting_roles",
            "non_voting_roles",
            "selection_panel_min_members",
            "code_of_conduct_required",
        ],
    ),
    (
        "eligibility",
        "Who may be a member",
        [
            "eligibility_criteria",
            "min_age",
            "eligibility_exemptions",
            "training_before_active",
            "training_before_first_vote",
        ],
    ),
    (
        "terms",
        "Terms of office",
        [
            "term_years",
            "further_terms",
            "max_years",
            "extension_kind",
            "extension_limit_years",
            "reappointment_automatic",
            "step_down_at_term_end",
            "may_reapply",
        ],
    ),
    (
        "chair",
        "Chair and vice chair",
        [
            "chair_selection",
            "chair_elected_annually",
            "chair_election_month",
            "chair_max_years",
            "chair_not_board_chair",
            "chair_not_staff",
            "officer_led_meetings",
            "vice_chair_presides_in_absence",
            "members_choose_chair_if_both_absent",
        ],
    ),
    (
        "meetings",
        "Meetings",
        [
            "cadence",
            "min_meetings_per_year",
            "meets_before_committee",
            "usual_start_time",
            "usual_end_time",
            "may_meet_virtually",
            "aob_last",
            "minutes_public",
            "key_messages_published",
        ],
    ),
    (
        "quorum",
        "Quorum and decisions",
        [
            "quorum_kind",
            "quorum_number",
            "quorum_fraction",
            "interest_quorum",
            "decision_method",
            "chair_casting_vote",
            "all_member_majority_motions",
        ],
    ),
    (
        "attendance",
        "Attendance, leave and leaving",
        [
            "absence_limit",
            "absence_consequence",
            "rejoin_bar_years",
            "leave_max_months",
            "payments_pause_on_leave",
            "removal_appeal_to",
            "removal_appeal_final",
        ],
    ),
    (
        "money",
        "Payments and expenses",
        [
            "remuneration_member_annual",
            "remuneration_chair_annual",
            "remuneration_subject_to_attendance",
            "vouchers_for_attendance",
            "vouchers_require_papers_read",
            "expenses_policy",
            "expenses_need_receipts",
            "expenses_agreed_in_advance",
            "payment_methods",
        ],
    ),
    (
        "reporting",
        "Reporting and scrutiny",
        [
            "reporting_frequency",
            "reports_to",
            "annual_report",
            "annual_impact_assessment",
            "annual_effectiveness_review",
            "annual_work_plan_review",
            "annual_member_review",
            "skills_audit",
            "board_responds_in_writing",
            "scrutiny_reviews_per_year",
            "champion_max_priorities",
            "priorities_review_months",
            "board_nominated_topic_required",
            "escalation_steps",
        ],
    ),
]

ROLE_NAMES = {
    "chair": "the chair",
    "vice_chair": "the vice chair",
    "resident": "resident members",
    "associate": "associate members",
    "co_opted": "co-opted members",
    "officer": "officers",
    "sponsor": "sponsors",
}
TENURE_NAMES = {
    "tenant": "tenants",
    "leaseholder": "leaseholders",
    "shared_owner": "shared owners",
    "household_member": "members of a customer's household",
}
NOT_STATED = "not stated in the terms of reference"
MOTION_NAMES = {"notice_to_act": "A Notice to Act"}
PAYMENT_NAMES = {"bacs": "BACS", "vouchers": "vouchers"}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
CRITERION_SENTENCES = {
    "current_customer": "Members must be current customers (residents) of the organisation.",
    "not_employee": "Employees of the organisation cannot be members.",
    "no_tenancy_breach_action": (
        "Nobody with a current action against them for breaching their tenancy or lease "
        "can be a member."
    ),
    "no_breach_court_order": (
        "Nobody under a court order for breach of their agreement with the organisation can "
        "be a member."
    ),
    "no_open_asb_case": "Nobody with an open anti-social behaviour case can be a member.",
    "no_arrears_action_or_dispute": (
        "Nobody with an outstanding arrears court action or legal dispute with the "
        "organisation can be a member."
    ),
    "no_ccj_or_nsp": (
        "Nobody subject to a County Court judgment in the organisation's favour or a Notice "
        "of Seeking Possession can be a member."
    ),
    "not_on_other_board": (
        "Nobody who sits on the board of the organisation, another housing organisation or "
        "a business partner can be a member."
    ),
    "not_removed_under_code": "Nobody removed as a member under the code of conduct can return.",
    "no_same_household": "Only one member may come from each household or property.",
    "recruitment_completed": "Members join through the panel's recruitment process.",
    "core_training_completed": "Members must complete the panel's core training.",
    "not_excluded_for_behaviour": (
        "Nobody excluded from past activities because of their behaviour can be a member."
    ),
}
DEADLINE_SUBJECTS = {
    "meeting_notice": ("Meeting dates are given", "in advance"),
    "papers_out": ("The agenda and papers are sent{channel}", "each meeting"),
    "agenda_proposals": ("Agenda items must be proposed", "the meeting"),
    "attendance_request": (
        "Requests for staff or contractors to attend must be made",
        "the meeting",
    ),
    "minutes_out": ("Minutes are sent to members{channel}", "each meeting"),
    "key_messages": ("Key messages are signed off and published", "each meeting"),
}


@dataclass(frozen=True)
class TermsSection:
    key: str
    title: str
    statements: list[str]


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _money(amount) -> str:
    value = Decimal(amount)
    return f"£{value:,.0f}" if value == value.to_integral_value() else f"£{value:,.2f}"


def _time(value) -> str:
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}.{value.minute:02d}{suffix}"


def deadline_sentence(rule: DeadlineRule) -> str:
    """One deadline rule as a sentence: "The agenda and papers are sent by post at least
    7 days before each meeting." """
    subject, anchor = DEADLINE_SUBJECTS.get(rule.kind, (rule.get_kind_display(), "the meeting"))
    channel = {"post": " by post", "electronic": " electronically"}.get(rule.channel, "")
    subject = subject.format(channel=channel)
    unit = DeadlineUnit(rule.unit).label
    amount = f"{rule.amount} {unit}"
    if rule.amount == 1:
        amount = {"days": "1 day", "working days": "1 working day", "weeks": "1 week"}[unit]
    if rule.direction == DeadlineDirection.AFTER:
        return f"{subject} within {amount} after {anchor}."
    if anchor == "in advance":
        return f"{subject} at least {amount} {anchor}."
    return f"{subject} at least {amount} before {anchor}."


def _membership(terms: TermsOfReference) -> list[str]:
    out: list[str] = []
    low, high = terms.min_members, terms.max_members
    if low is not None and high is not None:
        out.append(
            f"The panel has between {low} and {high} members; below {low} it cannot operate."
        )
    elif high is not None:
        who = "tenants" if terms.eligible_tenures == ["tenant"] else "members"
        out.append(f"The panel has at most {high} {who}.")
    elif low is not None:
        out.append(f"The panel needs at least {low} members to operate.")
    if terms.ideal_min_members is not None and terms.ideal_max_members is not None:
        out.append(
            f"The ideal size is {terms.ideal_min_members} to {terms.ideal_max_members} members."
        )
    if terms.min_resident_members is not None:
        out.append(
            "Besides the chair and vice chair, the panel has at least "
            f"{terms.min_resident_members} resident members."
        )
    if terms.eligible_tenures:
        names = [TENURE_NAMES.get(t, t.replace("_", " ")) for t in terms.eligible_tenures]
        out.append(f"Membership is open to {_join(names)}.")
    for tenure, cap in (terms.tenure_caps or {}).items():
        out.append(f"At most {cap} places can be filled by {TENURE_NAMES.get(tenure, tenure)}.")
    if terms.voting_roles:
        names = [ROLE_NAMES.get(r, r) for r in terms.voting_roles]
        out.append(f"{_join(names).capitalize()} vote and count towards the quorum.")
    if terms.non_voting_roles:
        names = [ROLE_NAMES.get(r, r) for r in terms.non_voting_roles]
        out.append(f"{_join(names).capitalize()} do not vote.")
    if not terms.voting_roles:
        out.append(
            f"Who votes: {NOT_STATED}. PanelHub counts only the chair, vice chair and "
            "resident members for votes and quorum, not associate or co-opted members."
        )
    if terms.selection_panel_min_members:
        out.append(
            "Each selection includes at least "
            f"{_plural(terms.selection_panel_min_members, 'panel member')}."
        )
    if terms.code_of_conduct_required:
        out.append("Members sign up to and follow the code of conduct.")
    return out


def _eligibility(terms: TermsOfReference) -> list[str]:
    out: list[str] = []
    enabled = list(terms.eligibility_criteria or [])
    if "min_age" in enabled and terms.min_age:
        out.append(f"Members must be aged {terms.min_age} or over.")
    for code in enabled:
        if code in CRITERION_SENTENCES:
            sentence = CRITERION_SENTENCES[code]
            exempt = (terms.eligibility_exemptions or {}).get(code, [])
            if exempt:
                names = _join([ROLE_NAMES.get(r, r) for r in exempt])
                sentence = sentence.rstrip(".") + f", except for {names}."
            out.append(sentence)
    if terms.training_before_active:
        out.append("New members complete core training before they become active members.")
    if terms.training_before_first_vote == "core":
        out.append("Members take part in the mandatory training before their first vote.")
    elif terms.training_before_first_vote == "induction":
        out.append("Members attend induction training before their first vote.")
    return out


def _terms_of_office(terms: TermsOfReference) -> list[str]:
    out: list[str] = []
    if terms.term_years and terms.step_down_at_term_end:
        sentence = f"Membership is for a fixed term of {terms.term_years} years"
        sentence += ", after which members step down"
        sentence += "; they may then re-apply." if terms.may_reapply else "."
        out.append(sentence)
    elif terms.term_years:
        sentence = f"Members are appointed for {terms.term_years} years"
        if terms.further_terms:
            sentence += (
                f" and may serve {_plural(terms.further_terms, 'further term')}"
                if terms.further_terms > 1
                else " and may serve one further term"
            )
        if terms.max_years:
            sentence += f" ({terms.max_years} years in total at most)"
        out.append(sentence + ".")
    if terms.reappointment_automatic is False:
        out.append("Re-appointment is not automatic.")
    if terms.extension_kind == ExtensionKind.ANNUAL and terms.extension_limit_years:
        out.append(
            "After that, membership may be extended a year at a time, up to "
            f"{terms.extension_limit_years} years in total."
        )
    elif terms.extension_kind == ExtensionKind.EXCEPTIONAL:
        beyond = f" beyond {terms.max_years} years" if terms.max_years else ""
        out.append(f"Membership may continue{beyond} only in exceptional circumstances.")
    return out


def _chair(terms: TermsOfReference) -> list[str]:
    out: list[str] = []
    if terms.officer_led_meetings:
        out.append(
            f"An officer leads the first {terms.officer_led_meetings} meetings, before the "
            "chair and vice chair are elected."
        )
    when = ""
    if terms.chair_election_month:
        when = f" each {MONTHS[terms.chair_election_month - 1]}"
    elif terms.chair_elected_annually:
        when = " every year"
    if terms.chair_selection == ChairSelection.ELECTED_BY_PANEL:
        out.append(f"The chair and vice chair are elected by the members{when}.")
    elif terms.chair_selection == ChairSelection.APPOINTED_AGREED_BY_BOARD:
        out.append("The chair and vice chair are appointed by the panel and agreed by the Board.")
    elif terms.chair_selection == ChairSelection.RECRUITED:
        out.append("The chair is recruited to the role.")
    if terms.chair_max_years:
        out.append(f"A member can be chair for at most {terms.chair_max_years} years.")
    if terms.chair_not_board_chair:
        out.append("The chair must not be the Chair of the Board.")
    if terms.chair_not_staff:
        out.append("The chair must not be a paid member of staff.")
    if terms.vice_chair_presides_in_absence:
        out.append("If the chair is absent, the vice chair chairs the meeting.")
    if terms.members_choose_chair_if_both_absent:
        out.append(
            "If both are absent, the members present agree at the start who chairs the meeting."
        )
    return out


def _meetings(terms: TermsOfReference, deadline_rules: Iterable[DeadlineRule]) -> list[str]:
    out: list[str] = []
    if terms.cadence == Cadence.MONTHLY:
        out.append("The panel meets every month.")
    elif terms.cadence == Cadence.QUARTERLY and terms.min_meetings_per_year:
        out.append(
            "The panel meets at least quarterly, and at least "
            f"{terms.min_meetings_per_year} times in each calendar year."
        )
    elif terms.cadence == Cadence.QUARTERLY:
        out.append("The panel meets at least once a quarter.")
    elif terms.min_meetings_per_year:
        out.append(f"The panel meets at least {terms.min_meetings_per_year} times a year.")
    if terms.meets_before_committee:
        out.append(f"Meetings are held before each meeting of the {terms.meets_before_committee}.")
    if terms.usual_start_time and terms.usual_end_time:
        out.append(
            f"Meetings usually run from {_time(terms.usual_start_time)} to "
            f"{_time(terms.usual_end_time)}."
        )
    if terms.may_meet_virtually:
        out.append("Meetings can be held online.")
    if terms.aob_last:
        out.append("Any other business is the last item on the agenda.")
    rules = sorted(deadline_rules, key=lambda r: (r.direction != "before", r.kind))
    kinds = {r.kind for r in rules}
    out.extend(deadline_sentence(rule) for rule in rules)
    if terms.minutes_public == MinutesPublication.PUBLIC:
        out.append("Minutes are published, except items that are confidential.")
    elif terms.minutes_public == MinutesPublication.NOT_PUBLIC:
        out.append("Minutes are for members only; they are not published.")
    else:
        out.append(f"Whether minutes are public: {NOT_STATED}.")
    if terms.key_messages_published and "key_messages" not in kinds:
        out.append("Key messages from each meeting are published.")
    return out


def _quorum(terms: TermsOfReference) -> list[str]:
    out: list[str] = []
    if terms.quorum_kind == QuorumKind.FIXED_VOTING_RESIDENTS and terms.quorum_number:
        out.append(
            f"A meeting is quorate when at least {terms.quorum_number} voting resident members "
            "are present."
        )
    elif terms.quorum_kind == QuorumKind.MAJORITY_OF_MEMBERS:
        out.append("A meeting is quorate when more than half of all the members attend.")
    elif terms.quorum_kind == QuorumKind.FRACTION_OF_MEMBERS and terms.quorum_fraction:
        percent = (Decimal(terms.quorum_fraction) * 100).normalize()
        out.append(
            f"A meeting is quorate when at least {percent:f}% of the members are present "
            "(rounded up)."
        )
    else:
        out.append(f"Quorum: {NOT_STATED}.")
    if terms.interest_quorum == InterestQuorumRule.EXCLUDED:
        out.append(
            "A member who declared an interest in an item does not count towards the quorum "
            "for that item."
        )
    elif terms.interest_quorum == InterestQuorumRule.COUNTED:
        out.append(
            "A member who declared an interest in an item still counts towards the quorum "
            "for that item."
        )
    else:
        out.append(
            "Whether a member who declared an interest in an item counts towards the quorum "
            f"for that item: {NOT_STATED}."
        )
    if terms.decision_method == DecisionMethod.CONSENSUS_THEN_VOTE:
        out.append("Decisions are reached by consensus; where that is not possible, by a vote.")
    elif terms.decision_method == DecisionMethod.MAJORITY_VOTE:
        out.append("Each member has one vote, and decisions are made by a majority.")
    if terms.chair_casting_vote:
        out.append("If a vote is tied, the chair has the casting vote.")
    for motion in terms.all_member_majority_motions or []:
        name = MOTION_NAMES.get(motion, motion.replace("_", " ").capitalize())
        out.append(f"{name} needs the votes of a majority of all the panel's members.")
    return out


def _attendance(terms: TermsOfReference) -> list[str]:
    out: list[str] = []
    if terms.absence_limit and terms.absence_consequence == AbsenceConsequence.AUTOMATIC_RETIREMENT:
        sentence = (
            f"A member who misses {terms.absence_limit} meetings in a row without a reasonable "
            "explanation retires from the panel automatically"
        )
        if terms.rejoin_bar_years:
            sentence += f" and cannot rejoin for {terms.rejoin_bar_years} years"
        out.append(sentence + ".")
    elif terms.absence_limit and terms.absence_consequence == AbsenceConsequence.FLAG_FOR_REMOVAL:
        out.append(
            f"A member absent from {terms.absence_limit} meetings in a row without an "
            "underlying reason may be removed from the panel."
        )
    if terms.leave_max_months:
        sentence = f"A leave of absence can be for up to {terms.leave_max_months} months"
        if terms.payments_pause_on_leave:
            sentence += "; payments pause during it"
        out.append(sentence + ".")
    if terms.removal_appeal_to:
        final = ", whose decision is final" if terms.removal_appeal_final else ""
        out.append(
            f"A member asked to step down may appeal in writing to the {terms.removal_appeal_to}"
            f"{final}."
        )
    return out


def _money_statements(terms: TermsOfReference) -> list[str]:
    out: list[str] = []
    member, chair = terms.remuneration_member_annual, terms.remuneration_chair_annual
    if member:
        sentence = f"Members are paid up to {_money(member)} a year"
        if chair:
            sentence += f" and the chair up to {_money(chair)}"
        if terms.remuneration_subject_to_attendance:
            sentence += ", subject to attending meetings"
        out.append(sentence + ".")
    if terms.vouchers_for_attendance:
        if terms.vouchers_require_papers_read:
            out.append(
                "Members who attend a meeting and review the papers beforehand receive "
                "high-street vouchers."
            )
        else:
            out.append("Members who attend a meeting receive high-street vouchers.")
    if terms.expenses_policy:
        sentence = "Reasonable out-of-pocket expenses are paid"
        if terms.expenses_need_receipts:
            sentence += "; claims need receipts"
        out.append(sentence + ".")
    if terms.expenses_agreed_in_advance:
        out.append(
            "Claims are usually agreed in advance; a claim that was not is held for the "
            "officer's decision."
        )
    methods = [PAYMENT_NAMES.get(m, m) for m in terms.payment_methods or []]
    if len(methods) > 1:
        out.append(f"Payment can be made by {' or in '.join(methods)}.")
    return out


def _reporting(terms: TermsOfReference) -> list[str]:
    out: list[str] = []
    to = f" to the {terms.reports_to}" if terms.reports_to else ""
    if terms.reporting_frequency == ReportingFrequency.QUARTERLY:
        out.append(f"The panel reports{to} every quarter.")
    elif terms.reporting_frequency == ReportingFrequency.ANNUALLY:
        out.append(f"The panel reports{to} every year.")
    if terms.annual_report:
        out.append("The panel produces an annual report.")
    if terms.annual_impact_assessment:
        out.append("The panel completes an annual impact assessment of its progress and outcomes.")
    if terms.annual_effectiveness_review:
        out.append("The panel reviews its own effectiveness every year.")
    if terms.annual_work_plan_review:
        out.append("The panel's work plan is reviewed every year and the review is published.")
    if terms.annual_member_review:
        out.append("Each member takes part in an annual review of their contribution.")
    if terms.skills_audit:
        out.append("Members complete a knowledge and skills audit.")
    if terms.scrutiny_reviews_per_year:
        out.append(
            f"The panel aims to complete {terms.scrutiny_reviews_per_year} service reviews a year."
        )
    if terms.board_responds_in_writing:
        out.append("The Board responds formally in writing to every recommendation.")
    if terms.champion_max_priorities:
        out.append(
            f"Each resident lead may champion up to {terms.champion_max_priorities} priorities."
        )
    if terms.priorities_review_months:
        out.append(
            "The panel agrees its priorities every year and reviews them every "
            f"{terms.priorities_review_months} months."
        )
    if terms.board_nominated_topic_required:
        out.append(
            "Each year's review topics include at least one nominated by the Board or "
            "executive team."
        )
    for number, step in enumerate(terms.escalation_steps or [], start=1):
        out.append(f"Escalation, step {number}: {step}")
    return out


def terms_statements(
    terms: TermsOfReference, deadline_rules: Iterable[DeadlineRule]
) -> list[TermsSection]:
    """The version's rules as plain-English sections; sections with nothing stated are left
    out."""
    built = [
        ("membership", _membership(terms)),
        ("eligibility", _eligibility(terms)),
        ("terms", _terms_of_office(terms)),
        ("chair", _chair(terms)),
        ("meetings", _meetings(terms, deadline_rules)),
        ("quorum", _quorum(terms)),
        ("attendance", _attendance(terms)),
        ("money", _money_statements(terms)),
        ("reporting", _reporting(terms)),
    ]
    titles = {key: title for key, title, _fields in TERMS_SECTIONS}
    return [TermsSection(key, titles[key], lines) for key, lines in built if lines]
