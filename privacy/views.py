"""Officer pages for data protection: history timelines, subject access exports,
erasure (asked for by one officer, confirmed by another) and retention periods."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from meetings.models import Meeting, Minutes
from members.models import Membership, Person
from panelhub.history import history_enabled
from panels.access import PolicyAccessMixin
from panels.errors import RuleViolation
from panels.permissions import may
from panels.tenancy import get_for_org_or_404
from privacy import retention, services
from privacy.forms import RetentionForm
from privacy.models import Erasure, ErasureStatus, RecordType, RetentionRun, SubjectAccessExport
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
            may_erase=may(self.viewer, "personal_data", "erase"),
            erasure_done=services.erasure_done(org=self.org, person=person),
            erasure_asked=Erasure.objects.for_org(self.org)
            .filter(person=person, status=ErasureStatus.REQUESTED)
            .select_related("requested_by")
            .first(),
            erasure_refusals=services.erasure_refusals(org=self.org, person=person),
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


class ErasureActionView(PolicyAccessMixin, View):
    """One step of an erasure (POST only); refusals come back as messages on the person's
    data page."""

    policy = ("personal_data", "erase")

    def act(self, person):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        person = get_for_org_or_404(Person, org=self.org, pk=kwargs["person_id"])
        try:
            text = self.act(person)
        except RuleViolation as refusal:
            for message in refusal.messages:
                messages.error(request, message)
        else:
            messages.success(request, text)
        return redirect("privacy:person_data", org_slug=self.org.slug, person_id=person.pk)


class ErasureRequestView(ErasureActionView):
    def act(self, person):
        erasure = services.erasure_request(org=self.org, person=person, by=self.request.user)
        if erasure.status == ErasureStatus.DONE:
            return "This person was already erased: nothing was changed."
        return (
            f"Erasure of {person.full_name} asked for. A second officer must confirm it "
            "on this page."
        )


class ErasureConfirmView(ErasureActionView):
    def act(self, person):
        erasure = services.erasure_confirm(org=self.org, person=person, by=self.request.user)
        return f"Erased: the person is now Former member {erasure.number} everywhere."


class ErasureCancelView(ErasureActionView):
    def act(self, person):
        erasure = services.erasure_cancel(org=self.org, person=person, by=self.request.user)
        return "Erasure cancelled." if erasure else "There was no erasure waiting to cancel."


class RetentionView(PolicyAccessMixin, TemplateView):
    """How long the organisation keeps each type of record, what happens after, and what
    the nightly runs did."""

    policy = ("retention", "view")
    template_name = "privacy/retention.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = retention.retention_periods(org=self.org)
        context.update(
            periods=[
                {
                    "label": record_type.label,
                    "days": days[record_type.value],
                    "in_words": retention.duration_text(days[record_type.value]),
                    "default": retention.DEFAULT_DAYS[record_type],
                    "what": retention.WHAT_HAPPENS[record_type],
                }
                for record_type in RecordType
            ],
            runs=list(RetentionRun.objects.for_org(self.org)[:10]),
            labels=dict(RecordType.choices),
            may_edit=may(self.viewer, "retention", "edit"),
        )
        return context


class RetentionEditView(PolicyAccessMixin, TemplateView):
    """An admin sets how long each type of record is kept (at least one day)."""

    policy = ("retention", "edit")
    template_name = "privacy/retention_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", RetentionForm(initial=retention.retention_periods(org=self.org)))
        return context

    def post(self, request, *args, **kwargs):
        form = RetentionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        current = retention.retention_periods(org=self.org)
        with transaction.atomic():
            for record_type, days in form.cleaned_data.items():
                if days != current[record_type]:
                    retention.retention_period_set(
                        org=self.org, record_type=record_type, days=days, by=request.user
                    )
        messages.success(request, "Retention periods saved.")
        return redirect("privacy:retention", org_slug=self.org.slug)
