"""Every page, as each role of the demo organisation, carries each id once.

A repeated id breaks label-for (the label of a later form focuses the first form's field)
and leaves the later field without an accessible name (WCAG 1.3.1 / 4.1.2). The routes are
the isolation walk's: every named URL of the URLconf, its keywords filled from the demo
organisation's own rows, so a page added later is walked too.
"""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from panels.demo import demo_email
from panels.models import User
from tests.test_isolation_walk import Filler, _all_named_routes, _kwarg_names, demo  # noqa: F401

pytestmark = pytest.mark.django_db


class IdCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = Counter()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1

    handle_startendtag = handle_starttag


def duplicate_ids(html: str) -> list[str]:
    parser = IdCollector()
    parser.feed(html)
    return sorted(i for i, n in parser.ids.items() if n > 1)


def _html_pages(client, org_a, org_b):
    """(url, body) of every HTML page of organisation A that answers 200 to this client."""
    for name, pattern in _all_named_routes():
        keywords = _kwarg_names(name)
        if keywords and "org_slug" not in keywords:
            continue
        if keywords:
            filler = Filler(org_a, org_b)
            kwargs = {k: filler.value(k, pattern.callback) for k in keywords}
            kwargs["org_slug"] = org_a.slug  # Filler(rows_of, other) answers the other's slug
        else:
            kwargs = {}
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        yield url, response.content.decode()


def test_no_page_repeats_an_id_for_any_role(client, demo):  # noqa: F811
    """One seed, then the walk as each demo role and as an anonymous visitor."""
    org_a, org_b, _walker = demo
    problems, walked = [], 0
    for role in ("member", "officer", "board", "anonymous"):
        client.logout()
        if role != "anonymous":
            client.force_login(User.objects.get(email=demo_email(org_a.slug, role)))
        for url, body in _html_pages(client, org_a, org_b):
            walked += 1
            repeated = duplicate_ids(body)
            if repeated:
                problems.append(f"{role} {url}: {', '.join(repeated)}")
    assert walked >= 20
    assert not problems, "pages repeating an id:\n" + "\n".join(problems)


def test_the_walk_sees_a_repeated_id():
    assert duplicate_ids('<p id="a"></p><input id="a"><b id="b">') == ["a"]
