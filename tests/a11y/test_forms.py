"""Bad input on a form: the GOV.UK error pattern (summary first, each problem linked to its
field, "Error:" in the title), what was typed kept, nothing saved. The pattern is in
base.html, so one form of each kind stands for all (the application form: public, personal
fields, a day/month/year date; a scrutiny form; the officer console)."""

import datetime
import re

import pytest
from django.urls import reverse

from members.models import Application, Person
from panels.widgets import MemorableDateField
from tests.members.conftest import make_org  # noqa: F401

pytestmark = pytest.mark.django_db

LONG = "x" * 10_000


def _summary(body: str) -> list[tuple[str, str]]:
    block = re.search(r"data-ph-error-summary.*?</ul>", body, re.S)
    assert block, "no error summary"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', block.group(0))


def _title(body: str) -> str:
    return re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip()


def _apply(client, org, data):
    url = reverse("members:apply", kwargs={"org_slug": org.org.slug})
    return client.post(url, {"panel": org.panel.slug, **data})


def test_empty_application_lists_every_problem_and_saves_nothing(make_org, client):  # noqa: F811
    stockport = make_org("stockport")
    response = _apply(client, stockport, {})
    assert response.status_code == 200
    body = response.content.decode()
    links = dict(_summary(body))
    assert {"id_first_name", "id_last_name", "id_date_of_birth_0"} <= set(links)
    assert links["id_date_of_birth_0"] == "Enter your date of birth."
    for target in links:
        assert f'id="{target}"' in body, f"the summary links to #{target}, which is not there"
    assert _title(body).startswith("Error: Apply to join")
    assert (
        "autofocus"
        in body.split("data-ph-error-summary")[0][-200:]
        + body.split("data-ph-error-summary")[1][:50]
    )
    assert not Person.objects.exists() and not Application.objects.exists()


def test_every_field_wrong_and_ten_thousand_characters_are_kept(make_org, client):  # noqa: F811
    stockport = make_org("stockport")
    response = _apply(
        client,
        stockport,
        {
            "first_name": LONG,
            "last_name": "Adult",
            "email": "not-an-email",
            "phone": "0" * 50,
            "preferred_channel": "carrier-pigeon",
            "postcode": "SK1 3XE SK1 3XE",
            "tenure_type": "landlord",
            "statement": LONG,
            "date_of_birth_day": "31",
            "date_of_birth_month": "2",
            "date_of_birth_year": "1990",
        },
    )
    body = response.content.decode()
    problems = dict(_summary(body))
    for field in ("first_name", "email", "phone", "preferred_channel", "postcode"):
        assert f"id_{field}" in problems, f"{field} missing from the summary: {problems}"
    assert "id_tenure_type" in problems
    assert problems["id_date_of_birth_0"] == (
        "Date of birth must be a real date: February 1990 has 28 days, so there is no 31 February."
    )
    assert f'value="{LONG}"' in body  # the 10,000 characters typed are still there
    assert f">{LONG}</textarea>" in body or f">\n{LONG}</textarea>" in body
    assert 'value="31"' in body and 'value="1990"' in body
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (["31", "2", "2001"], "February 2001 has 28 days"),
        (["29", "2", "2000"], None),
        (["", "2", "2000"], "must include a day"),
        (["1", "13", "2000"], "month must be a number from 1 to 12"),
        (["1", "1", "99"], "four digits"),
        (["one", "1", "2000"], "in numbers"),
    ],
)
def test_memorable_date_refuses_impossible_dates_clearly(parts, message):
    from django import forms

    class Form(forms.Form):
        born = MemorableDateField(label="Date of birth")

    form = Form({"born_day": parts[0], "born_month": parts[1], "born_year": parts[2]})
    if message is None:
        assert form.is_valid(), form.errors
        assert form.cleaned_data["born"] == datetime.date(2000, 2, 29)
    else:
        assert not form.is_valid()
        assert message in form.errors["born"][0]


def test_a_date_field_shows_its_value_in_iso_for_the_date_picker():
    from django import forms

    from panels.widgets import DateInput

    class Form(forms.Form):
        on = forms.DateField(widget=DateInput, initial=datetime.date(2026, 11, 30))

    html = str(Form()["on"])
    assert 'type="date"' in html and 'value="2026-11-30"' in html


def test_refusals_speak_to_the_applicant_and_say_what_to_do_next(make_org, client):  # noqa: F811
    stockport = make_org("stockport")
    response = _apply(
        client,
        stockport,
        {
            "first_name": "Kid",
            "last_name": "A",
            "email": "kid@example.org",
            "preferred_channel": "email",
            "tenure_type": "tenant",
            "date_of_birth_day": "14",
            "date_of_birth_month": "3",
            "date_of_birth_year": str(datetime.date.today().year - 16),
            "household_member_on_panel": "on",
            "declare_open_asb_case": "on",
        },
    )
    body = response.content.decode()
    problems = dict(_summary(body))
    assert "This person" not in body
    birthday = f"14 March {datetime.date.today().year + 2}"
    assert f"You can apply from {birthday}" in problems["id_date_of_birth_0"]
    assert problems["id_declare_open_asb_case"].startswith("You told us you have an open")
    assert problems["id_household_member_on_panel"].startswith("You told us someone")
    assert "What you can do next" in body
    assert reverse("panels:help", kwargs={"org_slug": stockport.org.slug}) in body
    assert not Application.objects.exists()
