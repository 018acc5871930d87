"""The officer's publication preview: the public version of the draft minutes exactly as the
public page will show it (the same template), the personal-data hits to remove or confirm,
and the publish button. Guarded by OfficerAccessMixin; each POST calls one service."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from meetings import forms, selectors, services
from meetings.models import KeyMessages, Minutes
from meetings.selectors.minutes import PublicMeetingMinutes
from meetings.views.common import _today
from panels.access import OfficerAccessMixin
from panels.errors import RuleViolation


def _latest(model, meeting):
    return (
        model.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting)
        .order_by("-version")
        .first()
    )


class MinutesPreviewView(OfficerAccessMixin, TemplateView):
    template_name = "meetings/officer/minutes_preview.html"

    def _documents(self):
        meeting = selectors.access_meeting_by_id(org=self.org, meeting_id=self.kwargs["meeting_id"])
        minutes = _latest(Minutes, meeting)
        if minutes is None:
            raise Http404("Start the minutes on the console first.")
        return meeting, minutes, _latest(KeyMessages, meeting)

    def get_context_data(self, refusal=None, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, minutes, key = self._documents()
        check = (
            None if minutes.is_published else selectors.minutes_publication_check(minutes=minutes)
        )
        key_check = (
            selectors.key_messages_publication_check(key_messages=key)
            if key is not None and key.published_on is None
            else None
        )
        published_key = (
            KeyMessages.objects.for_org(self.org)
            .filter(meeting=meeting, published_on__isnull=False)
            .order_by("-version")
            .first()
        )
        preview = None
        if check is not None and check.withheld:
            preview = PublicMeetingMinutes(
                meeting=meeting,
                minutes=None,
                history=[],
                key_messages=published_key,
                attendance_summary={},
                minutes_withheld=check.withheld,
            )
        elif check is not None:
            draft = Minutes(
                meeting=meeting,
                version=minutes.version,
                correction_note=minutes.correction_note,
                approved_at=minutes.approved_at,
                approved_on=minutes.approved_on,
                public_entries=check.version["entries"],
                public_attendance=check.version["attendance"],
            )
            preview = PublicMeetingMinutes(
                meeting=meeting,
                minutes=draft,
                history=[],
                key_messages=published_key,
                attendance_summary=check.version["attendance"],
            )
        context.update(
            meeting=meeting,
            minutes=minutes,
            check=check,
            key=key,
            key_check=key_check,
            preview=preview,
            confirmations=list(
                minutes.confirmations.select_related("confirmed_by").order_by("confirmed_at")
            ),
            refusal=refusal,
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting, minutes, key = self._documents()
        action = request.POST.get("action")
        try:
            if action == "confirm":
                form = forms.ConfirmHitForm(request.POST)
                if not form.is_valid():
                    raise RuleViolation(code="publish.hit", message="Choose the text to confirm.")
                data = form.cleaned_data
                if data["document"] == "key_messages":
                    if key is None:
                        raise Http404("No key messages.")
                    services.key_messages_confirm_disclosure(
                        key_messages=key, key=data["hit"], by=request.user
                    )
                else:
                    services.minutes_confirm_disclosure(
                        minutes=minutes, key=data["hit"], by=request.user
                    )
                messages.success(request, "Confirmed: that text may be published.")
                return redirect(request.path + "#check")
            if action == "publish":
                done = services.minutes_publish(minutes=minutes, today=_today(), by=request.user)
                withheld = selectors.minutes_withheld_reason(services.terms_for_meeting(meeting))
                messages.success(
                    request,
                    f"Version {done.version} of the minutes is issued to the panel. They are not "
                    "public: the public page shows the meeting and its key messages only."
                    if withheld
                    else f"Version {done.version} of the minutes is published.",
                )
                return redirect(request.path)
        except RuleViolation as exc:
            context = self.get_context_data(refusal=exc, **kwargs)
            return self.render_to_response(context, status=200)
        messages.error(request, "Unknown action.")
        return redirect(request.path)
