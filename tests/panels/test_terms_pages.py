"""Terms-of-reference pages: the public statement of the rules, the officer's versions,
revise form and closure days, and the read-only admin (issue 4)."""

import datetime
import json

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from panels.models import AuditEntry, ClosureDay, TermsOfReference
from panels.seed_terms import TERMS
from panels.services import terms_revise, terms_rule_fields

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def terms_a(tenant_a):
    spec = TERMS[("stockport", "aspire-customer-panel")]
    return terms_revise(
        panel=tenant_a.panel,
        effective_from=D(2025, 1, 1),
        changes={"title": "ASPIRE-like terms", **spec["values"]},
        deadlines=[
            {
                "kind": "papers_out",
                "amount": 5,
                "unit": "working_days",
                "direction": "before",
                "channel": "electronic",
            }
        ],
        review_due_on=D(2026, 1, 1),
        by=tenant_a.officer,
    )


def url(name, tenant, **kwargs):
    return reverse(f"panels:{name}", kwargs={"org_slug": tenant.org.slug, **kwargs})


def post_data(terms, **overrides):
    data = {}
    for name, value in model_to_dict(terms, fields=terms_rule_fields()).items():
        if isinstance(value, list):
            data[name] = "\n".join(value) if name == "escalation_steps" else value
        elif isinstance(value, dict):
            data[name] = json.dumps(value)
        elif value is None:
            data[name] = ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    for name in ("reappointment_automatic", "may_meet_virtually", "may_reapply"):
        value = getattr(terms, name)
        data[name] = {None: "unknown", True: "true", False: "false"}[value]
    data.update(
        {
            "effective_from": "2026-04-01",
            "review_due_on": "2029-04-01",
            "change_note": "Quorum raised",
            "deadlines-TOTAL_FORMS": "2",
            "deadlines-INITIAL_FORMS": "0",
            "deadlines-0-kind": "papers_out",
            "deadlines-0-amount": "5",
            "deadlines-0-unit": "working_days",
            "deadlines-0-direction": "before",
            "deadlines-0-channel": "electronic",
        }
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Public page ---------------------------------------------------------------------


def test_public_rules_page_for_anyone(client, tenant_a, terms_a):
    response = client.get(url("panel_terms", tenant_a, panel_slug=tenant_a.panel.slug))
    assert response.status_code == 200
    body = response.content.decode()
    assert "A meeting is quorate when at least 50% of the members are present" in body
    assert (
        "The agenda and papers are sent electronically at least 5 working days before each "
        "meeting." in body
    )
    assert "version 1" in body and "1 January 2025" in body
    assert "review due</span>" in body


def test_public_page_links_to_the_rules(client, tenant_a, terms_a):
    body = client.get(url("panel_public", tenant_a, panel_slug=tenant_a.panel.slug)).content
    assert url("panel_terms", tenant_a, panel_slug=tenant_a.panel.slug).encode() in body


def test_earlier_version_shown_as_such_with_links(client, tenant_a, terms_a):
    second = terms_revise(
        review_due_on=D(2099, 1, 1),
        panel=tenant_a.panel,
        effective_from=D(2026, 1, 1),
        changes={"max_members": 12},
        by=tenant_a.officer,
    )
    current = client.get(url("panel_terms", tenant_a, panel_slug=tenant_a.panel.slug))
    assert "version 2" in current.content.decode()
    old_url = url(
        "panel_terms_version",
        tenant_a,
        panel_slug=tenant_a.panel.slug,
        termsofreference_id=terms_a.pk,
    )
    assert old_url in current.content.decode()
    old = client.get(old_url).content.decode()
    assert "earlier version, no longer in force" in old
    assert "until 1 January 2026" in old
    assert second.max_members == 12


def test_a_version_of_another_panel_is_not_found(client, tenant_a, tenant_b, terms_a):
    foreign = terms_revise(
        review_due_on=D(2099, 1, 1),
        panel=tenant_b.panel,
        effective_from=D(2025, 1, 1),
        changes={},
        by=tenant_b.officer,
    )
    response = client.get(
        url(
            "panel_terms_version",
            tenant_a,
            panel_slug=tenant_a.panel.slug,
            termsofreference_id=foreign.pk,
        )
    )
    assert response.status_code == 404


def test_public_page_queries_do_not_grow_with_versions(
    client, tenant_a, terms_a, django_assert_max_num_queries
):
    page = url("panel_terms", tenant_a, panel_slug=tenant_a.panel.slug)
    with django_assert_max_num_queries(6) as one:
        client.get(page)
    for year in (2026, 2027, 2028):
        terms_revise(
            review_due_on=D(2099, 1, 1),
            panel=tenant_a.panel,
            effective_from=D(year, 1, 1),
            changes={"max_members": 10 + year - 2026},
            by=tenant_a.officer,
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(page)


# --- Officer pages -------------------------------------------------------------------


def test_versions_page_for_officers_only(client_as, tenant_a, terms_a):
    page = url("terms_versions", tenant_a, panel_slug=tenant_a.panel.slug)
    assert client_as(tenant_a.member).get(page).status_code == 403
    body = client_as(tenant_a.officer).get(page).content.decode()
    assert "in force today" in body and "review due" in body


def test_revise_form_prefilled_from_the_latest_version(client_as, tenant_a, terms_a):
    response = client_as(tenant_a.officer).get(
        url("terms_revise", tenant_a, panel_slug=tenant_a.panel.slug)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="max_members" value="15"' in body
    assert 'value="working_days" selected' in body
    assert "Quorum and decisions" in body  # fieldsets


def test_revise_creates_the_next_version(client_as, tenant_a, terms_a):
    client = client_as(tenant_a.officer)
    response = client.post(
        url("terms_revise", tenant_a, panel_slug=tenant_a.panel.slug),
        post_data(terms_a, quorum_fraction="0.6"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = TermsOfReference.objects.filter(panel=tenant_a.panel).order_by("-version").first()
    assert latest.version == 2 and str(latest.quorum_fraction) == "0.600"
    assert latest.eligibility_criteria == terms_a.eligibility_criteria
    assert latest.remuneration_member_annual == terms_a.remuneration_member_annual
    assert [(d.kind, d.amount, d.channel) for d in latest.deadlines.all()] == [
        ("papers_out", 5, "electronic")
    ]
    terms_a.refresh_from_db()
    assert str(terms_a.quorum_fraction) == "0.500"


def test_revise_shows_each_refusal_on_its_field_and_keeps_what_was_typed(
    client_as, tenant_a, terms_a
):
    response = client_as(tenant_a.officer).post(
        url("terms_revise", tenant_a, panel_slug=tenant_a.panel.slug),
        post_data(
            terms_a,
            min_members="16",
            quorum_fraction="1.5",
            effective_from="2024-12-31",
            approved_by="Board, 3 March",
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["min_members"] == ["minimum members (16) is above maximum (15)."]
    assert "must be above 0 and at most 1" in form.errors["quorum_fraction"][0]
    assert "may not overlap" in form.errors["effective_from"][0]
    body = response.content.decode()
    assert 'value="Board, 3 March"' in body and 'name="min_members" value="16"' in body
    assert TermsOfReference.objects.filter(panel=tenant_a.panel).count() == 1


def test_revise_refuses_a_version_without_its_review_date(client_as, tenant_a, terms_a):
    """Every ToR version made by an officer has its review date (issue 16 item 4)."""
    response = client_as(tenant_a.officer).post(
        url("terms_revise", tenant_a, panel_slug=tenant_a.panel.slug),
        post_data(terms_a, review_due_on=""),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["review_due_on"]
    assert TermsOfReference.objects.filter(panel=tenant_a.panel).count() == 1


def test_revise_refuses_a_negative_deadline_on_the_row(client_as, tenant_a, terms_a):
    response = client_as(tenant_a.officer).post(
        url("terms_revise", tenant_a, panel_slug=tenant_a.panel.slug),
        post_data(terms_a, **{"deadlines-0-amount": "-3"}),
    )
    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors["amount"]
    assert TermsOfReference.objects.filter(panel=tenant_a.panel).count() == 1


def test_closure_days_add_refuse_duplicate_and_remove(client_as, tenant_a, tenant_b):
    client = client_as(tenant_a.officer)
    page = url("closure_days", tenant_a)
    added = client.post(page, {"date": "2030-12-30", "reason": "Christmas shutdown"})
    assert added.status_code == 302
    day = ClosureDay.objects.get(organisation=tenant_a.org)
    duplicate = client.post(page, {"date": "2030-12-30", "reason": "again"})
    assert duplicate.status_code == 400
    assert "already a closure day" in duplicate.context["form"].errors["date"][0]
    assert "Christmas shutdown" in client.get(page).content.decode()
    foreign = ClosureDay.objects.create(organisation=tenant_b.org, date=D(2030, 12, 30))
    assert client.post(page, {"remove": foreign.pk}).status_code == 404
    assert client.post(page, {"remove": day.pk}).status_code == 302
    assert not ClosureDay.objects.filter(organisation=tenant_a.org).exists()
    assert ClosureDay.objects.filter(pk=foreign.pk).exists()
    actions = set(
        AuditEntry.objects.filter(organisation=tenant_a.org).values_list("action", flat=True)
    )
    assert {"closure_day.added", "closure_day.removed"} <= actions


def test_closure_days_for_officers_only(client_as, tenant_a):
    assert client_as(tenant_a.board).get(url("closure_days", tenant_a)).status_code == 403


# --- Admin ---------------------------------------------------------------------------


def test_admin_shows_versions_read_only_with_a_way_to_revise(client_as, tenant_a, terms_a):
    client = client_as(tenant_a.officer)
    change = client.get(reverse("admin:panels_termsofreference_change", args=[terms_a.pk]))
    body = change.content.decode()
    assert change.status_code == 200
    assert 'name="_save"' not in body
    assert url("terms_revise", tenant_a, panel_slug=tenant_a.panel.slug) in body
    response = client.post(
        reverse("admin:panels_termsofreference_change", args=[terms_a.pk]), {"max_members": 3}
    )
    assert response.status_code == 403
    terms_a.refresh_from_db()
    assert terms_a.max_members == 15
    assert client.get(reverse("admin:panels_termsofreference_add")).status_code == 403


def test_admin_closure_days_scoped(client_as, tenant_a, tenant_b):
    ClosureDay.objects.create(organisation=tenant_a.org, date=D(2030, 12, 29), reason="Alpha shut")
    ClosureDay.objects.create(organisation=tenant_b.org, date=D(2030, 12, 29), reason="Bravo shut")
    body = client_as(tenant_a.officer).get(reverse("admin:panels_closureday_changelist")).content
    assert b"Alpha shut" in body and b"Bravo shut" not in body
