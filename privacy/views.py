"""Officer pages for data protection: the history timelines."""

from __future__ import annotations

from dataclasses import dataclass

from django.views.generic import TemplateView

from meetings.models import Meeting, Minutes
from members.models import Membership, Person
from panelhub.history import history_enabled
from panels.access import PolicyAccessMixin
from panels.tenancy import get_for_org_or_404
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
