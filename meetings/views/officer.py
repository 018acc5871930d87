"""Officer pages: the year's programme per panel and the meeting console. Guarded by
OfficerAccessMixin; each POST calls one service."""

import datetime

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
    KeyMessages,
    Meeting,
    MeetingStatus,
    MinuteEntry,
    Minutes,
    Motion,
    PaperIssue,
)
from members.models import Person
from panels.access import OfficerAccessMixin
from panels.errors import RuleViolation
from panels.selectors import panel_list
from panels.tenancy import get_for_org_or_404


def _today() -> datetime.date:
    return timezone.localdate()


def _report(request, exc: RuleViolation) -> None:
    for reason in exc.reasons:
        messages.error(request, str(reason))


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label or field.replace("_", " ") if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label.capitalize()}: {error}" if label else error)


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
            programmes=[
                selectors.programme_year(panel=p, year=year, today=_today()) for p in panels
            ],
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
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(request.path)
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
        except RuleViolation as exc:
            _report(request, exc)
        return redirect(f"{request.path}?year={data.get('year') or self.year()}")


class ConsoleView(OfficerAccessMixin, TemplateView):
    """The officer's meeting console: agenda, register, quorum, votes and minutes on one page."""

    template_name = "meetings/officer/console.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        console = selectors.meeting_console(
            org=self.org, meeting_id=self.kwargs["meeting_id"], today=_today()
        )
        meeting = console.meeting
        seats = [m.pk for m in console.memberships]
        from members.models import Membership

        seat_qs = Membership.objects.for_org(self.org).filter(pk__in=seats).select_related("person")
        item_qs = AgendaItem.objects.for_org(self.org).filter(meeting=meeting)
        later = Meeting.objects.for_org(self.org).filter(panel=meeting.panel, date__gt=meeting.date)
        context.update(
            console=console,
            meeting=meeting,
            today=_today(),
            item_form=forms.AgendaItemForm(seats=seat_qs),
            guest_form=forms.AttendanceRequestForm(initial={"requested_on": _today()}),
            paper_form=forms.PaperForm(items=item_qs),
            attendance_form=forms.AttendanceForm(seats=seat_qs),
            presiding_form=forms.PresidingForm(seats=seat_qs),
            declaration_form=forms.DeclarationForm(items=item_qs, seats=seat_qs),
            motion_form=forms.MotionForm(items=item_qs, seats=seat_qs),
            decide_form=forms.DecideForm(),
            action_form=forms.ActionPointForm(items=item_qs),
            approve_form=forms.ApproveForm(meetings=later),
            note_form=forms.NoteForm(),
            key_form=forms.TextForm(),
            sign_off_form=forms.SignOffForm(seats=seat_qs),
            cancel_form=forms.ReasonForm(),
            statuses=Attendance._meta.get_field("status").choices,
        )
        return context

    # --- POST: one action, one service ---------------------------------------------

    def post(self, request, *args, **kwargs):
        meeting = selectors.access_meeting_by_id(org=self.org, meeting_id=kwargs["meeting_id"])
        action = request.POST.get("action", "")
        handler = getattr(self, f"do_{action}", None)
        if handler is None:
            messages.error(request, "Unknown action.")
        else:
            try:
                done = handler(request, meeting)
                if done:
                    messages.success(request, done)
            except RuleViolation as exc:
                _report(request, exc)
        anchor = request.POST.get("anchor", "")
        return redirect(request.path + (f"#{anchor}" if anchor else ""))

    def _seats(self, meeting):
        from members.selectors import current_memberships

        return current_memberships(panel=meeting.panel, on=meeting.date)

    def _items(self, meeting):
        return AgendaItem.objects.for_org(self.org).filter(meeting=meeting)

    def _valid(self, request, form):
        if form.is_valid():
            return form.cleaned_data
        _form_errors(request, form)
        return None

    def _row(self, model, meeting, field="id", **lookup):
        return get_for_org_or_404(model, org=self.org, pk=self.request.POST.get(field), **lookup)

    def do_notice(self, request, meeting):
        services.meeting_give_notice(meeting=meeting, today=_today(), by=request.user)
        return "Notice recorded."

    def do_held(self, request, meeting):
        services.meeting_mark_held(meeting=meeting, today=_today(), by=request.user)
        return "Meeting marked as held; attendance rules applied."

    def do_cancel(self, request, meeting):
        data = self._valid(request, forms.ReasonForm(request.POST))
        if data:
            services.meeting_cancel(meeting=meeting, reason=data["reason"], by=request.user)
            return "Meeting cancelled."

    def do_add_item(self, request, meeting):
        data = self._valid(request, forms.AgendaItemForm(request.POST, seats=self._seats(meeting)))
        if data:
            seat = data.pop("proposed_by")
            services.agenda_item_add(
                meeting=meeting,
                proposed_by=seat.person if seat else None,
                by=request.user,
                today=_today(),
                **data,
            )
            return "Item added."

    def do_move(self, request, meeting):
        item = self._row(AgendaItem, meeting, meeting=meeting)
        services.agenda_item_move(item=item, up=request.POST.get("up") == "1", by=request.user)

    def do_guest(self, request, meeting):
        data = self._valid(request, forms.AttendanceRequestForm(request.POST))
        if data:
            services.attendance_request_add(meeting=meeting, by=request.user, **data)
            return "Attendance request recorded."

    def do_paper(self, request, meeting):
        form = forms.PaperForm(request.POST, request.FILES, items=self._items(meeting))
        data = self._valid(request, form)
        if data:
            services.paper_upload(by=request.user, **data)
            return "Paper uploaded."

    def do_issue(self, request, meeting):
        url = request.build_absolute_uri(
            reverse("meetings:papers", kwargs={"org_slug": self.org.slug, "meeting_id": meeting.pk})
        )
        issued = services.papers_issue(
            meeting=meeting, today=_today(), papers_url=url, by=request.user
        )
        return (
            f"Papers issued: {len(issued.emailed)} by email, {len(issued.posted)} by post "
            "(print the letter pack)."
        )

    def do_attendance(self, request, meeting):
        data = self._valid(request, forms.AttendanceForm(request.POST, seats=self._seats(meeting)))
        if data:
            services.attendance_record(meeting=meeting, today=_today(), by=request.user, **data)
            return "Register updated."

    def do_attendance_change(self, request, meeting):
        line = self._row(Attendance, meeting, meeting=meeting)
        services.attendance_update(
            attendance=line,
            status=request.POST.get("status", ""),
            apology_reason=request.POST.get("apology_reason", line.apology_reason),
            today=_today(),
            by=request.user,
        )
        return "Register updated."

    def do_reason(self, request, meeting):
        line = self._row(Attendance, meeting, meeting=meeting)
        services.attendance_decide_reason(
            attendance=line, accepted=request.POST.get("accepted") == "1", by=request.user
        )
        return "Decision on the reason recorded."

    def do_presiding(self, request, meeting):
        data = self._valid(request, forms.PresidingForm(request.POST, seats=self._seats(meeting)))
        if data is not None:
            services.meeting_record_presiding(
                meeting=meeting, membership=data["membership"], by=request.user
            )
            return "Who presides is recorded."

    def do_declaration(self, request, meeting):
        form = forms.DeclarationForm(
            request.POST, items=self._items(meeting), seats=self._seats(meeting)
        )
        data = self._valid(request, form)
        if data:
            services.declaration_record(by=request.user, **data)
            return "Declaration recorded."

    def do_motion(self, request, meeting):
        form = forms.MotionForm(
            request.POST, items=self._items(meeting), seats=self._seats(meeting)
        )
        data = self._valid(request, form)
        if data:
            services.motion_propose(meeting=meeting, by=request.user, **data)
            return "Motion put."

    def do_decide(self, request, meeting):
        motion = self._row(Motion, meeting, meeting=meeting)
        data = self._valid(request, forms.DecideForm(request.POST))
        if data:
            casting = {"for": True, "against": False}.get(data.pop("casting") or "")
            decided = services.motion_decide(
                motion=motion, chair_casting_vote_for=casting, by=request.user, **data
            )
            return f"{decided.get_outcome_display()}: {decided.explanation}"

    def do_minutes_start(self, request, meeting):
        services.minutes_start(meeting=meeting, by=request.user)
        return "Minutes started."

    def do_minute(self, request, meeting):
        entry = self._row(MinuteEntry, meeting, minutes__meeting=meeting)
        data = self._valid(request, forms.TextForm(request.POST))
        if data is not None:
            services.minute_entry_write(entry=entry, text=data["text"], by=request.user)
            return "Minute saved."

    def do_action_point(self, request, meeting):
        minutes = self._row(Minutes, meeting, field="minutes_id", meeting=meeting)
        data = self._valid(request, forms.ActionPointForm(request.POST, items=self._items(meeting)))
        if data:
            services.action_point_add(minutes=minutes, by=request.user, **data)
            return "Action point added."

    def do_approve(self, request, meeting):
        minutes = self._row(Minutes, meeting, field="minutes_id", meeting=meeting)
        later = Meeting.objects.for_org(self.org).filter(panel=meeting.panel)
        data = self._valid(request, forms.ApproveForm(request.POST, meetings=later))
        if data:
            services.minutes_approve(
                minutes=minutes, at_meeting=data["at_meeting"], by=request.user
            )
            return "Minutes approved."

    def do_publish(self, request, meeting):
        minutes = self._row(Minutes, meeting, field="minutes_id", meeting=meeting)
        services.minutes_publish(minutes=minutes, today=_today(), by=request.user)
        return "Minutes published on the panel's public page."

    def do_correct(self, request, meeting):
        minutes = self._row(Minutes, meeting, field="minutes_id", meeting=meeting)
        data = self._valid(request, forms.NoteForm(request.POST))
        if data:
            services.minutes_correct(minutes=minutes, note=data["note"], by=request.user)
            return "A new version is open for the correction."

    def do_key_messages(self, request, meeting):
        data = self._valid(request, forms.TextForm(request.POST))
        if data is not None:
            services.key_messages_write(meeting=meeting, text=data["text"], by=request.user)
            return "Key messages saved."

    def do_key_sign_off(self, request, meeting):
        key = self._row(KeyMessages, meeting, field="key_id", meeting=meeting)
        data = self._valid(request, forms.SignOffForm(request.POST, seats=self._seats(meeting)))
        if data:
            services.key_messages_sign_off(
                key_messages=key, chair=data["chair"], today=_today(), by=request.user
            )
            return "Signed off."

    def do_key_publish(self, request, meeting):
        key = self._row(KeyMessages, meeting, field="key_id", meeting=meeting)
        services.key_messages_publish(key_messages=key, today=_today(), by=request.user)
        return "Key messages published."

    def do_key_correct(self, request, meeting):
        key = self._row(KeyMessages, meeting, field="key_id", meeting=meeting)
        data = self._valid(request, forms.NoteForm(request.POST))
        if data:
            services.key_messages_correct(
                key_messages=key, text=data["text"] or key.text, note=data["note"], by=request.user
            )
            return "A new version of the key messages is open."


class LetterPackView(OfficerAccessMixin, View):
    """The printable letter pack for members who get their papers by post."""

    def get(self, request, *args, **kwargs):
        meeting = selectors.access_meeting_by_id(org=self.org, meeting_id=kwargs["meeting_id"])
        posted = PaperIssue.objects.for_org(self.org).filter(
            meeting=meeting, channel=PaperIssue.IssueChannel.POST
        )
        people = list(Person.objects.for_org(self.org).filter(pk__in=posted.values("person_id")))
        body = pdf.letter_pack_pdf(
            meeting=meeting, items=selectors.agenda_pack_items(meeting=meeting), people=people
        )
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="letters-{meeting.date}.pdf"'
        return response


__all__ = ["ConsoleView", "LetterPackView", "MeetingStatus", "ProgrammeView"]
