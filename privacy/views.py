"""Officer pages for data protection: history timelines, subject access exports."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from meetings.models import Meeting, Minutes
from members.models import Membership, Person
from panelhub.history import history_enabled
from panels.access import PolicyAccessMixin
from panels.errors import RuleViolation
from panels.tenancy import get_for_org_or_404
from privacy import services
from privacy.models import SubjectAccessExport
from privacy.timeline import timeline
from scrutiny.models import ServiceReview


@dataclass(frozen=True)
class Subject:
    model: type
    keyword: str
    related: tuple[str, ...]
    noun: str


SUBJECTS = {
    "person": Subject(Person, "person_id", (), "person"),
    "seat": Subject(Membership, "membership_id", ("person", "panel"), "seat"),
    "meeting": Subject(Meeting, "meeting_id", ("panel",), "meeting"),
    "minutes": Subject(Minutes, "minutes_id", ("meeting__panel",), "minutes"),
    "review": Subject(ServiceReview, "service_review_id", ("panel",), "review"),
}


class HistoryView(PolicyAccessMixin, TemplateView):
    """The history of one person, seat, meeting, minutes or review, as a timeline."""

    policy = ("history", "view")
    template_name = "privacy/history.html"
    kind: str = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        subject = SUBJECTS[self.kind]
        queryset = subject.model.objects.select_related(*subject.related)
        obj = get_for_org_or_404(queryset.model, org=self.org, pk=self.kwargs[subject.keyword])
        if subject.related:
            obj = queryset.get(pk=obj.pk)
        enabled = history_enabled()
        context.update(
            obj=obj,
            noun=subject.noun,
            history_enabled=enabled,
            entries=timeline(obj, org=self.org) if enabled else [],
        )
        return context


class PersonDataView(PolicyAccessMixin, TemplateView):
    """A person's data protection page: start a subject access export, download it once."""

    policy = ("personal_data", "export")
    template_name = "privacy/person_data.html"

    def get_person(self):
        return get_for_org_or_404(Person, org=self.org, pk=self.kwargs["person_id"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.get_person()
        context.update(
            person=person,
            exports=SubjectAccessExport.objects.for_org(self.org)
            .filter(person=person)
            .select_related("requested_by", "downloaded_by"),
            expiry_days=services.EXPORT_EXPIRY.days,
        )
        return context

    def post(self, request, *args, **kwargs):
        person = self.get_person()
        services.export_start(org=self.org, person=person, by=request.user)
        messages.success(
            request,
            f"The export for {person.full_name} is being built. It appears below when ready "
            "and can be downloaded once.",
        )
        return redirect("privacy:person_data", org_slug=self.org.slug, person_id=person.pk)


class ExportDownloadView(PolicyAccessMixin, View):
    """The export's ZIP, once, to an officer of its organisation, before it expires."""

    policy = ("personal_data", "export")

    def get(self, request, *args, **kwargs):
        export = get_for_org_or_404(
            SubjectAccessExport, org=self.org, pk=kwargs["subject_access_export_id"]
        )
        try:
            content = services.export_take(export=export, by=request.user)
        except RuleViolation as refusal:
            return render(
                request,
                "privacy/export_gone.html",
                {"reasons": refusal.reasons, "export": export},
                status=410,
            )
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="subject-access-{export.person_id}-{export.pk}.zip"'
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
