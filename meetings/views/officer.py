"""Officer pages: the year's programme per panel and the meeting console. Guarded by
OfficerAccessMixin; each POST calls one service."""

from dataclasses import dataclass, replace

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from meetings import forms, pdf, selectors, services
from meetings.models import (
    AgendaItem,
    Attendance,
    Audience,
    KeyMessages,
    Meeting,
    MeetingStatus,
    MinuteEntry,
    Minutes,
    Motion,
    PaperIssue,
)
from meetings.views.common import _today, paper_url_for
from members.models import Person
from panels.access import OfficerAccessMixin
from panels.errors import RuleViolation
from panels.idempotency import AlreadySubmitted, submitted_once
from panels.selectors import panel_list
from panels.tenancy import get_for_org_or_404


class ProgrammeView(OfficerAccessMixin, TemplateView):
    """Every panel's meetings for a year, its cadence check and deadlines."""

    template_name = "meetings/officer/programme.html"

    def year(self) -> int:
        try:
            return int(self.request.GET.get("year", _today().year))
        except ValueError:
            return _today().year

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        panels = panel_list(org=self.org)
        year = self.year()
        only = panels.first() if panels.count() == 1 else None
        context.update(
            year=year,
            programmes=selectors.programme_years(
                org=self.org, panels=panels, year=year, today=_today()
            ),
            meeting_form=forms.MeetingForm(panels=panels, initial={"panel": only}),
            programme_form=forms.ProgrammeForm(
                panels=panels, initial={"year": year, "panel": only}
            ),
            committee_form=forms.CommitteeDateForm(panels=panels, initial={"panel": only}),
            today=_today(),
        )
        return context

    def post(self, request, *args, **kwargs):
        panels = panel_list(org=self.org)
        action = request.POST.get("action")
        form_class = {
            "schedule": forms.MeetingForm,
            "programme": forms.ProgrammeForm,
            "committee": forms.CommitteeDateForm,
        }.get(action)
        if form_class is None:
            messages.error(request, "Unknown action.")
            return redirect(request.path)
        form = form_class(request.POST, panels=panels)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "schedule":
                    meeting = services.meeting_schedule(by=request.user, today=_today(), **data)
                    messages.success(request, f"Scheduled {meeting}.")
                elif action == "programme":
                    created = services.meeting_programme_generate(
                        panel=data["panel"],
                        year=data["year"],
                        place=data["place"],
                        today=_today(),
                        by=request.user,
                    )
                    messages.success(request, f"{len(created)} meetings added to the programme.")
                else:
                    services.committee_date_add(by=request.user, **data)
                    messages.success(request, "Committee date entered.")
                year = data.get("year") or data.get("date", _today()).year
                return redirect(f"{request.path}?year={year}")
            except RuleViolation as exc:
                exc.add_to_form(form)
        # Refused: the page again, with the form as typed and the reasons on its fields.
        name = {"schedule": "meeting_form", "programme": "programme_form"}.get(
            action, "committee_form"
        )
        context = self.get_context_data(**kwargs)
        context[name] = form
        context["refused_action"] = action
        return self.render_to_response(context)


@dataclass
class Bound:
    """A refused console submission: the form bound to what the officer typed, with the
    refusal on its fields, and the row it concerns (for forms shown once per row)."""

    action: str
    form: object
    row_id: int | None = None
    anchor: str = ""
    placed: bool = False


class GoTo(Exception):
    """A console action that continues on another page (issuing papers with none to send
    goes to the issue page, where the officer confirms)."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


class Refused(Exception):
    def __init__(self, form):
        super().__init__("refused")
        self.form = form


def _attach(exc: RuleViolation, form, aliases: dict | None = None) -> None:
    """Put every reason on the form field it names (service field names mapped to the form's
    own by ``aliases``); reasons naming no field of the form go to the form as a whole."""
    if aliases:
        exc = RuleViolation([replace(r, field=aliases.get(r.field, r.field)) for r in exc.reasons])
    exc.add_to_form(form)


# Page-level console forms: the action that posts them and their name in the context. Each
# is built and rendered only when opened (``?open=<action>``, a plain link, no JavaScript)
# or when it comes back refused, so a console carries one seat list at a time.
PAGE_FORMS = {
    "add_item": "item_form",
    "guest": "guest_form",
    "paper": "paper_form",
    "presiding": "presiding_form",
    "declaration": "declaration_form",
    "motion": "motion_form",
    "action_point": "action_form",
    "approve": "approve_form",
    "correct": "minutes_note_form",
    "key_messages": "key_form",
    "key_sign_off": "sign_off_form",
    "key_correct": "key_note_form",
    "cancel": "cancel_form",
    "reschedule": "reschedule_form",
    "register": "register_form",
}
# Forms on the page whether opened or not: the register and the key messages' text.
ALWAYS_SHOWN = {"register", "key_messages"}
# Actions without input: a refusal is shown at the top of the console.
BARE_ACTIONS = {"notice", "held", "issue", "move", "minutes_start", "key_publish"}


class ConsoleView(OfficerAccessMixin, TemplateView):
    """The officer's meeting console: agenda, register, quorum, votes and minutes on one page.

    A refused submission re-renders the console (200) with the form bound to what was typed
    and the reasons on its fields; a successful one redirects back (POST/redirect/GET)."""

    template_name = "meetings/officer/console.html"

    def _form_factories(self, console):
        meeting = console.meeting
        seats = [m.pk for m in console.memberships]
        from members.models import Membership

        seat_qs = Membership.objects.for_org(self.org).filter(pk__in=seats).select_related("person")
        item_qs = AgendaItem.objects.for_org(self.org).filter(meeting=meeting)
        later = Meeting.objects.for_org(self.org).filter(panel=meeting.panel, date__gt=meeting.date)
        key = console.current_key_messages
        return {
            "add_item": lambda: forms.AgendaItemForm(seats=seat_qs),
            "guest": lambda: forms.AttendanceRequestForm(initial={"requested_on": _today()}),
            "paper": lambda: forms.PaperForm(items=item_qs),
            "presiding": lambda: forms.PresidingForm(seats=seat_qs),
            "declaration": lambda: forms.DeclarationForm(items=item_qs, seats=seat_qs),
            "motion": lambda: forms.MotionForm(items=item_qs, seats=seat_qs),
            "action_point": lambda: forms.ActionPointForm(
                items=item_qs, initial={"audience": Audience.PUBLIC}
            ),
            "approve": lambda: forms.ApproveForm(meetings=later),
            "correct": lambda: forms.NoteForm(auto_id="id_minutes_%s"),
            "key_correct": lambda: forms.NoteForm(
                auto_id="id_key_%s", initial={"text": key.text if key else ""}
            ),
            "key_messages": lambda: forms.KeyMessagesForm(
                auto_id="id_key_messages_%s",
                initial={
                    "text": key.text if key and not key.published_on else "",
                    "audience": key.audience if key else Audience.PUBLIC,
                },
            ),
            "key_sign_off": lambda: forms.SignOffForm(seats=seat_qs),
            "cancel": lambda: forms.ReasonForm(),
            "reschedule": lambda: forms.RescheduleForm(
                initial={
                    "date": meeting.date,
                    "start_time": meeting.start_time,
                    "end_time": meeting.end_time,
                    "place": meeting.place,
                }
            ),
            "register": lambda: self._register_form(console),
        }

    @staticmethod
    def _register_form(console, data=None):
        meeting = console.meeting
        return forms.RegisterForm(
            data,
            seats=console.memberships,
            lines={a.membership_id: a for a in console.register},
            items=console.items,
            default_present=meeting.date <= _today(),
            held=meeting.status == MeetingStatus.HELD,
        )

    def get_context_data(self, bound: Bound | None = None, **kwargs):
        context = super().get_context_data(**kwargs)
        console = selectors.meeting_console(
            org=self.org, meeting_id=self.kwargs["meeting_id"], today=_today()
        )
        opened = bound.action if bound is not None else self.request.GET.get("open", "")
        factories = self._form_factories(console)
        for action, name in PAGE_FORMS.items():
            if action in ALWAYS_SHOWN or action == opened:
                context[name] = factories[action]()
        context.update(
            console=console, meeting=console.meeting, today=_today(), bound=bound, opened=opened
        )
        if bound is not None and bound.action in PAGE_FORMS:
            context[PAGE_FORMS[bound.action]] = bound.form
            bound.placed = True
        self._row_forms(console, bound)
        return context

    @staticmethod
    def _row_forms(console, bound: Bound | None) -> None:
        """One small form per absence's reason, pending motion and minute entry; the refused
        one keeps what was typed. No queries: these forms have no model choices."""

        def pick(action, row, make):
            if bound is not None and bound.action == action and bound.row_id == row.pk:
                bound.placed = True
                return bound.form
            return make()

        for line in console.register:
            line.reason_form = pick(
                "reason",
                line,
                lambda line=line: forms.ReasonDecisionForm(auto_id=f"id_reason{line.pk}_%s"),
            )
        for motion in console.motions:
            motion.decide_form = pick(
                "decide",
                motion,
                lambda motion=motion: forms.DecideForm(
                    auto_id=f"id_motion{motion.pk}_%s",
                    initial={
                        "votes_for": motion.votes_for,
                        "votes_against": motion.votes_against,
                        "abstentions": motion.abstentions,
                    },
                ),
            )
        current = console.current_minutes
        record = console.minutes_record
        for minutes in [current] if current else []:
            for entry in minutes.entries.all():
                entry.recorded_declarations = record.declarations_for(entry.item_id)
                entry.recorded_motions = record.motions_for(entry.item_id)
                entry.form = pick(
                    "minute",
                    entry,
                    lambda entry=entry: forms.MinuteEntryForm(
                        auto_id=f"id_entry{entry.pk}_%s",
                        initial={"text": entry.text, "audience": entry.audience},
                    ),
                )
                entry.form.fields["text"].label = f"Minute of {entry.item.title}"

    # --- POST: one action, one service ---------------------------------------------

    def post(self, request, *args, **kwargs):
        meeting = selectors.access_meeting_by_id(org=self.org, meeting_id=kwargs["meeting_id"])
        action = request.POST.get("action", "")
        handler = getattr(self, f"do_{action}", None)
        anchor = request.POST.get("anchor", "")
        if handler is None:
            messages.error(request, "Unknown action.")
            return redirect(request.path)
        try:
            done = handler(request, meeting)
        except AlreadySubmitted as already:
            done = str(already)
        except GoTo as go:
            return redirect(go.url)
        except Refused as refused:
            return self._refused(action, refused.form, anchor)
        except RuleViolation as exc:
            form = forms.ActionForm(request.POST)
            form.is_valid()
            exc.add_to_form(form)
            return self._refused(action, form, anchor)
        if done:
            messages.success(request, done)
        return redirect(request.path + (f"#{anchor}" if anchor else ""))

    def _refused(self, action: str, form, anchor: str):
        try:
            row_id = int(self.request.POST.get("id", ""))
        except ValueError:
            row_id = None
        bound = Bound(action=action, form=form, row_id=row_id, anchor=anchor)
        context = self.get_context_data(bound=bound, **self.kwargs)
        return self.render_to_response(context, status=200)

    def _submit(self, form, call, *, aliases: dict | None = None):
        """Validate the form and call the service with its data; refuse with the form bound
        (field errors, or the service's reasons on the fields they name)."""
        if not form.is_valid():
            raise Refused(form)
        try:
            with submitted_once(form):  # a form with a one-time token saves once
                return call(dict(form.cleaned_data))
        except RuleViolation as exc:
            _attach(exc, form, aliases)
            raise Refused(form) from exc

    def _seats(self, meeting):
        from members.selectors import current_memberships

        return current_memberships(panel=meeting.panel, on=meeting.date)

    def _items(self, meeting):
        return AgendaItem.objects.for_org(self.org).filter(meeting=meeting)

    def _row(self, model, field="id", **lookup):
        return get_for_org_or_404(model, org=self.org, pk=self.request.POST.get(field), **lookup)

    def do_notice(self, request, meeting):
        services.meeting_give_notice(meeting=meeting, today=_today(), by=request.user)
        return "Notice recorded."

    def do_held(self, request, meeting):
        services.meeting_mark_held(meeting=meeting, today=_today(), by=request.user)
        return "Meeting marked as held; attendance rules applied."

    def do_cancel(self, request, meeting):
        self._submit(
            forms.ReasonForm(request.POST),
            lambda d: services.meeting_cancel(meeting=meeting, reason=d["reason"], by=request.user),
        )
        return "Meeting cancelled."

    def do_reschedule(self, request, meeting):
        sequence = meeting.sequence
        moved = self._submit(
            forms.RescheduleForm(request.POST),
            lambda d: services.meeting_move(meeting=meeting, today=_today(), by=request.user, **d),
        )
        when = f"{moved.date:%A} {moved.date.day} {moved.date:%B %Y}, {moved.start_time:%H:%M}"
        if moved.sequence == sequence:
            return f"Nothing changed: the meeting is already on {when}, at the place given."
        return (
            f"Meeting moved to {moved.date:%A} {moved.date.day} {moved.date:%B %Y}, "
            f"{moved.start_time:%H:%M}: calendars "
            "will show the change and its notices are planned again."
        )

    def do_add_item(self, request, meeting):
        def call(data):
            seat = data.pop("proposed_by")
            services.agenda_item_add(
                meeting=meeting,
                proposed_by=seat.person if seat else None,
                by=request.user,
                today=_today(),
                **data,
            )

        self._submit(forms.AgendaItemForm(request.POST, seats=self._seats(meeting)), call)
        return "Item added."

    def do_move(self, request, meeting):
        item = self._row(AgendaItem, meeting=meeting)
        services.agenda_item_move(item=item, up=request.POST.get("up") == "1", by=request.user)

    def do_guest(self, request, meeting):
        self._submit(
            forms.AttendanceRequestForm(request.POST),
            lambda d: services.attendance_request_add(meeting=meeting, by=request.user, **d),
        )
        return "Attendance request recorded."

    def do_paper(self, request, meeting):
        self._submit(
            forms.PaperForm(request.POST, request.FILES, items=self._items(meeting)),
            lambda d: services.paper_upload(by=request.user, **d),
        )
        return "Paper uploaded."

    def do_issue(self, request, meeting):
        # Everything goes through the notice ledger (notices plans one per PaperIssue):
        # emails, and letters for post in the print queue.
        try:
            issued = services.papers_issue(meeting=meeting, today=_today(), by=request.user)
        except RuleViolation as exc:
            if exc.code == "papers.nothing_to_send":  # the issue page asks to confirm
                messages.warning(request, exc.reasons[0].message)
                raise GoTo(_issue_url(self.org, meeting)) from exc
            raise
        return _issued_message(issued)

    def do_register(self, request, meeting):
        """The whole register in one submit (services.register_take: all or nothing)."""
        console = selectors.meeting_console(org=self.org, meeting_id=meeting.pk, today=_today())
        form = self._register_form(console, request.POST)
        taken = self._submit(
            form,
            lambda d: services.register_take(
                meeting=meeting,
                rows=form.register_rows(),
                item_starts=form.item_starts(),
                now=timezone.localtime(),
                correction_reason=d.get("correction_reason", ""),
                by=request.user,
            ),
        )
        for seat in taken.on_leave_present:
            messages.warning(
                request,
                f"{seat.person.full_name} is on leave of absence on "
                f"{meeting.date:%d %B %Y} but is recorded as present: check the register, or "
                "end their leave in their record.",
            )
        for seat, consequence in taken.consequences:
            messages.warning(request, f"{seat.person.full_name}: {consequence.message}")
        waiting = f" {len(taken.unrecorded)} not yet recorded." if taken.unrecorded else ""
        return f"Register saved: {taken.created} added, {taken.changed} changed.{waiting}"

    def do_reason(self, request, meeting):
        line = self._row(Attendance, meeting=meeting)
        self._submit(
            forms.ReasonDecisionForm(request.POST, auto_id=f"id_reason{line.pk}_%s"),
            lambda d: services.attendance_decide_reason(
                attendance=line, accepted=d["accepted"] == "1", by=request.user
            ),
        )
        return "Decision on the reason recorded."

    def do_presiding(self, request, meeting):
        self._submit(
            forms.PresidingForm(request.POST, seats=self._seats(meeting)),
            lambda d: services.meeting_record_presiding(
                meeting=meeting, membership=d["membership"], by=request.user
            ),
        )
        return "Who presides is recorded."

    def do_declaration(self, request, meeting):
        self._submit(
            forms.DeclarationForm(
                request.POST, items=self._items(meeting), seats=self._seats(meeting)
            ),
            lambda d: services.declaration_record(by=request.user, **d),
        )
        return "Declaration recorded."

    def do_motion(self, request, meeting):
        self._submit(
            forms.MotionForm(request.POST, items=self._items(meeting), seats=self._seats(meeting)),
            lambda d: services.motion_propose(meeting=meeting, by=request.user, **d),
        )
        return "Motion put."

    def do_decide(self, request, meeting):
        motion = self._row(Motion, meeting=meeting)

        def call(data):
            casting = {"for": True, "against": False}.get(data.pop("casting") or "")
            return services.motion_decide(
                motion=motion, chair_casting_vote_for=casting, by=request.user, **data
            )

        decided = self._submit(
            forms.DecideForm(request.POST, auto_id=f"id_motion{motion.pk}_%s"),
            call,
            aliases={"chair_casting_vote_for": "casting", "ballots": "votes_for"},
        )
        return f"{decided.get_outcome_display()}: {decided.explanation}"

    def do_minutes_start(self, request, meeting):
        services.minutes_start(meeting=meeting, by=request.user)
        return "Minutes started."

    def do_minute(self, request, meeting):
        entry = self._row(MinuteEntry, minutes__meeting=meeting)
        self._submit(
            forms.MinuteEntryForm(request.POST, auto_id=f"id_entry{entry.pk}_%s"),
            lambda d: services.minute_entry_write(entry=entry, by=request.user, **d),
        )
        return "Minute saved."

    def do_action_point(self, request, meeting):
        minutes = self._row(Minutes, field="minutes_id", meeting=meeting)
        self._submit(
            forms.ActionPointForm(request.POST, items=self._items(meeting)),
            lambda d: services.action_point_add(minutes=minutes, by=request.user, **d),
        )
        return "Action point added."

    def do_approve(self, request, meeting):
        minutes = self._row(Minutes, field="minutes_id", meeting=meeting)
        later = Meeting.objects.for_org(self.org).filter(panel=meeting.panel)
        self._submit(
            forms.ApproveForm(request.POST, meetings=later),
            lambda d: services.minutes_approve(
                minutes=minutes, at_meeting=d["at_meeting"], by=request.user
            ),
        )
        return "Minutes approved."

    def do_correct(self, request, meeting):
        minutes = self._row(Minutes, field="minutes_id", meeting=meeting)
        self._submit(
            forms.NoteForm(request.POST, auto_id="id_minutes_%s"),
            lambda d: services.minutes_correct(minutes=minutes, note=d["note"], by=request.user),
        )
        return "A new version is open for the correction."

    def do_key_messages(self, request, meeting):
        self._submit(
            forms.KeyMessagesForm(request.POST, auto_id="id_key_messages_%s"),
            lambda d: services.key_messages_write(meeting=meeting, by=request.user, **d),
        )
        return "Key messages saved."

    def do_key_sign_off(self, request, meeting):
        key = self._row(KeyMessages, field="key_id", meeting=meeting)
        self._submit(
            forms.SignOffForm(request.POST, seats=self._seats(meeting)),
            lambda d: services.key_messages_sign_off(
                key_messages=key, chair=d["chair"], today=_today(), by=request.user
            ),
        )
        return "Signed off."

    def do_key_publish(self, request, meeting):
        key = self._row(KeyMessages, field="key_id", meeting=meeting)
        services.key_messages_publish(key_messages=key, today=_today(), by=request.user)
        return "Key messages published."

    def do_key_correct(self, request, meeting):
        key = self._row(KeyMessages, field="key_id", meeting=meeting)
        self._submit(
            forms.NoteForm(request.POST, auto_id="id_key_%s"),
            lambda d: services.key_messages_correct(
                key_messages=key, text=d["text"] or key.text, note=d["note"], by=request.user
            ),
        )
        return "A new version of the key messages is open."


def _issue_url(org, meeting) -> str:
    return reverse("meetings:papers_issue", kwargs={"org_slug": org.slug, "meeting_id": meeting.pk})


def _issued_message(issued) -> str:
    text = f"Papers issued: {len(issued.emailed)} by email, {len(issued.posted)} by post"
    return text + (" (their letters are in the print queue)." if issued.posted else ".")


class IssuePapersView(OfficerAccessMixin, TemplateView):
    """Issue papers: who gets them and by which channel (the ToR's, else each member's
    preference), what the agenda holds, and a confirmation when it holds no paper."""

    template_name = "meetings/officer/papers_issue.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = selectors.access_meeting_by_id(org=self.org, meeting_id=kwargs["meeting_id"])
        plan = selectors.papers_plan(meeting=meeting)
        issued = {
            i.person_id: i for i in PaperIssue.objects.for_org(self.org).filter(meeting=meeting)
        }
        context.update(
            meeting=meeting,
            plan=plan,
            issued=issued,
            rows=[(r, issued.get(r.person.pk)) for r in plan.recipients],
            form=form or forms.IssuePapersForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = selectors.access_meeting_by_id(org=self.org, meeting_id=kwargs["meeting_id"])
        form = forms.IssuePapersForm(request.POST)
        if form.is_valid():
            try:
                issued = services.papers_issue(
                    meeting=meeting,
                    today=_today(),
                    by=request.user,
                    confirm_no_papers=form.cleaned_data["confirm_no_papers"],
                )
            except RuleViolation as exc:
                exc.add_to_form(form)
            else:
                messages.success(request, _issued_message(issued))
                return redirect(_issue_url(self.org, meeting))
        return self.render_to_response(self.get_context_data(form=form, **kwargs))


class LetterPackView(OfficerAccessMixin, View):
    """The printable letter pack for members who get their papers by post."""

    def get(self, request, *args, **kwargs):
        meeting = selectors.access_meeting_by_id(org=self.org, meeting_id=kwargs["meeting_id"])
        posted = PaperIssue.objects.for_org(self.org).filter(
            meeting=meeting, channel=PaperIssue.IssueChannel.POST
        )
        people = list(Person.objects.for_org(self.org).filter(pk__in=posted.values("person_id")))
        body = pdf.letter_pack_pdf(
            meeting=meeting,
            items=selectors.agenda_pack_items(meeting=meeting),
            people=people,
            paper_url=paper_url_for(request, self.org),
            officer=meeting.papers_issued_by or request.user,
        )
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="letters-{meeting.date}.pdf"'
        return response


__all__ = ["ConsoleView", "IssuePapersView", "LetterPackView", "MeetingStatus", "ProgrammeView"]
