"""The eligibility criteria a terms-of-reference version may name: codes and plain-English
labels. A vocabulary, not a rule: panels.rules applies them (re-exported there), and
panels.terms_validation checks a version names only these. It imports nothing, so the
models, their validation and the rules can all use it without importing each other."""

ELIGIBILITY_CRITERIA: dict[str, str] = {
    "min_age": "Meets the minimum age",
    "current_customer": "Is a current customer or resident",
    "eligible_tenure": "Holds a tenure the panel is open to",
    "not_employee": "Is not an employee of the organisation",
    "no_tenancy_breach_action": "Has no current action for breach of tenancy or lease",
    "no_breach_court_order": "Is under no court order for breach of their agreement",
    "no_open_asb_case": "Has no open anti-social behaviour case",
    "no_arrears_action_or_dispute": "Has no arrears court action or legal dispute",
    "no_ccj_or_nsp": "Has no County Court judgment for the organisation or Notice of Seeking "
    "Possession",
    "not_on_other_board": "Does not sit on the organisation's or another housing or partner board",
    "not_removed_under_code": "Has not been removed under the code of conduct",
    "no_same_household": "No other member lives in the same household or property",
    "recruitment_completed": "Has completed the recruitment process",
    "core_training_completed": "Has completed core training",
    "not_excluded_for_behaviour": "Has not been excluded from activities for behaviour",
    "not_barred_from_rejoining": "Is not barred from rejoining after retiring for absences",
}
