"""Every CSV export (roster, reports, anything else) writes text a spreadsheet will not run,
through one helper, panels.spreadsheet (docs/security.md, "CSV exports")."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from members.models import Person
from panels.spreadsheet import spreadsheet_cell

ROOT = Path(__file__).resolve().parents[2]
EVIL = '=HYPERLINK("http://evil","x")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (EVIL, "'" + EVIL),
        ("+44 161 000", "'+44 161 000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("-12.50", "-12.50"),  # a plain number stays a number
        ("Ann Adult", "Ann Adult"),
        (None, ""),
        (7, 7),
    ],
)
def test_formula_prefixes_are_neutralised_and_nothing_else(value, written):
    assert spreadsheet_cell(value) == written


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_a_public_application_named_as_a_formula_is_exported_as_text_in_the_roster(
    make_org, client, client_as
):
    """As found: the roster CSV wrote =HYPERLINK(...) from a public application unescaped."""
    stockport = make_org("stockport")
    applied = client.post(
        reverse("members:apply", kwargs={"org_slug": "stockport"}),
        {
            "panel": stockport.panel.slug,
            "first_name": EVIL,
            "last_name": "Smith",
            "email": "evil@example.org",
            "preferred_channel": "email",
            "tenure_type": "tenant",
            "date_of_birth_day": "1",
            "date_of_birth_month": "1",
            "date_of_birth_year": "1980",
        },
    )
    assert applied.status_code == 302
    stockport.seat(Person.objects.get(first_name=EVIL), starts_on=datetime.date(2026, 1, 1))
    response = client_as(stockport.officer).get(
        reverse(
            "members:roster_csv",
            kwargs={"org_slug": "stockport", "panel_slug": stockport.panel.slug},
        )
    )
    assert response["Content-Disposition"].startswith("attachment;")
    names = [row[0] for row in _rows(response)[1:]]
    assert names == ["'" + EVIL + " Smith"]


@pytest.mark.django_db
def test_the_attendance_export_neutralises_reasons_too(tenant_a, client_as):
    from meetings.models import Attendance, Meeting
    from members.models import Membership

    person = Person.objects.create(organisation=tenant_a.org, first_name="@Bob", last_name="X")
    seat = Membership.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        person=person,
        starts_on=datetime.date(2025, 1, 1),
    )
    meeting = Meeting.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        date=datetime.date(2026, 2, 1),
        start_time=datetime.time(10),
        end_time=datetime.time(12),
    )
    Attendance.objects.create(
        organisation=tenant_a.org,
        meeting=meeting,
        membership=seat,
        status="apologies",
        apology_reason="+cmd|' /C calc'!A0",
    )
    response = client_as(tenant_a.officer).get(
        reverse(
            "reports:export_attendance",
            kwargs={"org_slug": tenant_a.org.slug, "panel_slug": tenant_a.panel.slug},
        )
    )
    line = _rows(response)[1]
    assert line[1] == "'@Bob X" and line[4] == "'+cmd|' /C calc'!A0"


def test_every_csv_export_goes_through_the_one_helper():
    """No view writes CSV itself: csv.writer appears only in panels/spreadsheet.py."""
    writers = []
    for path in ROOT.glob("*/**/*.py"):
        if {".venv", "tests", "migrations"} & set(path.parts):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"csv\.(writer|DictWriter)\(", text):
            writers.append(str(path.relative_to(ROOT)))
    assert writers == ["panels/spreadsheet.py"]


@pytest.mark.django_db
def test_the_attendance_export_gives_the_board_only_their_own_lines(tenant_a, client_as):
    from meetings.models import Attendance, Meeting
    from members.models import Membership

    meeting = Meeting.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        date=datetime.date(2026, 2, 1),
        start_time=datetime.time(10),
        end_time=datetime.time(12),
    )
    for name, user, reason in (("Olive", None, "Dentist"), ("Bo", tenant_a.board, "Childcare")):
        person = Person.objects.create(
            organisation=tenant_a.org, first_name=name, last_name="T", user=user
        )
        seat = Membership.objects.create(
            organisation=tenant_a.org,
            panel=tenant_a.panel,
            person=person,
            starts_on=datetime.date(2025, 1, 1),
        )
        Attendance.objects.create(
            organisation=tenant_a.org,
            meeting=meeting,
            membership=seat,
            status="apologies",
            apology_reason=reason,
        )
    url = reverse(
        "reports:export_attendance",
        kwargs={"org_slug": tenant_a.org.slug, "panel_slug": tenant_a.panel.slug},
    )
    officer_lines = _rows(client_as(tenant_a.officer).get(url))[1:]
    assert sorted(line[4] for line in officer_lines) == ["Childcare", "Dentist"]
    board_lines = _rows(client_as(tenant_a.board).get(url))[1:]
    assert [(line[1], line[4]) for line in board_lines] == [("Bo T", "Childcare")]
