"""THT 4's Board-nominated topic flagged on the scrutiny dashboard; HFH 2a's six-monthly
review of priorities due on the officer's overview."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from scrutiny.models import ServiceReview, WorkPlanPriority

pytestmark = pytest.mark.django_db


def _dashboard(client, tenant):
    return client.get(
        reverse(
            "scrutiny:dashboard",
            kwargs={"org_slug": tenant.org.slug, "panel_slug": tenant.panel.slug},
        )
    ).content.decode()


def test_tht_work_plan_without_a_board_topic_is_flagged(tenant_a, terms_a, client_as):
    # THT 4: "Flexibility to include at least one topic/service area that is nominated by
    # the THT board or executive team."
    terms_a.board_nominated_topic_required = True
    terms_a.save()
    year = timezone.localdate().year
    review = ServiceReview.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        title="Repairs",
        topic_source="complaints",
        proposed_on=datetime.date(year, 1, 10),
    )
    client = client_as(tenant_a.officer)
    assert f"The {year} work plan has no topic nominated by the Board" in _dashboard(
        client, tenant_a
    )
    review.topic_source = "board"
    review.save()
    assert "no topic nominated by the Board" not in _dashboard(client, tenant_a)


def test_no_flag_where_the_terms_do_not_ask(tenant_a, terms_a, client_as):
    assert "no topic nominated by the Board" not in _dashboard(
        client_as(tenant_a.officer), tenant_a
    )


def test_hfh_priorities_review_due_on_the_officer_overview(tenant_a, terms_a, client_as):
    # HFH 2a: "Agree priorities on an annual basis, with a six-monthly review as part of the
    # group's work plan."
    terms_a.priorities_review_months = 6
    terms_a.save()
    today = timezone.localdate()
    priority = WorkPlanPriority.objects.create(
        organisation=tenant_a.org, panel=tenant_a.panel, year=today.year, title="Damp and mould"
    )
    landing = reverse("panels:landing", kwargs={"org_slug": tenant_a.org.slug})
    client = client_as(tenant_a.officer)
    due_on = datetime.date(today.year, 7, 1)
    body = client.get(landing).content.decode()
    if today >= due_on:
        assert f"Review of the {today.year} priorities due since" in body
    else:
        assert "priorities due since" not in body
    # Reviewed today: the next review is six months away, so nothing shows.
    priority.reviewed_on = today
    priority.save()
    assert "priorities due since" not in client.get(landing).content.decode()
