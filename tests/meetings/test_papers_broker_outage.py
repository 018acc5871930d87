"""Issue 14 item 1: papers issued while the broker refuses every publish answer normally;
their emails wait in the notice ledger and go exactly once when the broker is back. A
report requested during the outage is picked up by beat's sweep."""

import datetime
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from meetings import services
from meetings.models import PaperIssue
from notices.delivery import dispatch_due
from notices.models import Notice
from panelhub.celery import app as celery_app
from reports.services import STALE_QUEUED_SECONDS, report_request, reports_sweep_queued
from tests import sample_files as sample
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down():
    """Celery publishes for real (not eagerly) and kombu's producer raises as it does when
    Redis refuses the connection."""
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    celery_app.conf.task_always_eager = False
    try:
        with mock.patch("kombu.messaging.Producer.publish", side_effect=refused) as publish:
            yield publish
    finally:
        celery_app.conf.task_always_eager = True


def _meeting(panel_with):
    setup = panel_with("ivh", resident=4)
    setup.seats[3].person.preferred_channel = "post"
    setup.seats[3].person.save()
    today = timezone.localdate()
    meeting = schedule(setup, today + datetime.timedelta(days=20), today=today)
    item = services.agenda_item_add(meeting=meeting, title="Repairs", today=today)
    services.paper_upload(
        item=item, title="Repairs report", file=ContentFile(sample.pdf_bytes(), name="r.pdf")
    )
    return setup, meeting


def test_papers_issued_with_the_broker_refusing_answer_and_mail_once_after(
    panel_with, client_as, tenant_a, mailoutbox, broker_down, caplog
):
    setup, meeting = _meeting(panel_with)
    console = reverse(
        "meetings:console", kwargs={"org_slug": tenant_a.org.slug, "meeting_id": meeting.pk}
    )
    response = client_as(tenant_a.officer).post(console, {"action": "issue"}, follow=True)

    assert response.status_code == 200
    assert "Papers issued: 3 by email, 1 by post" in response.content.decode()
    assert broker_down.called  # the enqueue was really tried, and refused
    assert "could not enqueue or run the dispatcher" in caplog.text
    assert PaperIssue.objects.count() == 4
    # Nothing went, nothing was lost: the three emails wait in the ledger.
    assert mailoutbox == []
    emails = Notice.objects.filter(kind="papers_issued", channel="email")
    assert sorted(emails.values_list("status", flat=True)) == ["pending"] * 3
    # The member who gets papers by post: a letter (covering letter and pack) to print.
    assert Notice.objects.filter(kind="papers_issued", channel="post").count() == 1

    # A retry while the broker is still away issues nothing twice.
    client_as(tenant_a.officer).post(console, {"action": "issue"})
    assert PaperIssue.objects.count() == 4 and emails.count() == 3

    # The broker is back: beat's next tick runs the dispatcher, which sends them once.
    broker_down.side_effect = None
    dispatch_due()
    dispatch_due()
    # Only the papers: the officers' own alerts (e.g. the cadence at risk) may go too.
    papers = [m for m in mailoutbox if m.subject.startswith("Papers: ")]
    assert sorted(m.to[0] for m in papers) == sorted(s.person.email for s in setup.seats[:3])
    assert set(emails.values_list("status", flat=True)) == {"sent"}


def test_report_requested_during_the_outage_is_picked_up_by_the_sweep(
    tenant_a, broker_down, caplog
):
    today = timezone.localdate()
    report = report_request(
        panel=tenant_a.panel,
        kind="quarterly",
        period_start=today.replace(day=1) - datetime.timedelta(days=80),
        period_end=today.replace(day=1) - datetime.timedelta(days=1),
        by=tenant_a.officer,
    )
    assert "could not enqueue report" in caplog.text
    report.refresh_from_db()
    assert report.status == "queued"

    # Too young for the sweep: a worker may still be about to take it.
    assert reports_sweep_queued(now=timezone.now()) == 0

    broker_down.side_effect = None
    celery_app.conf.task_always_eager = True  # the worker runs what the sweep enqueues
    later = timezone.now() + datetime.timedelta(seconds=STALE_QUEUED_SECONDS + 1)
    assert reports_sweep_queued(now=later) == 1
    report.refresh_from_db()
    assert report.status == "ready" and report.file
    # A second sweep finds nothing queued; a swept task for a started report does nothing.
    assert reports_sweep_queued(now=later) == 0


def test_sweeps_are_on_beats_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"notices.dispatch", "reports.sweep_queued"} <= tasks
    assert settings.CELERY_BEAT_SCHEDULE["reports: sweep queued reports"]["schedule"] <= 120


def test_papers_issued_without_commit_send_nothing(panel_with, mailoutbox):
    setup, meeting = _meeting(panel_with)
    with (
        pytest.raises(RuntimeError),
        mock.patch("meetings.services.papers.audit_record", side_effect=RuntimeError("boom")),
    ):
        services.papers_issue(meeting=meeting, today=timezone.localdate())
    assert (
        not PaperIssue.objects.exists() and not Notice.objects.filter(kind="papers_issued").exists()
    )
    dispatch_due()
    assert [m for m in mailoutbox if m.subject.startswith("Papers: ")] == []
