"""The API's role change and removal-flag decision: same services, same refusals."""

import pytest
from django.utils import timezone

from members import services
from members.models import MembershipStatus, RemovalFlag


def api(slug, path):
    return f"/api/v1/{slug}/{path}"


@pytest.mark.django_db
def test_api_role_change_refusal_then_change(make_org, client_as):
    hfh = make_org("hfh")
    seat = hfh.seat()
    client = client_as(hfh.officer)
    url = api("hfh", f"memberships/{seat.pk}/role/")
    refused = client.post(
        url, {"role": "chair", "on": "2026-06-01"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert {e["code"] for e in refused.json()["errors"]} >= {
        "role.elected_only",
        "role.reason_required",
    }
    seat.refresh_from_db()
    assert seat.role == "resident"
    done = client.post(
        url,
        {"role": "associate", "on": "2026-06-01", "reason": "Moved away."},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["role"] == "associate"
    other = make_org("helena")
    assert client_as(other.officer).post(
        url, {"role": "associate", "on": "2026-06-01"}, content_type="application/json"
    ).status_code in (403, 404)


@pytest.mark.django_db
def test_api_absences_decide(make_org, client_as):
    stockport = make_org("stockport")
    seat = stockport.seat()
    client = client_as(stockport.officer)
    url = api("stockport", f"memberships/{seat.pk}/absences-decide/")
    today = timezone.localdate().isoformat()
    body = {"panel_decision": "keep", "on": today, "reason": "Explained."}
    assert client.post(url, body, content_type="application/json").status_code == 404
    flag = services.membership_flag_for_removal(
        membership=seat, on=timezone.localdate(), reason="Two absences."
    )
    refused = client.post(url, {**body, "reason": ""}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "removal_flag.reason_required"
    removed = client.post(
        url, {**body, "panel_decision": "remove"}, content_type="application/json"
    )
    assert removed.status_code == 200 and removed.json()["status"] == MembershipStatus.REMOVED
    flag.refresh_from_db()
    assert flag.decision == RemovalFlag.Decision.REMOVED
