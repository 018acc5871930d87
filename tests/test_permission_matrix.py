"""Generated from the permission matrix (panels.permissions.MATRIX): every entry is tried
as every role of the organisation, as every role of another organisation and anonymously,
and each actor must reach exactly the rows the matrix gives them: no more, no fewer.

The expected rows are worked out here from the table and from what the test world knows
about each row (its panel, whom it is about), not by the code under test."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from meetings.models import AgendaItem, Attendance, Meeting, Paper
from members.models import ExpenseClaim, Membership, Person
from notices.models import Letter, Notice
from panels.models import Panel, Role, User
from panels.permissions import MATRIX, Scope
from reports.models import Report
from scrutiny.models import EvidenceItem
from tests import sample_files as sample

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


@dataclass
class Row:
    obj: object
    panel_id: int | None = None
    owner_id: int | None = None  # the user the row is about
    released: bool = True  # a released subject's row (papers: issued); else officers only


@dataclass
class Actor:
    name: str
    user: User | None
    roles: frozenset = frozenset()  # roles in the organisation under test
    seat_panels: frozenset = frozenset()


@dataclass
class World:
    org: object
    rows: dict = field(default_factory=dict)  # subject -> {key: Row}
    actors: list = field(default_factory=list)
    secrets: dict = field(default_factory=dict)  # key -> text only its readers may see


def _person(org, name, user=None):
    return Person.objects.create(organisation=org, first_name=name, last_name="Tenant", user=user)


def _seat(org, panel, person):
    return Membership.objects.create(
        organisation=org, panel=panel, person=person, starts_on=datetime.date(2025, 1, 1)
    )


def _stored(field, name, content):
    field.save(name, ContentFile(content), save=True)


@pytest.fixture
def world(tenant_a, tenant_b):
    org, p = tenant_a.org, tenant_a.panel
    q = Panel.objects.create(organisation=org, slug="alpha-q", name="Alpha Q Panel")
    seats = {
        "member": _seat(org, p, _person(org, "Mo", tenant_a.member)),
        "olive": _seat(org, p, _person(org, "Olive")),
        # A Board member who also holds a seat on Q (role board only): their own rows are
        # theirs, the panel's are not.
        "board": _seat(org, q, _person(org, "Bo", tenant_a.board)),
        "quinn": _seat(org, q, _person(org, "Quinn")),
    }
    w = World(org=org)
    meetings = {}
    # P and Q: papers issued. U: another meeting of P whose papers are not issued yet.
    for name, panel, hour, issued in (
        ("P", p, 10, DAY - datetime.timedelta(days=7)),
        ("Q", q, 10, DAY - datetime.timedelta(days=7)),
        ("U", p, 14, None),
    ):
        meetings[name] = Meeting.objects.create(
            organisation=org,
            panel=panel,
            date=DAY,
            start_time=datetime.time(hour),
            end_time=datetime.time(hour + 2),
            virtual_link=f"https://video.example/{name.lower()}-room",
            papers_issued_on=issued,
        )
    w.rows["meeting"] = {f"meeting:{n}": Row(m, m.panel_id) for n, m in meetings.items()}

    reasons = {"member": "Hospital appointment", "olive": "Dentist", "board": "Childcare"}
    reasons["quinn"] = "Night shift"
    attendance = {}
    for who, seat in seats.items():
        meeting = meetings["P" if seat.panel_id == p.pk else "Q"]
        line = Attendance.objects.create(
            organisation=org,
            meeting=meeting,
            membership=seat,
            status="apologies",
            apology_reason=reasons[who],
        )
        attendance[f"attendance:{who}"] = Row(line, meeting.panel_id, seat.person.user_id)
        w.secrets[f"attendance:{who}"] = reasons[who]
    w.rows["attendance"] = attendance

    items, papers = {}, {}
    for name, meeting in meetings.items():
        item = AgendaItem.objects.create(
            organisation=org,
            meeting=meeting,
            position=1,
            title=f"Confidential {name}",
            is_confidential=True,
        )
        items[f"item:{name}"] = Row(item, meeting.panel_id)
        paper = Paper(organisation=org, item=item, title=f"Paper {name}", original_name="p.pdf")
        _stored(paper.file, "p.pdf", sample.pdf_bytes())
        released = meeting.papers_issued_on is not None
        papers[f"paper:{name}"] = Row(paper, meeting.panel_id, released=released)
    w.rows["confidential_item"], w.rows["paper"] = items, papers

    evidence = {}
    for key, panel, confidential in (("P1", p, True), ("P2", p, False), ("Q1", q, False)):
        item = EvidenceItem(
            organisation=org,
            panel=panel,
            kind="complaints",
            title=f"Evidence {key} complaints log",
            dated=DAY,
            is_confidential=confidential,
            original_name="log.pdf",
        )
        _stored(item.file, "log.pdf", sample.pdf_bytes())
        evidence[f"evidence:{key}"] = Row(item, panel.pk)
    w.rows["evidence"] = evidence
    w.rows["panel"] = {"panel:P": Row(p, p.pk), "panel:Q": Row(q, q.pk)}

    claims = {}
    for who in ("member", "olive", "board"):
        seat = seats[who]
        claim = ExpenseClaim(
            organisation=org,
            membership=seat,
            incurred_on=DAY,
            description=f"Bus fare {who}",
            amount="4.20",
            receipt_name="bus.png",
        )
        _stored(claim.receipt, "bus.png", sample.image_bytes())
        claims[f"claim:{who}"] = Row(claim, seat.panel_id, seat.person.user_id)
    w.rows["expense_claim"] = claims

    notice = Notice.objects.create(
        organisation=org,
        panel=p,
        kind="meeting_notice",
        subject_type=ContentType.objects.get_for_model(Meeting),
        subject_id=meetings["P"].pk,
        dedupe_key="matrix-letter",
        recipient_name="Olive Tenant",
        recipient_address="1 High Street",
        channel="post",
        title="Notice of meeting",
        body="Dear Olive",
        due_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        next_attempt_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
    )
    letter = Letter(organisation=org, notice=notice)
    _stored(letter.pdf, "letter.pdf", sample.pdf_bytes())
    w.rows["letter"] = {"letter:1": Row(letter, None)}

    report = Report(
        organisation=org,
        panel=p,
        kind="quarterly",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        version=1,
        title="Q1 report",
        status="ready",
        checksum="x" * 64,
    )
    _stored(report.file, "report.pdf", sample.pdf_bytes())
    w.rows["report"] = {"report:1": Row(report, p.pk)}

    seat_panels = {"member": frozenset({p.pk}), "board": frozenset({q.pk})}
    for role in Role:
        w.actors.append(
            Actor(
                f"{role} of {org.slug}",
                tenant_a.user(role),
                frozenset({str(role)}),
                seat_panels.get(str(role), frozenset()),
            )
        )
        w.actors.append(Actor(f"{role} of {tenant_b.org.slug}", tenant_b.user(role)))
    w.actors.append(Actor("anonymous", None))
    return w


def expected(world: World, entry, rows: dict, actor: Actor) -> set:
    table = MATRIX[entry]
    scopes = {table[r] for r in actor.roles if r in table}
    found = set()
    for key, row in rows.items():
        if Scope.ALL in scopes:
            found.add(key)
        elif not row.released:
            continue  # before release (papers not issued): nobody but ALL
        elif (Scope.OWN_PANEL in scopes and row.panel_id in actor.seat_panels) or (
            Scope.OWN in scopes and actor.user and row.owner_id == actor.user.pk
        ):
            found.add(key)
    return found


# --- How each entry is tried, through the pages and the API ------------------------------


def _api(world, path):
    return f"/api/v1/{world.org.slug}/{path}"


def _url(name, world, **kwargs):
    return reverse(name, kwargs={"org_slug": world.org.slug, **kwargs})


def _listed(client, url) -> list[dict]:
    response = client.get(url)
    if response.status_code != 200:
        return []
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


def _ok(client, url) -> bool:
    return client.get(url).status_code == 200


def _keys_by_pk(rows):
    return {row.obj.pk: key for key, row in rows.items()}


def probe_attendance_view(client, world):
    rows = world.rows["attendance"]
    by_pk = _keys_by_pk(rows)
    listed = {by_pk[x["id"]] for x in _listed(client, _api(world, "attendance/"))}
    single = {k for k, r in rows.items() if _ok(client, _api(world, f"attendance/{r.obj.pk}/"))}
    return [("API list", listed), ("API detail", single)], rows


def probe_attendance_record(client, world):
    rows = world.rows["meeting"]
    allowed = set()
    for key, row in rows.items():
        seat = Membership.objects.filter(panel_id=row.panel_id).order_by("-id").first()
        response = client.post(
            _api(world, "attendance/"),
            {"meeting": row.obj.pk, "membership": seat.pk, "status": "present"},
            content_type="application/json",
        )
        if response.status_code not in (401, 403, 404):
            allowed.add(key)
    return [("API create", allowed)], rows


def probe_apology_reason_view(client, world):
    rows = world.rows["attendance"]
    by_pk = _keys_by_pk(rows)
    seen = {
        by_pk[x["id"]]
        for x in _listed(client, _api(world, "attendance/"))
        if x["apology_reason"] == world.secrets[by_pk[x["id"]]]
    }
    return [("API list", seen)], rows


def probe_confidential_item_view(client, world):
    rows = world.rows["confidential_item"]
    by_pk = _keys_by_pk(rows)
    listed = {by_pk[x["id"]] for x in _listed(client, _api(world, "agenda-items/"))}
    return [("API list", listed)], rows


def probe_paper_download(client, world):
    rows = world.rows["paper"]
    files = {
        k for k, r in rows.items() if _ok(client, _url("meetings:paper", world, paper_id=r.obj.pk))
    }
    pages, packs = set(), set()
    for key, row in rows.items():
        meeting_id = row.obj.item.meeting_id
        # The papers page may show the agenda before issue: a paper is reached when its
        # link is on the page.
        response = client.get(_url("meetings:papers", world, meeting_id=meeting_id))
        link = _url("meetings:paper", world, paper_id=row.obj.pk)
        if response.status_code == 200 and link in response.content.decode():
            pages.add(key)
        if _ok(client, _url("meetings:agenda_pack", world, meeting_id=meeting_id)):
            packs.add(key)
    return [("download", files), ("papers page", pages), ("agenda pack", packs)], rows


def probe_meeting_link_view(client, world):
    rows = world.rows["meeting"]
    by_pk = _keys_by_pk(rows)
    api = {
        by_pk[x["id"]]
        for x in _listed(client, _api(world, "meetings/"))
        if x["virtual_link"] == rows[by_pk[x["id"]]].obj.virtual_link
    }
    ics = set()
    for key, row in rows.items():
        response = client.get(_url("meetings:meeting_ics", world, meeting_id=row.obj.pk))
        if response.status_code == 200 and row.obj.virtual_link.encode() in response.content:
            ics.add(key)
    return [("API", api), ("calendar file", ics)], rows


def probe_evidence_view(client, world):
    rows = world.rows["evidence"]
    files = {
        k
        for k, r in rows.items()
        if _ok(client, _url("scrutiny:evidence_file", world, evidence_item_id=r.obj.pk))
    }
    listed = set()
    for panel in world.rows["panel"].values():
        response = client.get(_url("scrutiny:evidence", world, panel_slug=panel.obj.slug))
        if response.status_code == 200:
            body = response.content.decode()
            listed |= {k for k, r in rows.items() if r.obj.title in body}
    return [("file", files), ("evidence page", listed)], rows


def probe_evidence_add(client, world):
    rows = world.rows["panel"]
    pages = {
        k
        for k, r in rows.items()
        if _ok(client, _url("scrutiny:evidence_add", world, panel_slug=r.obj.slug))
    }
    return [("add page", pages)], rows


def probe_expense_claim_view(client, world):
    rows = world.rows["expense_claim"]
    by_pk = _keys_by_pk(rows)
    listed = {by_pk[x["id"]] for x in _listed(client, _api(world, "expenses/"))}
    receipts = {
        k
        for k, r in rows.items()
        if _ok(client, _url("members:expense_receipt", world, expense_claim_id=r.obj.pk))
    }
    return [("API list", listed), ("receipt", receipts)], rows


def probe_expense_claim_decide(client, world):
    rows = world.rows["expense_claim"]
    allowed = set()
    for key, row in rows.items():
        response = client.post(
            _api(world, f"expenses/{row.obj.pk}/decide/"),
            {"approve": False, "on": "2026-03-20", "reason": "No ticket date"},
            content_type="application/json",
        )
        if response.status_code not in (401, 403, 404):
            allowed.add(key)
    return [("API decide", allowed)], rows


def probe_letter_download(client, world):
    rows = world.rows["letter"]
    found = {
        k
        for k, r in rows.items()
        if _ok(client, _url("notices:letter_pdf", world, letter_id=r.obj.pk))
    }
    return [("letter PDF", found)], rows


def probe_report_download(client, world):
    rows = world.rows["report"]
    found = {
        k
        for k, r in rows.items()
        if _ok(client, _url("reports:download", world, report_id=r.obj.pk))
    }
    return [("report PDF", found)], rows


def probe_history_view(client, world):
    rows = world.rows["meeting"]
    pages = {
        k
        for k, r in rows.items()
        if _ok(client, _url("privacy:history_meeting", world, meeting_id=r.obj.pk))
    }
    return [("history page", pages)], rows


def probe_personal_data_export(client, world):
    rows = {
        k.replace("attendance", "person"): Row(r.obj.membership.person, None, None)
        for k, r in world.rows["attendance"].items()
    }
    pages = {
        k
        for k, r in rows.items()
        if _ok(client, _url("privacy:person_data", world, person_id=r.obj.pk))
    }
    return [("export page", pages)], rows


def probe_personal_data_erase(client, world):
    # Cancelling an erasure nobody asked for changes nothing: it shows who may act at all.
    rows = {
        k.replace("attendance", "person"): Row(r.obj.membership.person, None, None)
        for k, r in world.rows["attendance"].items()
    }
    acted = set()
    for key, row in rows.items():
        url = _url("privacy:erasure_cancel", world, person_id=row.obj.pk)
        response = client.post(url)
        page = _url("privacy:person_data", world, person_id=row.obj.pk)
        if response.status_code == 302 and response.url == page:
            acted.add(key)
    return [("erasure", acted)], rows


def probe_retention_view(client, world):
    rows = {"retention:org": Row(world.org, None, None)}
    pages = {k for k in rows if _ok(client, _url("privacy:retention", world))}
    return [("retention page", pages)], rows


def probe_retention_edit(client, world):
    rows = {"retention:org": Row(world.org, None, None)}
    pages = {k for k in rows if _ok(client, _url("privacy:retention_edit", world))}
    return [("retention edit page", pages)], rows


PROBES = {
    ("attendance", "view"): probe_attendance_view,
    ("attendance", "record"): probe_attendance_record,
    ("apology_reason", "view"): probe_apology_reason_view,
    ("confidential_item", "view"): probe_confidential_item_view,
    ("paper", "download"): probe_paper_download,
    ("meeting_link", "view"): probe_meeting_link_view,
    ("evidence", "view"): probe_evidence_view,
    ("evidence", "add"): probe_evidence_add,
    ("expense_claim", "view"): probe_expense_claim_view,
    ("expense_claim", "decide"): probe_expense_claim_decide,
    ("letter", "download"): probe_letter_download,
    ("report", "download"): probe_report_download,
    ("history", "view"): probe_history_view,
    ("personal_data", "export"): probe_personal_data_export,
    ("personal_data", "erase"): probe_personal_data_erase,
    ("retention", "view"): probe_retention_view,
    ("retention", "edit"): probe_retention_edit,
}


def test_every_entry_of_the_matrix_is_tried():
    assert set(PROBES) == set(MATRIX)


@pytest.mark.parametrize("entry", list(MATRIX), ids=lambda e: ".".join(e))
def test_each_actor_reaches_exactly_what_the_matrix_gives(world, entry):
    failures = []
    for actor in world.actors:
        client = Client()
        if actor.user is not None:
            client.force_login(actor.user)
        channels, rows = PROBES[entry](client, world)
        want = expected(world, entry, rows, actor)
        for channel, got in channels:
            if got != want:
                failures.append(
                    f"{actor.name} via {channel}: reached {sorted(got)}, matrix says {sorted(want)}"
                )
    assert not failures, "\n".join(failures)


def test_a_member_listing_attendance_sees_only_their_own_apology_reason(world, client_as):
    """As found: any member or Board member listed everyone's attendance, health data too."""
    member = next(a for a in world.actors if a.name == "member of alpha")
    body = client_as(member.user).get(_api(world, "attendance/")).content.decode()
    assert "Hospital appointment" in body
    assert "Dentist" not in body and "Night shift" not in body and "Childcare" not in body


def test_the_documented_matrix_is_the_enforced_one():
    from pathlib import Path

    from panels.permissions import matrix_markdown

    docs = (Path(__file__).resolve().parents[1] / "docs" / "security.md").read_text()
    assert matrix_markdown() in docs, "docs/security.md must print panels.permissions.MATRIX"
