"""Walk every URL pattern of the project, resolved from the URLconf, as a user of
organisation A against the objects of organisation B.

No pattern is listed by hand: a page or API route added later is walked too. Each
URL keyword is filled from organisation B's demo data (seed_demo), by name:
``org_slug``; ``<model>_id`` / ``<model>_pk`` / ``<model>_slug`` for any tenant
model; ``pk`` from the view's model. A keyword the walk cannot fill fails the
test, so add demo data (or a sample value below) rather than skipping a page.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from panels.models import Organisation, OrganisationRole, Role, User
from panels.tenancy import tenant_models

pytestmark = pytest.mark.django_db

ORG_A = "helena"
ORG_B = "hfh"
ALLOWED_FOREIGN = {403, 404, 405}
# Keywords that are not rows: a sample value each.
SAMPLE_VALUES = {
    "year": datetime.date.today().year,
    "quarter": 1,
    "token": "0" * 32,
    "uidb36": "1",
    "key": "x",
    "format": "json",
}
# Pages of one's own organisation that answer 404 to the walker by design, with why: the
# first row of the kind is not in the state the page needs, or the walker holds no seat.
OWN_404 = {
    "members:expense_submit": "the walker's account is linked to no resident record",
    "members:removal_flag_decide": "the first seat carries no removal flag to decide",
    "meetings:member_feed": "the sample token is no member's calendar token",
    "scrutiny:evidence_file": "the first evidence item has no file",
    "scrutiny:notice_to_act_answer": "no notice to act was served on the first motion",
    "reports:published_download": "the first report is not published",
}
SKIP_NAMESPACES = {"admin"}  # the admin has its own tests (tests/panels/test_admin_scoping.py)


def _walk(patterns, prefix_ns=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            qualified = f"{prefix_ns}{ns}:" if ns else prefix_ns
            yield from _walk(entry.url_patterns, qualified)
        elif isinstance(entry, URLPattern):
            yield prefix_ns, entry


def _all_named_routes():
    routes = []
    for ns, pattern in _walk(get_resolver().url_patterns):
        if ns.rstrip(":").split(":")[0] in SKIP_NAMESPACES:
            continue
        if not pattern.name:
            continue
        routes.append((f"{ns}{pattern.name}", pattern))
    return routes


def _kwarg_names(pattern_chain_name):
    """Keyword names of a namespaced route, from the resolver's reverse data."""
    resolver = get_resolver()
    *namespaces, name = pattern_chain_name.split(":")
    names = set()
    for ns in namespaces:
        prefix, resolver = resolver.namespace_dict[ns]
        names.update(re.findall(r"<(?:\w+:)?(\w+)>", prefix))
    for possibility, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(name):
        for _result, params in possibility:
            names.update(params)
    return names


def _view_model(callback):
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    for holder in (cls, callback):
        queryset = getattr(holder, "queryset", None)
        if queryset is not None:
            return queryset.model
        model = getattr(holder, "model", None)
        if model is not None:
            return model
    return None


def _is_public(callback) -> bool:
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return bool(getattr(callback, "public", False) or getattr(cls, "public", False))


def _models_by_name():
    return {m._meta.model_name: m for m in tenant_models()}


class Filler:
    def __init__(self, org_b, org_a):
        self.org_b = org_b
        self.org_a = org_a
        self.models = _models_by_name()
        self.used = []

    def _row(self, model):
        row = model.objects.for_org(self.org_b).order_by("pk").first()
        assert row is not None, (
            f"seed_demo gives {self.org_b.slug} no {model.__name__}: add demo data so the "
            "isolation walk can visit its pages"
        )
        self.used.append(row)
        return row

    def value(self, keyword, callback):
        if keyword == "org_slug":
            return self.org_a.slug
        if keyword in SAMPLE_VALUES:
            return SAMPLE_VALUES[keyword]
        if keyword == "pk":
            model = _view_model(callback)
            assert model is not None, f"cannot tell the model of {callback} for its pk"
            return self._row(model).pk
        match = re.fullmatch(r"(?P<model>\w+?)_(?P<field>id|pk|slug)", keyword)
        assert match, f"the walk cannot fill URL keyword {keyword!r}; name it <model>_id"
        model_name = match["model"].replace("_", "")
        assert model_name in self.models, f"{keyword!r} names no tenant model ({model_name})"
        row = self._row(self.models[model_name])
        return row.slug if match["field"] == "slug" else row.pk


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--quiet-sign-ins")
    org_a = Organisation.objects.get(slug=ORG_A)
    org_b = Organisation.objects.get(slug=ORG_B)
    walker = User.objects.create_user(email="walker@helena.test", password="x")
    for role in Role:
        OrganisationRole.objects.create(user=walker, organisation=org_a, role=role)
    return org_a, org_b, walker


def _b_markers(org_b, used, org_a):
    markers = {org_b.name} if len(org_b.name) > 3 else set()
    markers.add(f"/{org_b.slug}/")
    for row in used:
        text = str(row)
        same_in_a = type(row).objects.for_org(org_a).filter(pk__isnull=False)
        a_texts = {str(r) for r in same_in_a[:500]}
        if len(text) >= 6 and text not in a_texts:
            markers.add(text)
    return markers


def test_every_route_refuses_organisation_b_rows_to_a_user_of_organisation_a(client, demo):
    org_a, org_b, walker = demo
    client.force_login(walker)
    routes = _all_named_routes()
    walked = 0
    for name, pattern in routes:
        keywords = _kwarg_names(name)
        if "org_slug" not in keywords:
            continue
        row_keywords = keywords - {"org_slug"} - set(SAMPLE_VALUES)
        if not row_keywords:
            continue  # nothing of B's to ask for
        filler = Filler(org_b, org_a)
        kwargs = {k: filler.value(k, pattern.callback) for k in keywords}
        url = reverse(name, kwargs=kwargs)
        markers = _b_markers(org_b, filler.used, org_a)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in ALLOWED_FOREIGN, (
                f"{method.upper()} {url} ({name}) answered {response.status_code} to a user of "
                f"{org_a.slug} asking for rows of {org_b.slug}"
            )
            body = response.content.decode(errors="replace")
            for marker in markers:
                assert marker not in body, f"{method.upper()} {url} leaks {marker!r}"
        walked += 1
    assert walked >= 1


def test_every_private_route_of_organisation_b_refuses_a_user_without_a_role_there(client, demo):
    org_a, org_b, walker = demo
    client.force_login(walker)
    for name, pattern in _all_named_routes():
        keywords = _kwarg_names(name)
        if "org_slug" not in keywords or _is_public(pattern.callback):
            continue
        filler = Filler(org_b, org_a)
        kwargs = {k: filler.value(k, pattern.callback) for k in keywords}
        kwargs["org_slug"] = org_b.slug
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in ALLOWED_FOREIGN, (
                f"{method.upper()} {url} ({name}) answered {response.status_code} to a user "
                f"with no role in {org_b.slug}"
            )


def test_every_private_route_asks_an_anonymous_visitor_to_sign_in(client, demo):
    org_a, org_b, _ = demo
    for name, pattern in _all_named_routes():
        keywords = _kwarg_names(name)
        if "org_slug" not in keywords or _is_public(pattern.callback):
            continue
        filler = Filler(org_a, org_b)
        kwargs = {k: filler.value(k, pattern.callback) for k in keywords}
        kwargs["org_slug"] = org_a.slug
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code in {302, 401, 403, 405}, f"GET {url} ({name}) as anonymous"
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]


def test_every_route_of_ones_own_organisation_renders_without_error(client, demo):
    """The same walk against A's own rows under A's own address, as a user holding every
    role in A: every page answers without a server error, and A's pages are not refused to
    their own user (a 403 or 404 here would mean the walk checked nothing)."""
    org_a, org_b, walker = demo
    client.force_login(walker)
    rendered = []
    refused = []
    for name, pattern in _all_named_routes():
        keywords = _kwarg_names(name)
        if "org_slug" not in keywords:
            continue
        filler = Filler(org_a, org_b)
        kwargs = {k: filler.value(k, pattern.callback) for k in keywords}
        kwargs["org_slug"] = org_a.slug
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code < 500, f"GET {url} ({name}) -> {response.status_code}"
        if response.status_code == 200:
            rendered.append(name)
        elif response.status_code in {403, 404}:
            refused.append((name, response.status_code))
    assert dict(refused) == dict.fromkeys(OWN_404, 404), (
        "pages of the walker's own organisation refused to them (403: a role check wrong; "
        "404: add demo data the page needs, or the row state to OWN_404 with why): "
        f"{refused}"
    )
    assert len(rendered) >= 100, f"only {len(rendered)} pages of {org_a.slug} rendered"
