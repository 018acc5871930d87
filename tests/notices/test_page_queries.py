"""Constant queries: the officer ledger (every tab), the print queue, the compliance page
and the member inbox run the same number of queries for a handful of rows or for many."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from notices.models import (
    Breach,
    Letter,
    Notice,
    NoticeKind,
    NoticeStatus,
    Notification,
)
from panels.models import Panel
from tests.notices.conftest import make_person

pytestmark = pytest.mark.django_db
SIZES = [3, 40]
# Queries per page, whatever the number of rows: session, user, organisation, roles (the
# middleware), then the page's own reads. Measured, and the same for both sizes.
EXPECTED = {
    "officer_list": 7,
    "print_queue": 5,
    "compliance": 6,
    "inbox": 5,
}


def _rows(tenant, n):
    """n notices in every state (across n panels and people), n letters, n breaches and n
    notifications for the member."""
    org = tenant.org
    now = timezone.now()
    panel_type = ContentType.objects.get_for_model(Panel)
    panels = [tenant.panel] + [
        Panel.objects.create(organisation=org, slug=f"extra-{i}", name=f"Extra {i}")
        for i in range(n - 1)
    ]
    people = [make_person(org, 100 + i) for i in range(n)]
    notices = []
    for i in range(n):
        for status in (
            NoticeStatus.PENDING,
            NoticeStatus.FAILED,
            NoticeStatus.SENT,
            NoticeStatus.WITHDRAWN,
        ):
            notices.append(
                Notice(
                    organisation=org,
                    panel=panels[i],
                    kind=NoticeKind.ACTION_DUE,
                    subject_type=panel_type,
                    subject_id=panels[i].pk,
                    dedupe_key=f"q|{i}|{status}",
                    recipient_person=people[i],
                    recipient_user=tenant.member,
                    recipient_name=people[i].full_name,
                    channel="post",
                    title=f"Notice {i}",
                    body="Body",
                    due_at=now,
                    next_attempt_at=now,
                    status=status,
                    sent_at=now if status == NoticeStatus.SENT else None,
                    last_error="Refused" if status == NoticeStatus.FAILED else "",
                    attempts=5 if status == NoticeStatus.FAILED else 0,
                )
            )
    Notice.objects.bulk_create(notices)
    sent = list(Notice.objects.filter(organisation=org, status=NoticeStatus.SENT))
    Letter.objects.bulk_create(
        Letter(
            organisation=org,
            notice=notice,
            pdf=f"letters/{notice.pk}.pdf",
            printed_at=now if i % 2 else None,
            printed_by=tenant.officer if i % 2 else None,
        )
        for i, notice in enumerate(sent)
    )
    Notification.objects.bulk_create(
        Notification(organisation=org, user=tenant.member, notice=notice, title="T", body="B")
        for notice in sent
    )
    Breach.objects.bulk_create(
        Breach(
            organisation=org,
            panel=tenant.panel,
            rule="papers_out",
            subject_type=panel_type,
            subject_id=panels[i].pk,
            subject_label=f"Meeting {i}",
            due_on=datetime.date(2026, 3, 1) + datetime.timedelta(days=i),
            done_on=datetime.date(2026, 3, 5) if i % 2 else None,
            rule_text="Papers 7 days before",
            source="Terms (v1), Meetings",
        )
        for i in range(n)
    )


def _url(name, org, **kwargs):
    return reverse(f"notices:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("status", ["open", "failed", "sent", "withdrawn"])
def test_officer_ledger_queries_are_constant(
    client_as, tenant_a, django_assert_num_queries, size, status
):
    _rows(tenant_a, size)
    client = client_as(tenant_a.officer)
    with django_assert_num_queries(EXPECTED["officer_list"]):
        page = client.get(_url("officer_list", tenant_a.org) + f"?status={status}")
    assert page.status_code == 200
    assert page.content.count(b"notice-row") == size  # one row per notice


@pytest.mark.parametrize("size", SIZES)
def test_print_queue_queries_are_constant(client_as, tenant_a, django_assert_num_queries, size):
    _rows(tenant_a, size)
    client = client_as(tenant_a.officer)
    with django_assert_num_queries(EXPECTED["print_queue"]):
        page = client.get(_url("print_queue", tenant_a.org))
    assert page.status_code == 200
    assert page.content.count(b"Letter (PDF)") == (size + 1) // 2


@pytest.mark.parametrize("size", SIZES)
def test_compliance_queries_are_constant(client_as, tenant_a, django_assert_num_queries, size):
    _rows(tenant_a, size)
    client = client_as(tenant_a.officer)
    url = _url("compliance", tenant_a.org, panel_slug=tenant_a.panel.slug) + "?year=2026"
    with django_assert_num_queries(EXPECTED["compliance"]):
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.count(b"Papers 7 days before") == size


@pytest.mark.parametrize("size", SIZES)
def test_member_inbox_queries_are_constant(client_as, tenant_a, django_assert_num_queries, size):
    _rows(tenant_a, size)
    client = client_as(tenant_a.member)
    with django_assert_num_queries(EXPECTED["inbox"]):
        page = client.get(_url("inbox", tenant_a.org))
    assert page.status_code == 200
    assert page.content.count(b"/read/") == size  # a "mark read" form per notification
