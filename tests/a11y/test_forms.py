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


def test_declarations_are_statements_the_applicant_ticks_when_true(make_org, client):  # noqa: F811
    """Each declaration reads as a statement about the applicant ("I have an open
    anti-social behaviour case"), with the rule as the hint: the criterion's own wording
    ("Has no open anti-social behaviour case") beside a tick box read as the opposite."""
    from members.forms import APPLICANT_STATEMENT, CRITERION_QUESTION, PublicApplicationForm
    from panels.rules import ELIGIBILITY_CRITERIA

    assert set(CRITERION_QUESTION.values()) <= set(APPLICANT_STATEMENT)

    class Terms:
        eligibility_criteria = list(CRITERION_QUESTION)

    form = PublicApplicationForm(terms=Terms())
    for criterion, kind in CRITERION_QUESTION.items():
        field = form.fields[f"declare_{kind}"]
        assert field.label == APPLICANT_STATEMENT[kind]
        assert field.label.startswith(("I ", "There is")), field.label
        assert field.help_text.startswith("Tick only if this is true for you.")
        rule = ELIGIBILITY_CRITERIA[criterion]
        assert field.help_text.endswith(f"ask that a member {rule[0].lower()}{rule[1:]}.")

    stockport = make_org("stockport")
    body = client.get(
        reverse("members:apply", kwargs={"org_slug": stockport.org.slug}),
        {"panel": stockport.panel.slug},
    ).content.decode()
    assert "I have an open anti-social behaviour case" in body
    assert "this applies to me" not in body


def test_every_date_field_of_every_form_renders_iso_for_the_date_picker():
    """A default rendered as 30/11/2026 inside input type=date shows as an empty box (the
    review stage and staff attendance dates did): every DateField uses the one widget."""
    import importlib
    import inspect

    from django import forms

    from panels.widgets import DateInput

    checked = 0
    for app in ("members", "meetings", "scrutiny", "reports", "notices", "panels"):
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            for field_name, field in cls.base_fields.items():
                if isinstance(field, forms.DateField):
                    assert isinstance(field.widget, DateInput), f"{name}.{field_name}"
                    checked += 1
    assert checked >= 40


def test_review_stage_and_staff_attendance_dates_show_today_in_the_box():
    from meetings.forms import AttendanceRequestForm
    from scrutiny.forms import ReviewAdvanceForm

    today = datetime.date.today().isoformat()
    assert f'value="{today}"' in str(ReviewAdvanceForm()["on"])
    guest = AttendanceRequestForm(initial={"requested_on": datetime.date.today()})
    assert f'value="{today}"' in str(guest["requested_on"])


def _summary_of(form) -> str:
    from django.template import Context, Template

    return Template(
        "{% load ph_forms %}{% page_form_errors as page_errors %}"
        "{% include 'includes/error_summary.html' %}"
    ).render(Context({"form": form}))


def test_a_refused_button_does_not_claim_to_keep_typing():
    """A button with no field (such as "Give notice") refused by a rule: the summary says
    what is wrong and that nothing was done, not that "what you typed is kept"."""
    from django import forms

    class Button(forms.Form):
        pass

    form = Button({})
    form.is_valid()
    form.add_error(None, "Notice cannot be given: the meeting has no agenda item.")
    html = _summary_of(form)
    assert "Notice cannot be given: the meeting has no agenda item." in html
    assert "What you typed is kept" not in html
    assert "Nothing was done" in html
    assert "<a href" not in html  # nothing to link to

    class Typed(forms.Form):
        reason = forms.CharField()

    typed = Typed({"reason": ""})
    typed.is_valid()
    html = _summary_of(typed)
    assert '<a href="#id_reason">' in html and "What you typed is kept below." in html


def test_a_staff_form_refused_empty_or_with_every_field_wrong_keeps_what_was_typed(
    tenant_a, client
):
    """An officer's form (proposing a review topic): empty, then 10,000 characters, an
    unknown choice and 31 February. The summary lists each problem and links to its field,
    the typed values come back, nothing is saved."""
    from scrutiny.models import ServiceReview

    client.force_login(tenant_a.officer)
    url = reverse(
        "scrutiny:review_propose",
        kwargs={"org_slug": tenant_a.org.slug, "panel_slug": tenant_a.panel.slug},
    )
    response = client.post(url, {"proposed_on": ""})
    assert response.status_code == 200
    body = response.content.decode()
    links = dict(_summary(body))
    assert {"id_title", "id_topic_source", "id_proposed_on"} <= set(links)
    assert _title(body).startswith("Error: ")

    response = client.post(
        url,
        {
            "title": LONG,
            "service_area": "Repairs",
            "topic_source": "carrier-pigeon",
            "source_detail": LONG,
            "proposed_on": "2026-02-31",
        },
    )
    body = response.content.decode()
    links = dict(_summary(body))
    assert {"id_title", "id_topic_source", "id_proposed_on"} <= set(links)
    assert "200 characters" in links["id_title"]
    assert f'value="{LONG}"' in body and f"{LONG}</textarea>" in body
    assert 'value="2026-02-31"' in body and 'value="Repairs"' in body
    assert not ServiceReview.objects.exists()
