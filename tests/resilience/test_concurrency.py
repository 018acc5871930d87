"""Concurrency (issue 14, item 4): a create that loses a race to the same unique row gets
its check's own refusal, never a 500; a double-submitted form creates one row; two
apologies sent at the same moment both succeed. The races run on real PostgreSQL, in two
threads with their own connections."""

import datetime
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from meetings import services as meeting_services
from meetings.models import AgendaItem, Attendance, AttendanceStatus, Motion
from panels.errors import RuleViolation
from panels.idempotency import ALREADY_SAVED, forget_old_tokens, new_token
from panels.models import FormSubmission
from scrutiny import services as scrutiny_services
from scrutiny.models import Measure, MeasureResult
from tests.meetings.conftest import LATE, action_data, register


def _today():
    return timezone.localdate()


def _race(*calls, before_insert=None):
    """Run each call in its own thread (own connection) and return what each returned
    or raised. ``before_insert`` is patched so every thread waits there for the others:
    all of them have passed their check before any inserts."""
    barrier = threading.Barrier(len(calls), timeout=20)
    waited = threading.local()
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            with scopes_disabled():
                outcomes[index] = call()
        except Exception as exc:  # the outcome under test
            outcomes[index] = exc
        finally:
            connection.close()

    patcher = None
    if before_insert is not None:
        target, attribute = before_insert
        original = getattr(target, attribute)

        def waiting(*args, **kwargs):
            if not getattr(waited, "done", False):  # once per thread
                waited.done = True
                barrier.wait()
            return original(*args, **kwargs)

        patcher = mock.patch.object(target, attribute, waiting)
        patcher.start()
    try:
        threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        if patcher:
            patcher.stop()
    return outcomes


# --- A measure's result, once per period ---------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_recordings_of_a_result_one_saved_one_refused(tenant_a):
    measure = scrutiny_services.measure_create(
        panel=tenant_a.panel, by=tenant_a.officer, name="Repairs", target=Decimal("80")
    )
    period = datetime.date(_today().year - 1, 1, 1)

    def record(value):
        return lambda: scrutiny_services.result_record(
            measure=measure, period_start=period, value=Decimal(value), by=None, today=_today()
        )

    manager = type(MeasureResult.objects)
    outcomes = _race(record("70"), record("71"), before_insert=(manager, "create"))
    saved = [o for o in outcomes if isinstance(o, MeasureResult)]
    refused = [o for o in outcomes if isinstance(o, RuleViolation)]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "result.duplicate_period"
    assert "already has a result for" in refused[0].messages[0]
    with scopes_disabled():
        assert MeasureResult.objects.count() == 1


def test_the_loser_of_the_race_is_refused_through_the_api(client_as, tenant_a, db):
    """The same refusal as the check, as a 400, when the insert meets the constraint (the
    check is made to miss the other row, as it does when both requests check at once)."""
    measure = Measure.objects.create(
        organisation=tenant_a.org, panel=tenant_a.panel, name="Repairs", target=Decimal("80")
    )
    period = datetime.date(_today().year - 1, 1, 1)
    MeasureResult.objects.create(
        organisation=tenant_a.org, measure=measure, period_start=period, value=Decimal("70")
    )
    with mock.patch("django.db.models.query.QuerySet.exists", return_value=False):
        response = client_as(tenant_a.officer).post(
            f"/api/v1/{tenant_a.org.slug}/scrutiny/results/",
            {"measure": measure.pk, "period_start": period.isoformat(), "value": "71"},
            content_type="application/json",
        )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "result.duplicate_period"


# --- Forms that create: one row for a double submit -----------------------------------


def _console(meeting):
    return reverse(
        "meetings:console",
        kwargs={"org_slug": meeting.organisation.slug, "meeting_id": meeting.pk},
    )


@pytest.fixture
def sitting(panel_with, client_as, tenant_a, db):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=3)
    setup.client = client_as(tenant_a.officer)
    setup.meeting = meeting_services.meeting_schedule(
        late_reason=LATE, panel=setup.panel, date=_today(), today=_today()
    )
    register(setup.meeting, setup.seats)
    return setup


def test_the_console_forms_carry_a_fresh_token(sitting):
    # Rarely used forms are rendered when opened (?open=<action>).
    body = sitting.client.get(_console(sitting.meeting) + "?open=motion").content.decode()
    assert 'name="motion-submission_token"' in body
    item = sitting.client.get(_console(sitting.meeting) + "?open=add_item").content.decode()
    assert 'name="item-submission_token"' in item
    again = sitting.client.get(_console(sitting.meeting) + "?open=motion").content.decode()
    token = body.split('name="motion-submission_token" value="')[1][:32]
    assert token not in again  # each showing of the form has its own


def test_a_double_submitted_motion_creates_one_motion(sitting):
    data = action_data(
        {
            "action": "motion",
            "text": "That the panel reviews the repairs policy",
            "kind": "ordinary",
            "mover": sitting.chair.pk,
            "submission_token": new_token(),
        }
    )
    first = sitting.client.post(_console(sitting.meeting), data)
    second = sitting.client.post(_console(sitting.meeting), data, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert Motion.objects.count() == 1
    assert ALREADY_SAVED in second.content.decode()
    # A new showing of the form (a new token) puts a second motion.
    sitting.client.post(_console(sitting.meeting), {**data, "motion-submission_token": "b" * 32})
    assert Motion.objects.count() == 2


def test_a_refused_submit_leaves_its_token_free_for_the_corrected_one(sitting):
    token = new_token()
    data = action_data(
        {
            "action": "add_item",
            "title": "",
            "minutes_allotted": 15,
            "source": "officer",
            "submission_token": token,
        }
    )
    refused = sitting.client.post(_console(sitting.meeting), data)
    assert refused.status_code == 200 and AgendaItem.objects.count() == 0
    assert not FormSubmission.objects.filter(token=token).exists()
    data["item-title"] = "Repairs policy"
    assert sitting.client.post(_console(sitting.meeting), data).status_code == 302
    assert sitting.client.post(_console(sitting.meeting), data).status_code == 302
    assert AgendaItem.objects.filter(title="Repairs policy").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_of_one_agenda_item_create_one(panel_with, client_as, tenant_a):
    from django.test import Client

    setup = panel_with("hfh", chair=1, resident=2)
    meeting = meeting_services.meeting_schedule(
        late_reason=LATE,
        panel=setup.panel,
        date=_today() + datetime.timedelta(days=30),
        today=_today(),
    )
    officer = tenant_a.officer
    data = action_data(
        {
            "action": "add_item",
            "title": "Repairs policy",
            "minutes_allotted": 15,
            "source": "officer",
            "submission_token": new_token(),
        }
    )

    def submit():
        client = Client()
        client.force_login(officer)
        return client.post(_console(meeting), data).status_code

    outcomes = _race(submit, submit, before_insert=(FormSubmission.objects.__class__, "create"))
    assert outcomes == [302, 302], outcomes
    with scopes_disabled():
        assert AgendaItem.objects.filter(title="Repairs policy").count() == 1


def test_old_tokens_are_forgotten(db):
    old = FormSubmission.objects.create(token="old")
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    FormSubmission.objects.create(token="new")
    assert forget_old_tokens() == 1
    assert list(FormSubmission.objects.values_list("token", flat=True)) == ["new"]
    from django.conf import settings

    from panels.tasks import panels_forget_old_form_tokens

    assert panels_forget_old_form_tokens() == 0
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "panels.forget_old_form_tokens" in scheduled


# --- Apologies -----------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_apologies_both_succeed(panel_with):
    setup = panel_with("hfh", chair=1, resident=2)
    meeting = meeting_services.meeting_schedule(
        late_reason=LATE,
        panel=setup.panel,
        date=_today() + datetime.timedelta(days=14),
        today=_today(),
    )
    seat = setup.residents[0]

    def apologise(reason):
        return lambda: meeting_services.apologies_send(
            meeting=meeting, membership=seat, reason=reason, today=_today()
        )

    from meetings.services import register as register_module

    # Both reach the meeting's lock together: before the fix, both had already looked
    # for a line and found none, and the second was refused "already in the register".
    outcomes = _race(
        apologise("Away"), apologise("Away on holiday"), before_insert=(register_module, "_lock")
    )
    assert all(isinstance(o, Attendance) for o in outcomes), outcomes
    with scopes_disabled():
        line = Attendance.objects.get(meeting=meeting, membership=seat)
    assert line.status == AttendanceStatus.APOLOGIES
    assert line.apology_reason in {"Away", "Away on holiday"}


# --- More unique constraints (panels.integrity): the second of two gets the check's refusal


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_declarations_of_the_same_interest_one_saved_one_refused(panel_with):
    from meetings.models import Declaration

    setup = panel_with("hfh", chair=1, resident=2)
    meeting = meeting_services.meeting_schedule(
        panel=setup.panel, date=_today() + datetime.timedelta(days=14), today=_today()
    )
    item = meeting_services.agenda_item_add(meeting=meeting, title="Repairs", today=_today())
    seat = setup.residents[0]

    def declare(interest):
        return lambda: meeting_services.declaration_record(
            item=item, membership=seat, interest=interest
        )

    outcomes = _race(
        declare("Tenant of the block"),
        declare("Neighbour of the contractor"),
        before_insert=(type(Declaration.objects), "create"),
    )
    saved = [o for o in outcomes if isinstance(o, Declaration)]
    refused = [o for o in outcomes if isinstance(o, RuleViolation)]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "declaration.duplicate"
    assert refused[0].reasons[0].field == "membership"
    with scopes_disabled():
        assert Declaration.objects.filter(item=item).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_closure_days_one_saved_one_refused(tenant_a):
    from panels.models import ClosureDay
    from panels.services import closure_day_add

    day = _today() + datetime.timedelta(days=40)

    def add(reason):
        return lambda: closure_day_add(org=tenant_a.org, date=day, reason=reason, by=None)

    outcomes = _race(
        add("Shutdown"), add("Holiday"), before_insert=(type(ClosureDay.objects), "create")
    )
    refused = [o for o in outcomes if isinstance(o, RuleViolation)]
    assert len(refused) == 1 and refused[0].code == "closure_day.duplicate", outcomes
    assert refused[0].reasons[0].field == "date"
    with scopes_disabled():
        assert ClosureDay.objects.filter(date=day).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_opening_the_minutes_at_once_get_the_same_draft(panel_with):
    from meetings.models import MinuteEntry, Minutes

    setup = panel_with("hfh", chair=1, resident=2)
    meeting = meeting_services.meeting_schedule(
        panel=setup.panel, date=_today() + datetime.timedelta(days=14), today=_today()
    )
    meeting_services.agenda_item_add(meeting=meeting, title="Repairs", today=_today())

    def open_minutes():
        return meeting_services.minutes_start(meeting=meeting)

    outcomes = _race(open_minutes, open_minutes, before_insert=(type(Minutes.objects), "create"))
    assert all(isinstance(o, Minutes) for o in outcomes), outcomes
    assert outcomes[0].pk == outcomes[1].pk
    with scopes_disabled():
        assert Minutes.objects.filter(meeting=meeting).count() == 1
        assert MinuteEntry.objects.filter(minutes__meeting=meeting).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_measures_of_the_same_name_one_saved_one_refused(tenant_a):
    def create(target):
        return lambda: scrutiny_services.measure_create(
            panel=tenant_a.panel, by=None, name="Repairs", target=Decimal(target)
        )

    outcomes = _race(create("80"), create("85"), before_insert=(type(Measure.objects), "create"))
    refused = [o for o in outcomes if isinstance(o, RuleViolation)]
    assert len(refused) == 1 and refused[0].code == "measure.duplicate_name", outcomes
    assert refused[0].reasons[0].field == "name"


@pytest.mark.postgres
def test_a_field_constraint_is_matched_by_its_postgres_name(db):
    """``"app.Model.field"`` matches PostgreSQL's ``<table>_<column>_key`` name, and a
    violation of another constraint is not taken for it."""
    from django.db import IntegrityError

    from panels.errors import Reason
    from panels.integrity import refuse_duplicate, violates
    from panels.models import User

    User.objects.create_user(email="one@example.org", password="x" * 12)
    refusal = Reason("account.taken", "That address has an account.", "email")
    with (
        pytest.raises(RuleViolation) as refused,
        refuse_duplicate(refusal, "panels.User.email", "user_email_ci_unique"),
    ):
        User.objects.create(email="one@example.org")
    assert refused.value.reasons == [refusal]
    with pytest.raises(IntegrityError) as other, refuse_duplicate(refusal, "closure_day_unique"):
        User.objects.create(email="one@example.org")
    assert not violates(other.value, ("closure_day_unique",))


def test_a_cancelled_meetings_slot_is_refused_on_the_start_time_not_a_500(panel_with):
    """The slot's unique constraint counts cancelled meetings too: the check now says so
    (before, it looked past them and the insert raised an IntegrityError)."""
    setup = panel_with("hfh", chair=1, resident=2)
    day = _today() + datetime.timedelta(days=21)
    meeting = meeting_services.meeting_schedule(panel=setup.panel, date=day, today=_today())
    meeting_services.meeting_cancel(meeting=meeting, reason="Room unavailable")
    with pytest.raises(RuleViolation) as refused:
        meeting_services.meeting_schedule(panel=setup.panel, date=day, today=_today())
    assert refused.value.code == "meeting.slot_cancelled"
    assert refused.value.reasons[0].field == "start_time"
    later = meeting_services.meeting_schedule(
        panel=setup.panel,
        date=day,
        start_time=datetime.time(14, 0),
        end_time=datetime.time(16, 0),
        today=_today(),
    )
    assert later.pk != meeting.pk
