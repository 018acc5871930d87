"""Bad input never answers 500 (issue 14, item 5): every page with a form and every API
route of one's own organisation, walked from the URLconf as in tests/test_isolation_walk.py,
is sent the inputs that used to break something (dates of year 1 and 9999, 1e20, too many
decimal places, a 200,000-character value, 50,000-level nested JSON). Each must answer
with a refusal (400, or the form again with its errors) or a redirect, never a 500."""

import json
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_isolation_walk import (  # noqa: F401  (demo: the seeded organisations)
    Filler,
    _all_named_routes,
    _kwarg_names,
    demo,
)

pytestmark = pytest.mark.django_db

BAD_DATES = ["9999-12-31", "0001-01-01"]
BAD_NUMBERS = ["1e20", "1.23456789", "99999999999999999999", "NaN"]
API_FIELDS = ("date", "on", "starts_on", "period_start", "held_on", "value", "amount", "votes")
LONG = "x" * 200_000
NESTED = "[" * 50_000 + "]" * 50_000


class FormFields(HTMLParser):
    """The fields of each POST form of a page: name -> (kind, default value)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, tuple[str, str]]] = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append({"__action__": ("action", attrs.get("action") or "")})
        if not self.forms:
            return
        fields = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"} and name in fields:
                return
            if kind in {"submit", "button"}:
                return
            fields[name] = (kind, attrs.get("value") or "")
        elif tag == "textarea" and name:
            fields[name] = ("textarea", "")
        elif tag == "select" and name:
            fields[name] = ("select", "")
            self._select = name
        elif tag == "option" and self._select and attrs.get("value"):
            kind, value = fields[self._select]
            if not value:
                fields[self._select] = (kind, attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _variants(fields):
    """Payloads: the page's own values with one kind of bad value in every field of a kind."""
    base = {n: v for n, (k, v) in fields.items() if k not in {"file", "action"}}
    for name, (kind, _value) in fields.items():
        if kind == "date":
            for bad in BAD_DATES:
                yield {**base, name: bad}
        elif kind in {"number"}:
            for bad in BAD_NUMBERS:
                yield {**base, name: bad}
        elif kind in {"text", "textarea", "email"}:
            yield {**base, name: LONG}
    # Day/month/year boxes (panels.widgets.MemorableDateField)
    years = [n for n in fields if n.endswith("_year")]
    for year in years:
        stem = year[: -len("_year")]
        yield {**base, f"{stem}_day": "31", f"{stem}_month": "12", year: "9999"}


def _own_routes(org_a, org_b):
    for name, pattern in _all_named_routes():
        keywords = _kwarg_names(name)
        if "org_slug" not in keywords:
            continue
        filler = Filler(org_a, org_a)  # the organisation's own rows, under its own slug
        kwargs = {k: filler.value(k, pattern.callback) for k in keywords}
        yield name, reverse(name, kwargs=kwargs)


def test_no_form_answers_500_to_bad_input(demo):  # noqa: F811
    org_a, org_b, walker = demo
    client = Client(raise_request_exception=False)
    client.force_login(walker)
    failures = []
    tried = 0
    for name, url in _own_routes(org_a, org_b):
        if url.startswith("/api/"):
            continue
        page = client.get(url)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        parser = FormFields()
        parser.feed(page.content.decode(errors="replace"))
        for fields in parser.forms:
            action = fields["__action__"][1] or url
            if not action.startswith("/") or "logout" in action:
                continue
            for payload in _variants(fields):
                tried += 1
                response = client.post(action, payload)
                if response.status_code >= 500:
                    bad = {k: (v[:20] + "…" if len(v) > 20 else v) for k, v in payload.items()}
                    failures.append(f"POST {action} ({name}) {bad} -> {response.status_code}")
    print(f"{tried} bad form posts")
    assert tried > 200
    assert not failures, "\n".join(failures[:60])


def test_no_api_route_answers_500_to_bad_input(demo):  # noqa: F811
    org_a, org_b, walker = demo
    client = Client(raise_request_exception=False)
    client.force_login(walker)
    failures = []
    tried = 0
    for name, url in _own_routes(org_a, org_b):
        if not url.startswith("/api/"):
            continue
        bodies = [NESTED, json.dumps({"x": json.loads("[" * 100 + "]" * 100)})]
        for bad in BAD_DATES + BAD_NUMBERS + [LONG]:  # every usual field name at once
            bodies.append(json.dumps(dict.fromkeys(API_FIELDS, bad)))
        for body in bodies:
            for method in ("post", "put", "patch"):
                tried += 1
                response = getattr(client, method)(url, body, content_type="application/json")
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url} ({name}) {body[:60]} -> 500")
        for query in ("on=9999-12-31", "on=0001-01-01", "date=9999-12-31", "today=9999-12-31"):
            tried += 1
            response = client.get(f"{url}?{query}")
            if response.status_code >= 500:
                failures.append(f"GET {url}?{query} ({name}) -> 500")
    print(f"{tried} bad API requests")
    assert not failures, "\n".join(failures[:60])
