"""Input limits in one place (issue 14, item 5): dates within their field's range, decimals
against their field's digits (never rounded), CSV size limits and JSON depth, each a clear
refusal (400, or the form with its error) naming the field and the limit, never a 500."""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from members.models import Membership, Person
from panels import limits
from panels.api.parsers import json_depth_exceeds
from scrutiny import services as scrutiny_services
from scrutiny.models import Measure, MeasureResult

pytestmark = pytest.mark.django_db
D = datetime.date
NESTED = "[" * 50_000 + "]" * 50_000


# --- The limits themselves --------------------------------------------------------------


def test_the_date_ranges():
    today = D(2026, 11, 30)
    assert limits.EVENT.bounds(today) == (D(2016, 11, 30), D(2036, 11, 30))
    assert limits.BIRTH.bounds(today) == (D(1900, 1, 1), D(2100, 12, 31))
    assert limits.HISTORY.bounds(today) == (D(1900, 1, 1), D(2036, 11, 30))
    assert limits.EVENT.bounds(D(2028, 2, 29)) == (D(2018, 2, 28), D(2038, 2, 28))
    assert limits.limit_for("date_of_birth") is limits.BIRTH
    assert limits.limit_for("ended_on") is limits.EVENT
    message = limits.EVENT.error(D(1900, 1, 1), "Last day", today)
    assert message.startswith("Last day must be between 30 November 2016 and 30 November 2036")
    assert limits.EVENT.error(today, "Last day", today) is None


@pytest.mark.parametrize(
    "text, problem",
    [
        ("12.5", None),
        ("9999999999.99", None),
        ("-0.01", None),
        ("1.23456789", "more than 2 decimal places"),
        ("1e20", "too large"),
        ("10000000000", "too large"),
        ("NaN", "must be a number"),
    ],
)
def test_decimals_against_the_fields_digits(text, problem):
    found = limits.decimal_error(Decimal(text), max_digits=12, decimal_places=2)
    assert (found is None) if problem is None else (problem in found)


def test_json_depth_walk_needs_no_recursion():
    deep = current = []
    for _ in range(100_000):
        current.append([])
        current = current[0]
    assert json_depth_exceeds(deep)
    assert not json_depth_exceeds({"a": [{"b": 1}]})


# --- The API ---------------------------------------------------------------------------


def _seat(tenant):
    person = Person.objects.create(organisation=tenant.org, first_name="Sam", last_name="Seat")
    return Membership.objects.create(
        organisation=tenant.org,
        panel=tenant.panel,
        person=person,
        starts_on=timezone.localdate() - datetime.timedelta(days=400),
    )


def test_fifty_thousand_levels_of_json_are_a_400_on_an_api_post(client_as, tenant_a):
    seat = _seat(tenant_a)
    client = client_as(tenant_a.officer)
    url = f"/api/v1/{tenant_a.org.slug}/memberships/{seat.pk}/step-down/"
    response = client.post(url, NESTED, content_type="application/json")
    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]
    forty = json.dumps({"on": json.loads("[" * 40 + "]" * 40)})
    assert client.post(url, forty, content_type="application/json").status_code == 400


@pytest.mark.parametrize("bad", ["1900-01-01", "9999-12-31", "0001-01-01"])
def test_a_seat_cannot_step_down_outside_the_range(client_as, tenant_a, bad):
    seat = _seat(tenant_a)
    response = client_as(tenant_a.officer).post(
        f"/api/v1/{tenant_a.org.slug}/memberships/{seat.pk}/step-down/",
        {"on": bad},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "must be between" in response.json()["on"][0]
    seat.refresh_from_db()
    assert seat.ended_on is None


def test_rules_queries_with_year_9999_are_a_400(client_as, tenant_a):
    client = client_as(tenant_a.member)
    base = f"/api/v1/{tenant_a.org.slug}/panels/{tenant_a.panel.slug}"
    for path in ("deadlines/?date=9999-12-31", "quorum/?present=3&members=9&on=9999-12-31"):
        response = client.get(f"{base}/{path}")
        assert response.status_code == 400, path
        assert "must be between" in json.dumps(response.json())


def test_a_result_with_too_many_decimal_places_is_refused_not_rounded(client_as, tenant_a):
    measure = Measure.objects.create(
        organisation=tenant_a.org, panel=tenant_a.panel, name="Repairs", target=Decimal("80")
    )
    response = client_as(tenant_a.officer).post(
        f"/api/v1/{tenant_a.org.slug}/scrutiny/results/",
        {"measure": measure.pk, "period_start": "2026-07-01", "value": "1.23456789"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "decimal places" in json.dumps(response.json())
    assert not MeasureResult.objects.exists()


def test_a_request_body_over_the_limit_is_a_400(client_as, tenant_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    seat = _seat(tenant_a)
    response = client_as(tenant_a.officer).post(
        f"/api/v1/{tenant_a.org.slug}/memberships/{seat.pk}/step-down/",
        json.dumps({"on": "2026-01-01", "reason": "x" * 2_000}),
        content_type="application/json",
    )
    assert response.status_code == 400


# --- Forms -----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["0001-01-01", "9999-12-31", "1900-01-01"])
def test_the_step_down_form_refuses_a_date_out_of_range(client_as, tenant_a, bad):
    seat = _seat(tenant_a)
    client = client_as(tenant_a.officer)
    from django.urls import reverse

    url = reverse(
        "members:step_down", kwargs={"org_slug": tenant_a.org.slug, "membership_id": seat.pk}
    )
    response = client.post(url, {"on": bad, "reason": "Moving away"})
    assert response.status_code == 200
    assert "must be between" in response.content.decode()
    seat.refresh_from_db()
    assert seat.ended_on is None


def test_a_date_of_birth_in_9999_is_refused_in_the_day_month_year_boxes():
    from panels.widgets import MemorableDateField

    field = MemorableDateField(label="Date of birth")
    with pytest.raises(Exception, match="from 1900 to 2100"):
        field.clean(["31", "12", "9999"])
    assert field.clean(["27", "3", "1980"]) == D(1980, 3, 27)


# --- The results CSV preview -----------------------------------------------------------


@pytest.fixture
def repairs(tenant_a):
    return Measure.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        code="TP02",
        name="Repairs",
        target=Decimal("80"),
        period="quarter",
    )


def _preview(tenant, text):
    return scrutiny_services.results_import_preview(
        panel=tenant.panel, csv_text=text, today=timezone.localdate()
    )


def _quarter():
    today = timezone.localdate()
    return f"{today.year - 1}-Q{(today.month - 1) // 3 + 1}"


def test_csv_values_too_large_or_too_precise_are_refused_at_preview(tenant_a, repairs):
    text = f"measure,period,value\nTP02,{_quarter()},1e20\n"
    preview = _preview(tenant_a, text)
    assert not preview.ok
    assert "too large" in preview.lines[0].errors[0]
    preview = _preview(tenant_a, f"measure,period,value\nTP02,{_quarter()},1.23456789\n")
    assert "more than 2 decimal places" in preview.lines[0].errors[0]


def test_a_200000_character_csv_field_is_a_clear_error(tenant_a, repairs):
    text = f'measure,period,value\nTP02,{_quarter()},"{"9" * 200_000}"\n'
    preview = _preview(tenant_a, text)
    assert not preview.ok
    assert preview.errors == ["Line 2: a value is longer than 1,000 characters."]
    header = "x" * 200_000 + ",period,value\n"
    assert "longer than" in _preview(tenant_a, header).errors[0]


def test_a_csv_of_too_many_lines_is_refused(tenant_a, repairs, monkeypatch):
    monkeypatch.setattr(limits, "CSV_MAX_LINES", 3)
    text = "measure,period,value\n" + f"TP02,{_quarter()},1\n" * 5
    assert _preview(tenant_a, text).errors == ["The file has more than 3 lines."]


def test_a_csv_period_of_year_one_is_refused(tenant_a, repairs):
    preview = _preview(tenant_a, "measure,period,value\nTP02,0001-Q1,5\n")
    assert "must be between" in preview.lines[0].errors[0]


def test_old_mac_line_endings_are_read_not_a_csv_error(tenant_a, repairs):
    preview = _preview(tenant_a, f"measure,period,value\rTP02,{_quarter()},5\r")
    assert not preview.errors and preview.lines[0].value == Decimal("5")


def test_the_import_page_answers_the_200000_character_field_with_its_message(
    client_as, tenant_a, repairs
):
    from django.urls import reverse

    client: Client = client_as(tenant_a.officer)
    url = reverse(
        "scrutiny:results_import",
        kwargs={"org_slug": tenant_a.org.slug, "panel_slug": tenant_a.panel.slug},
    )
    text = f'measure,period,value\nTP02,{_quarter()},"{"9" * 200_000}"\n'
    response = client.post(url, {"csv_text": text})
    assert response.status_code == 200
    assert "a value is longer than 1,000 characters" in response.content.decode()


def test_deep_json_is_a_400_on_the_expenses_api_with_its_own_parsers(client_as, tenant_a):
    """The expenses endpoints take files too (their own parser list): the same limit."""
    client = client_as(tenant_a.officer)
    response = client.post(
        f"/api/v1/{tenant_a.org.slug}/expenses/", NESTED, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]


def test_an_election_with_an_impossible_vote_count_is_refused(client_as, tenant_a):
    from django.urls import reverse

    _seat(tenant_a)
    url = reverse(
        "members:election",
        kwargs={"org_slug": tenant_a.org.slug, "panel_slug": tenant_a.panel.slug},
    )
    response = client_as(tenant_a.officer).post(
        url, {"role": "chair", "held_on": timezone.localdate(), "votes_cast": "9" * 20}
    )
    assert response.status_code == 200
    assert "less than or equal to 100000" in response.content.decode()


@pytest.mark.parametrize("bad", ["0001-01-01", "9999-12-31"])
def test_a_committee_date_in_year_one_or_9999_is_refused_on_its_field(client_as, tenant_a, bad):
    """Issue 14: committee dates of year 1 and 9999 were accepted."""
    from django.urls import reverse

    from meetings.models import CommitteeDate

    url = reverse("meetings:programme", kwargs={"org_slug": tenant_a.org.slug})
    response = client_as(tenant_a.officer).post(
        url,
        {
            "action": "committee",
            "committee-panel": tenant_a.panel.pk,
            "committee-committee": "Customer Focus Committee",
            "committee-date": bad,
        },
    )
    assert response.status_code == 200
    assert "must be between" in response.context["committee_form"].errors["date"][0]
    assert not CommitteeDate.objects.exists()
