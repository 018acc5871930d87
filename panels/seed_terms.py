"""The five organisations' terms of reference, exactly as their documents state them
(../shared/seeds/). A rule a document does not state is left unset, never invented: its
empty value reads "not stated in the terms of reference" (who votes at Helena, THT and
Stockport; quorum at Helena and THT; whether minutes are public everywhere but IVH; whether
a member with a declared interest counts towards an item's quorum at all five)."""

import datetime
from decimal import Decimal
from pathlib import Path

from panels.models import DeadlineRule, Panel, TermsOfReference

# Copies of ../shared/seeds/, shipped with the code so a deployment can seed them.
SEEDS_DIR = Path(__file__).resolve().parent / "seed_documents"
# Documents without a date get this effective date when loaded (said in change_note).
UNDATED_EFFECTIVE_FROM = datetime.date(2025, 1, 1)
UNDATED_NOTE = (
    "The document carries no approval date; PanelHub applies it from "
    f"{UNDATED_EFFECTIVE_FROM.day} {UNDATED_EFFECTIVE_FROM:%B %Y}, when it was loaded."
)

# (kind, amount, unit, direction, channel)
TERMS = {
    ("helena", "customer-excellence-panel"): {
        "document": "helena-customer-excellence-panel.txt",
        "title": "Customer Excellence Panel terms of reference",
        "approved_on": datetime.date(2011, 4, 8),
        "effective_from": datetime.date(2011, 4, 8),
        # "The terms of reference will be reviewed in 1 years' time." / "Next Review April 2012"
        "review_due_on": datetime.date(2012, 4, 8),
        "values": {
            "max_members": 15,
            "eligible_tenures": ["tenant"],
            "eligibility_criteria": ["current_customer", "eligible_tenure"],
            "code_of_conduct_required": True,
            # "To take part in any mandatory training required as part of the role of the
            # Customer Excellence Panel": recorded as core training, before the first vote.
            "training_before_first_vote": "core",
            "cadence": "monthly",
            "usual_start_time": datetime.time(10, 0),
            "usual_end_time": datetime.time(14, 0),
            "reporting_frequency": "quarterly",
            "reports_to": "Board",
        },
        "deadlines": [
            ("papers_out", 7, "days", "before", "post"),
            ("minutes_out", 7, "days", "after", "post"),
        ],
    },
    ("hfh", "customer-core-group"): {
        "document": "hfh-customer-core-group.txt",
        "title": "Customer Core Group terms of reference",
        "values": {
            "min_resident_members": 10,
            "voting_roles": ["chair", "vice_chair", "resident"],
            "non_voting_roles": ["associate", "co_opted"],
            "eligibility_criteria": [
                "current_customer",
                "not_employee",
                "no_breach_court_order",
                "no_arrears_action_or_dispute",
                "not_removed_under_code",
                "no_same_household",
            ],
            # 3: "No person may become or remain a resident panel member if ..." (i-m): the
            # exclusions apply to resident members; people co-opted under 3f ("non-voting
            # residents or independents ... recruited for their key skills") are not
            # resident panel members, and m says so again ("unless recruited under 3f").
            "eligibility_exemptions": {
                code: ["co_opted"]
                for code in (
                    "current_customer",
                    "not_employee",
                    "no_breach_court_order",
                    "no_arrears_action_or_dispute",
                    "not_removed_under_code",
                    "no_same_household",
                )
            },
            "selection_panel_min_members": 2,
            "code_of_conduct_required": True,
            "term_years": 3,
            "further_terms": 1,
            "max_years": 6,
            "extension_kind": "exceptional",
            # "formal review after three years ... to consider continuation or replacement";
            # members "may stand for re-selection": re-appointment is not automatic.
            "reappointment_automatic": False,
            "chair_selection": "elected",
            "chair_elected_annually": True,
            "chair_max_years": 6,
            "vice_chair_presides_in_absence": True,
            "members_choose_chair_if_both_absent": True,
            "cadence": "quarterly",
            "may_meet_virtually": True,
            "aob_last": True,
            "key_messages_published": True,
            "quorum_kind": "fixed",
            "quorum_number": 3,
            "decision_method": "consensus_then_vote",
            "chair_casting_vote": True,
            "annual_work_plan_review": True,
            "champion_max_priorities": 2,
            # 2a "Agree priorities on an annual basis, with a six-monthly review as part of
            # the group's work plan."
            "priorities_review_months": 6,
        },
        "deadlines": [
            ("papers_out", 5, "working_days", "before", "electronic"),
            ("agenda_proposals", 4, "weeks", "before", ""),
            ("attendance_request", 4, "weeks", "before", ""),
            ("minutes_out", 5, "working_days", "after", ""),
            ("key_messages", 5, "working_days", "after", ""),
        ],
    },
    ("ivh", "customer-offer-panel"): {
        "document": "ivh-customer-offer-panel.txt",
        "title": "Customer Offer Panel terms of reference (draft)",
        # The draft carries no approval or effective date; "REVIEW DATES: NOV 2020" in its
        # footer is when it was due for review, so it is the review date, and the version is
        # applied from the start of that month (the only date the document gives).
        "effective_from": datetime.date(2020, 11, 1),
        "review_due_on": datetime.date(2020, 11, 30),
        "change_note": (
            "Draft terms of reference. The document gives no approval or effective date, only "
            '"REVIEW DATES: NOV 2020", its review date (30 November 2020); PanelHub applies '
            "it from 1 November 2020, the month that date names."
        ),
        "values": {
            "min_members": 4,
            "max_members": 12,
            "eligibility_criteria": ["current_customer", "recruitment_completed"],
            "code_of_conduct_required": True,
            "term_years": 3,
            "further_terms": 2,
            "max_years": 9,
            "reappointment_automatic": False,
            "chair_selection": "elected",
            "chair_elected_annually": True,
            "chair_election_month": 4,
            "chair_not_board_chair": True,
            "chair_not_staff": True,
            "officer_led_meetings": 3,
            # 1.11 "Each member shall have one vote on a motion"; 1.1 the membership is made
            # up of IVH residents: every member's seat votes (the chair and vice chair are
            # members). The document names no associate or co-opted seats.
            "voting_roles": ["chair", "vice_chair", "resident"],
            "cadence": "quarterly",
            # 1.13 "Minutes will be available for public inspection ... and will be displayed
            # on IVH website" (items deemed confidential excepted).
            "minutes_public": "public",
            "quorum_kind": "majority",
            "decision_method": "majority_vote",
            "chair_casting_vote": True,
            "absence_limit": 3,
            "absence_consequence": "retire",
            "rejoin_bar_years": 3,
            "vouchers_for_attendance": True,
            "vouchers_require_papers_read": True,
            "payment_methods": ["vouchers"],
            "annual_member_review": True,
        },
        "deadlines": [("meeting_notice", 2, "weeks", "before", "")],
    },
    ("tht", "quality-and-insight-panel"): {
        "document": "tht-quality-and-insight-panel.txt",
        "title": "Quality and Insight Panel terms of reference",
        "values": {
            "min_members": 8,
            "max_members": 15,
            "ideal_min_members": 12,
            "ideal_max_members": 15,
            "eligible_tenures": ["tenant", "leaseholder"],
            "tenure_caps": {"leaseholder": 2},
            "eligibility_criteria": [
                "eligible_tenure",
                "current_customer",
                "not_employee",
                "not_on_other_board",
                "no_ccj_or_nsp",
                "not_excluded_for_behaviour",
            ],
            "code_of_conduct_required": True,
            "term_years": 3,
            "step_down_at_term_end": True,
            "may_reapply": True,
            "chair_selection": "appointed_board",
            # 11 "Members will be required to attend induction training": before the first vote.
            "training_before_first_vote": "induction",
            "cadence": "min_per_year",
            "min_meetings_per_year": 6,
            "expenses_policy": "out_of_pocket",
            # 13 "All information received will be treated as confidential unless there is a
            # clear reason to share it more widely": the panel's minutes are not public (its
            # key messages, where published, are).
            "minutes_public": "not_public",
            # "The Panel will submit an annual report on its activities to Board"
            "reporting_frequency": "annually",
            "reports_to": "Board",
            "annual_report": True,
            "annual_impact_assessment": True,
            "annual_member_review": True,
            "skills_audit": True,
            "board_responds_in_writing": True,
            "scrutiny_reviews_per_year": 3,
            # 4 "Flexibility to include at least one topic/service area that is nominated by
            # the THT board or executive team."
            "board_nominated_topic_required": True,
            "escalation_steps": [
                "The Chair of the Panel requests a meeting with the Chair of the Board or the "
                "Chief Executive to discuss the decision and reach a mutual agreement.",
                "If still unresolved, the Chair of the Panel discusses it with the regulator, "
                "after agreeing this with the Chair of the Board and the Chief Executive.",
            ],
        },
        "deadlines": [("attendance_request", 10, "working_days", "before", "")],
    },
    ("stockport", "aspire-customer-panel"): {
        "document": "stockport-aspire-customer-panel.txt",
        "title": "ASPIRE Customer Panel terms of reference",
        "values": {
            "min_members": 6,
            "max_members": 15,
            "eligible_tenures": ["tenant", "household_member", "leaseholder", "shared_owner"],
            "min_age": 18,
            "eligibility_criteria": [
                "min_age",
                "current_customer",
                "eligible_tenure",
                "recruitment_completed",
                "core_training_completed",
                "no_tenancy_breach_action",
                "no_open_asb_case",
                "no_same_household",
            ],
            "training_before_active": True,
            "code_of_conduct_required": True,
            "term_years": 3,
            "further_terms": 1,
            "max_years": 6,
            "extension_kind": "annual",
            "extension_limit_years": 9,
            "chair_selection": "recruited",
            "cadence": "quarterly",
            "min_meetings_per_year": 4,
            "meets_before_committee": "Customer Focus Committee",
            "quorum_kind": "fraction",
            "quorum_fraction": Decimal("0.5"),
            "all_member_majority_motions": ["notice_to_act"],
            "absence_limit": 2,
            "absence_consequence": "flag",
            "leave_max_months": 6,
            "payments_pause_on_leave": True,
            "removal_appeal_to": "Lead Officer",
            "removal_appeal_final": True,
            "remuneration_member_annual": Decimal("500.00"),
            "remuneration_chair_annual": Decimal("600.00"),
            "remuneration_subject_to_attendance": True,
            "expenses_policy": "out_of_pocket",
            "expenses_need_receipts": True,
            # Remuneration: "Claims will usually be agreed in advance and must be supported
            # by receipts." Usually: a claim not agreed in advance is held, not refused.
            "expenses_agreed_in_advance": True,
            "payment_methods": ["bacs", "vouchers"],
            "reporting_frequency": "quarterly",
            "reports_to": "Customer Focus Committee",
            "annual_report": True,
            "annual_effectiveness_review": True,
        },
        "deadlines": [],
    },
}


def _document_text(name: str) -> str:
    return (SEEDS_DIR / name).read_text(encoding="utf-8")


def seed_terms(org) -> None:
    """Version 1 of each seeded panel's ToR, if the panel has none yet."""
    for (org_slug, panel_slug), spec in TERMS.items():
        if org_slug != org.slug:
            continue
        panel = Panel.objects.for_org(org).filter(slug=panel_slug).first()
        if panel is None or TermsOfReference.objects.for_org(org).filter(panel=panel).exists():
            continue
        terms = TermsOfReference(
            organisation=org,
            panel=panel,
            version=1,
            title=spec["title"],
            approved_on=spec.get("approved_on"),
            effective_from=spec.get("effective_from", UNDATED_EFFECTIVE_FROM),
            review_due_on=spec.get("review_due_on"),
            source_text=_document_text(spec["document"]),
            change_note=spec.get("change_note", "" if "effective_from" in spec else UNDATED_NOTE),
            **spec["values"],
        )
        terms.full_clean()
        terms.save()
        DeadlineRule.objects.bulk_create(
            DeadlineRule(
                organisation=org,
                terms=terms,
                kind=kind,
                amount=amount,
                unit=unit,
                direction=direction,
                channel=channel,
            )
            for kind, amount, unit, direction, channel in spec["deadlines"]
        )
