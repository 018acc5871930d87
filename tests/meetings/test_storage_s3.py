"""Uploads in S3-compatible storage (django-storages), against moto's S3 server on a free
loopback port: a paper uploaded through the normal service lands in the bucket, not on a
web node's disk, and the download view serves it to a member. Runs everywhere (moto is a
dev dependency), including CI."""

import datetime
import socket

import boto3
import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from meetings import services
from panelhub.settings.environment import default_storage_config
from tests.meetings.conftest import LATE, add_seat

BUCKET = "panelhub-test-uploads"
KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    yield endpoint
    server.stop()


@pytest.fixture
def s3_storage(s3_endpoint, monkeypatch):
    """The STORAGES the environment variables of docs/deployment.md give."""
    for name, value in {
        **KEYS,
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "eu-west-2",
    }.items():
        monkeypatch.setenv(name, value)
    storages = {
        "default": default_storage_config(),
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield s3_endpoint


def bucket_keys(endpoint: str) -> list[str]:
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_the_environment_chooses_s3_with_its_options(monkeypatch):
    monkeypatch.setenv("STORAGE_BACKEND", "s3")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "uploads")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    config = default_storage_config()
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["OPTIONS"]["bucket_name"] == "uploads"
    assert config["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    # Private objects, never overwritten, reached only through PanelHub's views.
    assert config["OPTIONS"]["default_acl"] is None
    assert config["OPTIONS"]["file_overwrite"] is False


def test_s3_without_a_bucket_is_refused_naming_the_variable(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("STORAGE_BACKEND", "s3")
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        default_storage_config()


@pytest.mark.django_db
def test_a_paper_goes_to_s3_and_comes_back_through_the_download_view(
    s3_storage, panel_with, client_as, tenant_a
):
    setup = panel_with("helena", chair=1, resident=2)
    add_seat(setup, "resident", 9, user=tenant_a.member)
    today = timezone.localdate()
    meeting = services.meeting_schedule(
        late_reason=LATE,
        panel=setup.panel,
        date=today + datetime.timedelta(days=10),
        place="Hall",
        today=today,
    )
    item = services.agenda_item_add(meeting=meeting, title="Budget", today=today)
    content = b"%PDF-1.4 the budget paper"
    paper = services.paper_upload(
        item=item, title="Budget paper", file=ContentFile(content, name="budget.pdf")
    )

    assert paper.file.name in bucket_keys(s3_storage)
    services.papers_issue(meeting=meeting, today=today)  # members get papers once issued
    response = client_as(tenant_a.member).get(
        reverse("meetings:paper", kwargs={"org_slug": tenant_a.org.slug, "paper_id": paper.pk})
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert "budget.pdf" in response["Content-Disposition"]
