"""A term ending today ended today; "within 90 days" means after today (issue 17 item 5)."""

import datetime

from panels import rules

D = datetime.date
TODAY = D(2026, 11, 30)


def test_a_term_ending_today_has_ended_and_is_not_within_90_days():
    assert rules.term_ended(TODAY, TODAY)
    assert not rules.term_ending_within(TODAY, TODAY)


def test_within_90_days_is_after_today_up_to_the_ninetieth_day():
    assert rules.term_ending_within(TODAY + datetime.timedelta(days=1), TODAY)
    assert rules.term_ending_within(TODAY + datetime.timedelta(days=90), TODAY)
    assert not rules.term_ending_within(TODAY + datetime.timedelta(days=91), TODAY)
    assert not rules.term_ended(TODAY + datetime.timedelta(days=1), TODAY)
    assert not rules.term_ending_within(None, TODAY) and not rules.term_ended(None, TODAY)
