"""Board and officers: the action tracker and the Board's written responses."""

from functools import cached_property

from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from panels.access import BoardAccessMixin
from panels.models import Panel
from panels.selectors import panel_list
from panels.tenancy import get_for_org_or_404
from scrutiny import selectors, services
from scrutiny.forms import ActionFilterForm, NoticeAnswerForm, ResponseForm
from scrutiny.models import NoticeStatus
from scrutiny.views.base import ScrutinyFormView


class ActionTrackerView(BoardAccessMixin, TemplateView):
    """Every improvement action, filtered by panel, status, owner or overdue."""

    template_name = "scrutiny/action_tracker.html"

    def get_context_data(self, **kwargs):
        form = ActionFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        panels = list(panel_list(org=self.org))
        panel = None
        if self.request.GET.get("panel"):
            panel = get_for_org_or_404(Panel, org=self.org, slug=self.request.GET["panel"])
        actions = selectors.action_list(
            org=self.org,
            today=timezone.localdate(),
            panel=panel,
            status=filters.get("status", ""),
            owner=filters.get("owner", ""),
            overdue_only=filters.get("overdue", False),
        )
        return super().get_context_data(
            form=form,
            panels=panels,
            panel=panel,
            actions=list(actions),
            today=timezone.localdate(),
            **kwargs,
        )


class ResponseRecordView(BoardAccessMixin, ScrutinyFormView):
    """The Board's formal written response to one recommendation."""

    form_class = ResponseForm
    title = "Record the Board's response"
    submit_label = "Record response"
    success_message = "The Board's response is recorded."

    @cached_property
    def target(self):
        return selectors.access_recommendation(
            org=self.org, recommendation_id=self.kwargs["recommendation_id"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = f"R{self.target.number}: {self.target.text}"
        return context

    def perform(self, form) -> str:
        services.response_record(
            recommendation=self.target,
            decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"],
            responded_on=form.cleaned_data["responded_on"],
            by=self.request.user,
        )
        return reverse(
            "scrutiny:review",
            kwargs={"org_slug": self.org.slug, "service_review_id": self.target.review_id},
        )


class NoticeToActAnswerView(BoardAccessMixin, ScrutinyFormView):
    """Record the Board's answer to a Notice to Act."""

    form_class = NoticeAnswerForm
    title = "Record the Board's answer to the Notice to Act"
    submit_label = "Record answer"
    success_message = "The Board's answer is recorded."

    @cached_property
    def target(self):
        motion = selectors.access_motion(org=self.org, motion_id=self.kwargs["motion_id"])
        return selectors.notice_for_motion(org=self.org, motion=motion)

    def unavailable(self) -> str:
        if self.target.status != NoticeStatus.ANSWERED:
            return ""
        return (
            f"The Board answered this notice on {self.target.answered_on:%d %b %Y}: "
            f"{self.target.board_answer}"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = self.target.service_failure
        return context

    def perform(self, form) -> str:
        services.notice_to_act_answer(notice=self.target, by=self.request.user, **form.cleaned_data)
        return reverse(
            "scrutiny:notices_to_act",
            kwargs={"org_slug": self.org.slug, "panel_slug": self.target.panel.slug},
        )
