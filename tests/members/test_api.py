import pytest

from members.models import Membership


def api(slug, path):
    return f"/api/v1/{slug}/{path}"


@pytest.mark.django_db
def test_api_appoint_refusal_is_400_with_reasons_and_changes_nothing(make_org, client_as):
    helena = make_org("helena")
    for _ in range(15):
        helena.seat()
    newcomer = helena.person()
    client = client_as(helena.officer)
    response = client.post(
        api("helena", "memberships/"),
        {"panel": helena.panel.pk, "person": newcomer.pk, "starts_on": "2026-04-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "membership.max_members"
    assert not Membership.objects.filter(person=newcomer).exists()


@pytest.mark.django_db
def test_api_actions_and_eligibility(make_org, client_as):
    stockport = make_org("stockport")
    seat = stockport.seat(term_number=2, starts_on=stockport.terms.effective_from)
    client = client_as(stockport.officer)
    too_long = client.post(
        api("stockport", f"memberships/{seat.pk}/leave/"),
        {"starts_on": "2026-01-01", "ends_on": "2026-07-01"},
        content_type="application/json",
    )
    assert too_long.status_code == 400
    assert too_long.json()["errors"][0]["code"] == "leave.too_long"
    ok = client.post(
        api("stockport", f"memberships/{seat.pk}/step-down/"),
        {"on": "2026-05-01", "reason": "Moving away"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "stepped_down"
    young = stockport.person(date_of_birth=__import__("datetime").date(2012, 1, 1))
    response = client.get(
        api("stockport", f"people/{young.pk}/eligibility/"),
        {"panel": stockport.panel.pk, "on": "2026-04-01"},
    )
    codes = {r["code"] for r in response.json()["reasons"]}
    assert response.json()["eligible"] is False and "eligibility.min_age" in codes


@pytest.mark.django_db
def test_api_people_hidden_from_members_and_other_orgs(make_org, client_as):
    tht, ivh = make_org("tht"), make_org("ivh")
    person = tht.person()
    assert client_as(tht.member_user).get(api("tht", "people/")).status_code == 403
    assert client_as(ivh.officer).get(api("tht", f"people/{person.pk}/")).status_code == 403
    listed = client_as(tht.officer).get(api("tht", "people/")).json()
    names = [p["first_name"] for p in listed.get("results", listed)]
    assert person.first_name in names


@pytest.mark.django_db
def test_schema_lists_members_endpoints(schema_client):
    body = schema_client.get("/api/schema/").content.decode()
    assert "/memberships/{id}/extend/" in body and "/people/{id}/eligibility/" in body
