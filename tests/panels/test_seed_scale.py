"""manage.py seed_scale at a tiny scale: the counts asked for, every row within the
constraints, the same data for the same seed, nothing twice, and bad counts refused.
Runs on SQLite (make test) and on PostgreSQL (CI); the benchmark scale is in
docs/performance.md."""

import datetime
import io

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management import CommandError, call_command

from meetings.models import Attendance, Meeting, MeetingStatus, Minutes, Motion
from members.models import Membership, Person
from notices.models import Breach, Notice, NoticeStatus
from panels.models import (
    DeadlineRule,
    Organisation,
    OrganisationRole,
    Panel,
    TermsOfReference,
    User,
)
from panels.scale import SCALE_TOTP_SECRET, SHAPES, scale_email
from panels.seed_terms import TERMS
from scrutiny.models import Measure, MeasureResult, Recommendation, ServiceReview

BASE = "2026-11-30"
SMALL = ["--orgs", "2", "--panels", "3", "--members", "30", "--years", "1"]


def seed(*extra: str) -> str:
    out = io.StringIO()
    call_command("seed_scale", *SMALL, "--base-date", BASE, *extra, stdout=out)
    return out.getvalue()


def counts(prefix: str = "scale") -> dict[str, int]:
    orgs = Organisation.objects.filter(slug__startswith=f"{prefix}-")
    by_org = {"organisation__in": orgs}
    return {
        model.__name__: model.objects.filter(**by_org).count()
        for model in (
            Panel,
            TermsOfReference,
            DeadlineRule,
            Person,
            Membership,
            Meeting,
            Attendance,
            Motion,
            Minutes,
            Measure,
            MeasureResult,
            ServiceReview,
            Recommendation,
            Notice,
            Breach,
        )
    } | {"Organisation": orgs.count(), "Role": OrganisationRole.objects.filter(**by_org).count()}


def fingerprint(prefix: str) -> list:
    """The data without ids and slugs: what must be equal for the same seed."""
    orgs = Organisation.objects.filter(slug__startswith=f"{prefix}-")

    def rows(model, *fields):
        return list(
            model.objects.filter(organisation__in=orgs).order_by(*fields).values_list(*fields)
        )

    return [
        list(orgs.order_by("slug").values_list("name")),
        rows(Person, "first_name", "last_name", "tenure_type", "date_of_birth"),
        rows(Membership, "panel__slug", "role", "status", "starts_on", "ended_on"),
        rows(
            Meeting,
            "panel__slug",
            "date",
            "status",
            "notice_given_on",
            "papers_issued_on",
            "minutes_published_on",
        ),
        rows(Attendance, "meeting__date", "membership__person__last_name", "status"),
        rows(Motion, "meeting__date", "kind", "votes_for", "votes_against", "outcome"),
        rows(MeasureResult, "measure__panel__slug", "measure__code", "period_start", "value"),
        rows(Breach, "rule", "due_on", "done_on", "rule_text"),
        rows(Notice, "kind", "due_at", "status", "recipient_name"),
    ]


@pytest.mark.django_db
def test_a_small_run_makes_what_was_asked_within_every_rule():
    output = seed()
    assert "2 organisation(s) made" in output
    made = counts()
    assert made["Organisation"] == 2
    assert made["Panel"] == 3
    assert made["Person"] == made["Membership"] == 30
    # Each organisation is built like one of the seeded documents: one version per panel,
    # with that document's deadlines.
    assert made["TermsOfReference"] == 3
    for index, org in enumerate(Organisation.objects.filter(slug__startswith="scale-")):
        (_, _), spec = SHAPES[index]
        for terms in TermsOfReference.objects.filter(organisation=org):
            assert terms.source_text.strip()
            assert terms.deadlines.count() == len(spec["deadlines"])
            for field, value in spec["values"].items():
                assert getattr(terms, field) == value, field
    assert {spec["document"] for (_, spec) in SHAPES} == {s["document"] for s in TERMS.values()}
    for name in ("Meeting", "Attendance", "Motion", "Minutes", "Measure", "MeasureResult"):
        assert made[name] > 0, name
    assert made["ServiceReview"] > 0 and made["Recommendation"] > 0
    assert made["Notice"] > 0 and made["Breach"] > 0
    # Current seats within each ToR's maximum; every member with a current seat signs in.
    for panel in Panel.objects.filter(organisation__slug__startswith="scale-"):
        terms = panel.terms_versions.get()
        current = Membership.objects.filter(panel=panel, ended_on__isnull=True).count()
        assert current <= (terms.max_members or 15)
    assert not Person.objects.filter(
        organisation__slug__startswith="scale-",
        memberships__ended_on__isnull=True,
        user__isnull=True,
    ).exists()
    # History and future: held meetings in the past, planned ones ahead, pending notices
    # for the dispatcher, and sent ones.
    base = datetime.date.fromisoformat(BASE)
    assert Meeting.objects.filter(status=MeetingStatus.HELD, date__lt=base).exists()
    assert Meeting.objects.filter(date__gte=base).exclude(status=MeetingStatus.HELD).exists()
    assert not Meeting.objects.filter(status=MeetingStatus.HELD, date__gte=base).exists()
    assert Notice.objects.filter(status=NoticeStatus.PENDING).exists()
    assert Notice.objects.filter(status=NoticeStatus.SENT).exists()
    # Staff sign-ins by a known address, for the load benchmark; every address verified,
    # as sign-in needs.
    assert OrganisationRole.objects.filter(
        user__email=scale_email("scale-001", "officer1"), role="officer"
    ).exists()
    users = User.objects.filter(email__endswith="scale.panelhub.test")
    assert (
        users.count()
        == EmailAddress.objects.filter(user__in=users, verified=True, primary=True).count()
    )
    # Staff must use two-step sign-in: each has a TOTP authenticator with the known secret.
    staff = users.filter(organisation_roles__role__in=["admin", "officer", "board"]).distinct()
    assert staff.count() == 2 * 5
    for user in staff:
        totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        assert decrypt(totp.data["secret"]) == SCALE_TOTP_SECRET


@pytest.mark.django_db
def test_running_twice_adds_nothing():
    seed()
    first = counts()
    output = seed()
    assert "0 organisation(s) made, 2 already there" in output
    assert counts() == first


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    seed("--prefix", "one", "--seed", "7")
    seed("--prefix", "two", "--seed", "7")
    seed("--prefix", "three", "--seed", "8")
    assert fingerprint("one") == fingerprint("two")
    assert fingerprint("one") != fingerprint("three")
    assert counts("one") == counts("two")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("option", "value"),
    [("--orgs", "0"), ("--panels", "-3"), ("--members", "0"), ("--years", "-1")],
)
def test_zero_or_negative_counts_are_refused_naming_the_option(option, value):
    args = dict(zip(SMALL[::2], SMALL[1::2], strict=True)) | {option: value}
    with pytest.raises(CommandError, match=f"{option} must be a positive whole number"):
        call_command("seed_scale", *[x for pair in args.items() for x in pair])
    assert not Organisation.objects.filter(slug__startswith="scale-").exists()


@pytest.mark.django_db
def test_fewer_panels_than_organisations_is_refused():
    with pytest.raises(CommandError, match=r"--panels \(1\) must be at least --orgs \(2\)"):
        call_command("seed_scale", "--orgs", "2", "--panels", "1")
