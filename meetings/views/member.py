"""Member pages: the next meeting (papers, what to bring, apologies), papers and downloads.
Confidential items and their papers are shown only to officers and the panel's members."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from meetings import forms, pdf, selectors, services
from meetings.calendar import calendar_bytes
from meetings.models import Paper
from meetings.views.common import _today, paper_url_for
from members.models import Person
from panels import permissions
from panels.access import MemberAccessMixin, PolicyAccessMixin, access_row
from panels.errors import RuleViolation
from panels.files import file_response


def _released(request, meeting) -> bool:
    return selectors.papers_released(viewer=permissions.viewer_of(request), meeting=meeting)


def _insider_or_404(request, org, meeting) -> None:
    """The agenda and papers of a meeting: for whom the matrix gives the panel's papers."""
    if not permissions.may(
        permissions.viewer_of(request), "paper", "download", panel_id=meeting.panel_id
    ):
        raise Http404("No meeting here.")


class NextMeetingView(MemberAccessMixin, TemplateView):
    """A member's next meeting on each panel they sit on: big, phone-friendly."""

    template_name = "meetings/member/next.html"

    def get_context_data(self, refused=None, **kwargs):
        context = super().get_context_data(**kwargs)
        person = Person.objects.for_org(self.org).filter(user=self.request.user).first()
        feed_url = None
        if person is not None:
            feed = services.calendar_feed_for(person=person)
            feed_url = self.request.build_absolute_uri(
                reverse(
                    "meetings:member_feed", kwargs={"org_slug": self.org.slug, "token": feed.token}
                )
            )
        upcoming = selectors.next_meetings_for_member(
            org=self.org, user=self.request.user, today=_today()
        )
        placed = False
        for up in upcoming:
            # One apologies form per meeting; a refused one keeps the reason typed.
            if refused is not None and refused[0].pk == up.meeting.pk:
                up.apologies_form = refused[1]
                placed = True
            else:
                up.apologies_form = forms.ApologiesForm(auto_id=f"id_m{up.meeting.pk}_%s")
            # Papers once issued (officers before): till then the agenda without them.
            up.papers_released = _released(self.request, up.meeting)
        context.update(
            upcoming=upcoming,
            feed_url=feed_url,
            # A refusal for a meeting no longer listed (it has passed) is shown at the top.
            refused_elsewhere=refused if refused is not None and not placed else None,
        )
        return context


class ApologiesView(NextMeetingView):
    """The member's apologies button (POST only). A refusal shows the next-meeting page again
    with the reason as typed and what went wrong under it."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = selectors.access_meeting_by_id(org=self.org, meeting_id=kwargs["meeting_id"])
        seat = next(
            (
                s
                for s in selectors.memberships_of_user(org=self.org, user=request.user, on=_today())
                if s.panel_id == meeting.panel_id
            ),
            None,
        )
        if seat is None:
            raise Http404("No meeting here.")
        form = forms.ApologiesForm(request.POST, auto_id=f"id_m{meeting.pk}_%s")
        if form.is_valid():
            try:
                services.apologies_send(
                    meeting=meeting,
                    membership=seat,
                    reason=form.cleaned_data["reason"],
                    today=_today(),
                    now=timezone.localtime(),
                    by=request.user,
                )
                messages.success(request, "Thank you: your apologies have been sent.")
                return redirect("meetings:next", org_slug=self.org.slug)
            except RuleViolation as exc:
                exc.add_to_form(form)
        return self.render_to_response(self.get_context_data(refused=(meeting, form)))


class ApologiesWithdrawView(NextMeetingView):
    """The member can come after all: their apologies are taken back, until the meeting
    starts (POST only; a refusal shows the next-meeting page with the reason)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = selectors.access_meeting_by_id(org=self.org, meeting_id=kwargs["meeting_id"])
        seat = next(
            (
                s
                for s in selectors.memberships_of_user(org=self.org, user=request.user, on=_today())
                if s.panel_id == meeting.panel_id
            ),
            None,
        )
        if seat is None:
            raise Http404("No meeting here.")
        try:
            services.apologies_withdraw(
                meeting=meeting, membership=seat, now=timezone.localtime(), by=request.user
            )
        except RuleViolation as exc:
            for reason in exc.reasons:
                messages.error(request, reason.message)
        else:
            messages.success(
                request,
                f"Your apologies are withdrawn: we expect you on {meeting.date:%A %-d %B}.",
            )
        return redirect(reverse("meetings:next", kwargs={"org_slug": self.org.slug}))


class PapersView(MemberAccessMixin, TemplateView):
    """The agenda and papers of one meeting, for the panel's members and officers."""

    template_name = "meetings/member/papers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = selectors.access_meeting_by_id(org=self.org, meeting_id=kwargs["meeting_id"])
        _insider_or_404(self.request, self.org, meeting)
        context.update(
            meeting=meeting,
            items=selectors.agenda_pack_items(meeting=meeting),
            papers_released=_released(self.request, meeting),
        )
        return context


class AgendaPackView(MemberAccessMixin, View):
    def get(self, request, *args, **kwargs):
        meeting = selectors.access_meeting_by_id(org=self.org, meeting_id=kwargs["meeting_id"])
        _insider_or_404(request, self.org, meeting)
        if not _released(request, meeting):
            raise Http404("The papers of this meeting are not issued yet.")
        body = pdf.agenda_pack_pdf(
            meeting=meeting,
            items=selectors.agenda_pack_items(meeting=meeting),
            paper_url=paper_url_for(request, self.org),
        )
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="agenda-pack-{meeting.date}.pdf"'
        return response


class PaperDownloadView(PolicyAccessMixin, View):
    policy = ("paper", "download")

    def get(self, request, *args, **kwargs):
        paper = access_row(
            Paper, request=request, subject="paper", action="download", pk=kwargs["paper_id"]
        )
        return file_response(
            fieldfile=paper.file,
            filename=paper.file_name,
            missing=f"The file of the paper “{paper.title}” is missing from storage: "
            "an officer can upload it again from the meeting's console.",
        )


class MeetingIcsView(MemberAccessMixin, View):
    """One meeting as an .ics file (date, time, place; no agenda). The video link only for
    those the matrix gives it to: the panel's own members and officers."""

    def get(self, request, *args, **kwargs):
        meeting = selectors.access_meeting_by_id(org=self.org, meeting_id=kwargs["meeting_id"])
        include_link = permissions.may(
            permissions.viewer_of(request), "meeting_link", "view", meeting
        )
        body = calendar_bytes([meeting], name=meeting.panel.name, include_link=include_link)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.date}.ics"'
        return response
