"""Pages for everyone with a role in the organisation: dashboards, measures, the review
workspace, evidence, the work plan, budget, groups and policies."""

from functools import cached_property

from django.http import Http404
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from panels import permissions
from panels.access import MemberAccessMixin, PolicyAccessMixin, access_row, require_policy
from panels.files import file_response
from panels.rules import notice_to_act_power
from panels.selectors import panel_list
from scrutiny import selectors
from scrutiny.charts import measure_charts
from scrutiny.models import EvidenceItem, ReviewStage
from scrutiny.views.base import PanelPageMixin


class IndexView(MemberAccessMixin, TemplateView):
    """Choose a panel's scrutiny dashboard."""

    template_name = "scrutiny/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(panels=list(panel_list(org=self.org)), **kwargs)


class DashboardView(MemberAccessMixin, PanelPageMixin, TemplateView):
    """Measures at a glance with RAG, open reviews, overdue responses and actions."""

    template_name = "scrutiny/dashboard.html"

    def get_context_data(self, **kwargs):
        board = selectors.dashboard(
            org=self.org, panel=self.panel, today=timezone.localdate(), terms=self.terms
        )
        # The same chart as the Board report's, as an SVG data: image (CSP allows img data:).
        charts = measure_charts(board.measures)
        return super().get_context_data(panel=self.panel, board=board, charts=charts, **kwargs)


class MeasureDetailView(MemberAccessMixin, TemplateView):
    template_name = "scrutiny/measure_detail.html"

    def get_context_data(self, **kwargs):
        measure = selectors.access_measure(org=self.org, measure_id=self.kwargs["measure_id"])
        results = list(selectors.result_list(org=self.org, measure=measure))
        return super().get_context_data(
            measure=measure,
            panel=measure.panel,
            results=results,
            state=selectors.state_of(measure),
            **kwargs,
        )


class ReviewListView(MemberAccessMixin, PanelPageMixin, TemplateView):
    template_name = "scrutiny/review_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            panel=self.panel,
            reviews=list(selectors.review_list(org=self.org, panel=self.panel)),
            progress=selectors.review_target_progress(
                org=self.org, panel=self.panel, today=timezone.localdate(), terms=self.terms
            ),
            **kwargs,
        )


class ReviewWorkspaceView(MemberAccessMixin, TemplateView):
    """One review: its stages and dates, members, evidence, recommendations and responses,
    the improvement plan and any escalation."""

    template_name = "scrutiny/review_workspace.html"

    def get_context_data(self, **kwargs):
        review = selectors.review_workspace(
            org=self.org, review_id=self.kwargs["service_review_id"]
        )
        stages = [
            (label, getattr(review, field))
            for label, field in (
                ("Topic proposed", "proposed_on"),
                ("Scoping", "scoping_on"),
                ("Gathering evidence", "evidence_on"),
                ("Findings", "findings_on"),
                ("Recommendations", "recommendations_on"),
                ("Report sent", "reported_on"),
            )
        ]
        is_reported = review.stage == ReviewStage.REPORTED
        may_see_evidence = permissions.may(
            permissions.viewer_of(self.request), "evidence", "view", panel_id=review.panel_id
        )
        return super().get_context_data(
            review=review,
            panel=review.panel,
            may_see_evidence=may_see_evidence,
            stages=stages,
            today=timezone.localdate(),
            is_reported=is_reported,
            may_escalate=is_reported
            and selectors.escalation_possible(review=review, today=timezone.localdate()),
            **kwargs,
        )


class EvidenceListView(MemberAccessMixin, PanelPageMixin, TemplateView):
    """Evidence (confidential or not) is for the panel's own members and the officers."""

    template_name = "scrutiny/evidence_list.html"

    def get_context_data(self, **kwargs):
        require_policy(self.request, "evidence", "view", panel=self.panel, what="Evidence files")
        return super().get_context_data(
            panel=self.panel,
            items=list(selectors.evidence_list(org=self.org, panel=self.panel)),
            **kwargs,
        )


class EvidenceFileView(PolicyAccessMixin, View):
    """An evidence file, for the panel's own members and the organisation's officers only;
    anyone else gets the same 404 as for a missing row."""

    model = EvidenceItem
    policy = ("evidence", "view")

    def get(self, request, *args, **kwargs):
        item = access_row(
            EvidenceItem,
            request=request,
            subject="evidence",
            action="view",
            pk=kwargs["evidence_item_id"],
        )
        if not item.file:
            raise Http404("This evidence has no file.")
        return file_response(
            fieldfile=item.file,
            filename=item.original_name or item.file.name.rsplit("/", 1)[-1],
            missing=f"The file of “{item.title}” is missing from storage: an officer can "
            "add the evidence again with its file.",
        )


class YearMixin:
    @cached_property
    def year(self) -> int:
        try:
            return int(self.request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            return timezone.localdate().year


class WorkPlanView(MemberAccessMixin, PanelPageMixin, YearMixin, TemplateView):
    """The annual priorities, their champions, six-monthly reviews and work items (HFH)."""

    template_name = "scrutiny/work_plan.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            panel=self.panel,
            year=self.year,
            priorities=list(selectors.work_plan(org=self.org, panel=self.panel, year=self.year)),
            **kwargs,
        )


class BudgetView(MemberAccessMixin, PanelPageMixin, YearMixin, TemplateView):
    """The neighbourhood improvement budget: allocations and spend, linked to priorities."""

    template_name = "scrutiny/budget.html"

    def get_context_data(self, **kwargs):
        budget = selectors.budget_for_year(org=self.org, panel=self.panel, year=self.year)
        rows, allocated, spent = [], 0, 0
        if budget:
            for allocation in budget.allocations.all():
                used = sum(s.amount for s in allocation.spends.all())
                rows.append((allocation, used))
                allocated += allocation.amount
                spent += used
        return super().get_context_data(
            panel=self.panel,
            year=self.year,
            budget=budget,
            rows=rows,
            allocated=allocated,
            spent=spent,
            **kwargs,
        )


class SubGroupListView(MemberAccessMixin, PanelPageMixin, TemplateView):
    template_name = "scrutiny/sub_groups.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            panel=self.panel,
            groups=list(selectors.sub_group_list(org=self.org, panel=self.panel)),
            **kwargs,
        )


class PolicyListView(MemberAccessMixin, PanelPageMixin, TemplateView):
    template_name = "scrutiny/policies.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            panel=self.panel,
            policies=list(selectors.policy_list(org=self.org, panel=self.panel)),
            **kwargs,
        )


class NoticeToActListView(MemberAccessMixin, PanelPageMixin, TemplateView):
    """Notices to Act served on the Board and tracked until it answers (Stockport)."""

    template_name = "scrutiny/notices_to_act.html"

    def get_context_data(self, **kwargs):
        # Notices served under an earlier ToR stay listed; new ones need the power now.
        awaiting = []
        if notice_to_act_power(terms=self.terms):
            awaiting = list(selectors.motions_awaiting_notice(org=self.org, panel=self.panel))
        return super().get_context_data(
            panel=self.panel,
            notices=list(selectors.notice_to_act_list(org=self.org, panel=self.panel)),
            awaiting=awaiting,
            **kwargs,
        )
