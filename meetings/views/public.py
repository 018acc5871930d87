"""Public pages and feeds: a panel's published minutes and key messages, its public calendar,
and a member's secret feed. Only text frozen at publication is shown: confidential items and
panel-only entries were left out then, and every personal-data hit removed or confirmed by an
officer."""

from django.http import Http404, HttpResponse
from django.views import View
from django.views.generic import TemplateView

from meetings import pdf, selectors
from meetings.calendar import calendar_bytes
from meetings.models import CalendarFeed
from meetings.views.common import _today
from panels.access import PublicAccessMixin, access_panel_by_slug_public


class PanelMinutesView(PublicAccessMixin, TemplateView):
    template_name = "meetings/public/minutes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        panel = access_panel_by_slug_public(org=self.org, panel_slug=kwargs["panel_slug"])
        context.update(panel=panel, published=selectors.public_minutes(panel=panel))
        return context


class PublicMinutesPdfView(PublicAccessMixin, View):
    """The latest published minutes of one meeting as a PDF (public text only)."""

    def get(self, request, *args, **kwargs):
        meeting = selectors.access_meeting_by_id(org=self.org, meeting_id=kwargs["meeting_id"])
        if not meeting.panel.is_public:
            raise Http404("No minutes here.")
        entry = next(iter(selectors.public_minutes_for_meeting(meeting=meeting)), None)
        if entry is None or entry.minutes is None:
            raise Http404("No published minutes for this meeting.")
        body = pdf.public_minutes_pdf(
            meeting=meeting, minutes=entry.minutes, key_messages=entry.key_messages
        )
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="minutes-{meeting.date}.pdf"'
        return response


class PanelCalendarView(PublicAccessMixin, View):
    """A panel's public calendar: public meetings, date, time and place only."""

    def get(self, request, *args, **kwargs):
        panel = access_panel_by_slug_public(org=self.org, panel_slug=kwargs["panel_slug"])
        body = calendar_bytes(
            selectors.public_meetings(panel=panel), name=panel.name, include_link=False
        )
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")


class MemberFeedView(PublicAccessMixin, View):
    """A member's own feed at a secret address (calendar apps cannot sign in)."""

    def get(self, request, *args, **kwargs):
        feed = (
            CalendarFeed.objects.for_org(self.org)
            .select_related("person")
            .filter(token=kwargs["token"])
            .first()
        )
        if feed is None:
            raise Http404("No calendar here.")
        meetings = selectors.meetings_for_person_feed(person=feed.person, today=_today())
        body = calendar_bytes(meetings, name="My panel meetings", include_link=True)
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")
