"""Officer pages: every change to measures, results, evidence, reviews, recommendations,
actions, escalation, the work plan, budget, groups and policies. Each calls one service."""

from functools import cached_property

from django.urls import reverse
from django.views.generic import FormView

from members.models import Person
from panels.access import OfficerAccessMixin
from panels.errors import RuleViolation
from panels.rules import notice_to_act_power
from panels.selectors import terms_in_force
from panels.tenancy import get_for_org_or_404
from scrutiny import forms as f
from scrutiny import selectors, services
from scrutiny.models import (
    BudgetAllocation,
    EscalationStatus,
    NeighbourhoodBudget,
    PolicyReview,
    WorkPlanPriority,
)
from scrutiny.views.base import PanelPageMixin, ScrutinyFormView


def _url(name: str, org, **kwargs) -> str:
    return reverse(f"scrutiny:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _people(org):
    return Person.objects.for_org(org).order_by("last_name", "first_name")


class PanelFormView(OfficerAccessMixin, PanelPageMixin, ScrutinyFormView):
    @cached_property
    def target(self):
        return self.panel


# --- Measures and results ------------------------------------------------------------------


class MeasureCreateView(PanelFormView):
    form_class = f.MeasureForm
    title = "Add a measure"
    success_message = "Measure added."

    def perform(self, form) -> str:
        measure = services.measure_create(
            panel=self.panel, by=self.request.user, **form.cleaned_data
        )
        return _url("measure", self.org, measure_id=measure.pk)


class MeasureAdoptView(PanelFormView):
    form_class = f.AdoptMeasureForm
    title = "Adopt a Tenant Satisfaction Measure"
    intro = (
        "The Regulator of Social Housing's Tenant Satisfaction Measures, ready to adopt. "
        "The regulator sets no targets: agree the panel's own."
    )
    submit_label = "Adopt"
    success_message = "Measure adopted."

    def perform(self, form) -> str:
        measure = services.measure_adopt_from_catalogue(
            panel=self.panel, by=self.request.user, **form.cleaned_data
        )
        return _url("measure", self.org, measure_id=measure.pk)


class ResultRecordView(OfficerAccessMixin, ScrutinyFormView):
    form_class = f.ResultForm
    title = "Record a result"
    success_message = "Result recorded."

    @cached_property
    def target(self):
        return selectors.access_measure(org=self.org, measure_id=self.kwargs["measure_id"])

    def perform(self, form) -> str:
        services.result_record(
            measure=self.target, by=self.request.user, today=self.today, **form.cleaned_data
        )
        return _url("measure", self.org, measure_id=self.target.pk)


class ResultsImportView(OfficerAccessMixin, PanelPageMixin, FormView):
    """Upload a CSV, see every line checked, then confirm: all lines or none are saved."""

    form_class = f.ResultsImportForm
    template_name = "scrutiny/results_import.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(panel=self.panel, **kwargs)

    def form_valid(self, form):
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.utils import timezone

        today = timezone.localdate()
        csv_text = form.cleaned_data["csv_text"]
        if "confirm" not in self.request.POST:
            preview = services.results_import_preview(
                panel=self.panel, csv_text=csv_text, today=today
            )
            confirm = f.ResultsImportForm(initial={"csv_text": csv_text})
            return self.render_to_response(
                self.get_context_data(form=form, preview=preview, confirm_form=confirm)
            )
        try:
            results = services.results_import(
                panel=self.panel, csv_text=csv_text, by=self.request.user, today=today
            )
        except RuleViolation as exc:
            # The file changed meaning since the preview (say, a period recorded meanwhile):
            # nothing saved; show the reasons and the lines again, the file kept for a retry.
            exc.add_to_form(form)
            preview = services.results_import_preview(
                panel=self.panel, csv_text=csv_text, today=today
            )
            return self.render_to_response(self.get_context_data(form=form, preview=preview))
        messages.success(self.request, f"{len(results)} results imported.")
        return redirect(_url("dashboard", self.org, panel_slug=self.panel.slug))


class ReviewFromMeasureView(OfficerAccessMixin, ScrutinyFormView):
    """Propose a review of a red measure's service."""

    form_class = f.forms.Form
    title = "Propose a review from this measure"
    intro = "A measure that is red (or red two periods running) can become a review topic."
    submit_label = "Propose review"
    success_message = "Review topic proposed."

    @cached_property
    def target(self):
        return selectors.access_measure(org=self.org, measure_id=self.kwargs["measure_id"])

    def unavailable(self) -> str:
        if selectors.state_of(self.target).may_propose_review:
            return ""
        return (
            f"{self.target} is not red in its latest period, so it is not proposed as a review "
            "topic from performance. Propose the topic from the reviews page instead."
        )

    def perform(self, form) -> str:
        review = services.review_propose_from_measure(
            measure=self.target, by=self.request.user, today=self.today
        )
        return _url("review", self.org, service_review_id=review.pk)


# --- Evidence and reviews --------------------------------------------------------------------


class EvidenceAddView(PanelFormView):
    form_class = f.EvidenceForm
    title = "Add evidence"
    success_message = "Evidence added."

    def get_template_names(self):
        return ["scrutiny/form.html"]

    def perform(self, form) -> str:
        services.evidence_add(panel=self.panel, by=self.request.user, **form.cleaned_data)
        return _url("evidence", self.org, panel_slug=self.panel.slug)


class ReviewProposeView(PanelFormView):
    form_class = f.ReviewProposeForm
    title = "Propose a review topic"
    success_message = "Review topic proposed."

    def perform(self, form) -> str:
        review = services.review_propose(
            panel=self.panel, by=self.request.user, **form.cleaned_data
        )
        return _url("review", self.org, service_review_id=review.pk)


class ReviewTargetMixin:
    @cached_property
    def target(self):
        return selectors.access_review(org=self.org, review_id=self.kwargs["service_review_id"])

    def review_url(self) -> str:
        return _url("review", self.org, service_review_id=self.target.pk)


class ReviewAdvanceView(OfficerAccessMixin, ReviewTargetMixin, ScrutinyFormView):
    form_class = f.ReviewAdvanceForm
    title = "Move the review to its next stage"
    success_message = "Stage recorded."

    def perform(self, form) -> str:
        services.review_advance(review=self.target, by=self.request.user, **form.cleaned_data)
        return self.review_url()


class ReviewEditView(OfficerAccessMixin, ReviewTargetMixin, ScrutinyFormView):
    form_class = f.ReviewEditForm
    title = "Scope, findings, members and evidence"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["people"] = _people(self.org)
        kwargs["evidence"] = selectors.evidence_list(org=self.org, panel=self.target.panel_id)
        return kwargs

    def get_initial(self):
        review = self.target
        return {
            "scope": review.scope,
            "findings": review.findings,
            "public_summary": review.public_summary,
            "members": list(review.members.all()),
            "evidence": list(review.evidence.all()),
        }

    def perform(self, form) -> str:
        data, review, by = form.cleaned_data, self.target, self.request.user
        services.review_update(
            review=review,
            by=by,
            scope=data["scope"],
            findings=data["findings"],
            public_summary=data["public_summary"],
        )
        services.review_set_members(review=review, people=data["members"], by=by)
        for item in data["evidence"]:
            services.review_link_evidence(review=review, evidence=item, by=by)
        return self.review_url()


class RecommendationAddView(OfficerAccessMixin, ReviewTargetMixin, ScrutinyFormView):
    form_class = f.RecommendationForm
    title = "Add a recommendation"
    success_message = "Recommendation added."

    def perform(self, form) -> str:
        services.recommendation_add(review=self.target, by=self.request.user, **form.cleaned_data)
        return self.review_url()


class EscalationRaiseView(OfficerAccessMixin, ReviewTargetMixin, ScrutinyFormView):
    form_class = f.EscalationForm
    title = "The panel is not satisfied: escalate"
    intro = (
        "The escalation path comes from the terms of reference in force; "
        "its steps are tracked in order."
    )
    submit_label = "Start escalation"
    success_message = "Escalation started."

    def unavailable(self) -> str:
        terms = terms_in_force(panel=self.target.panel, on=self.today)
        if not (terms and terms.escalation_steps):
            return (
                f"The {self.target.panel.name}'s terms of reference set out no escalation path, "
                "so there is nothing to escalate through here."
            )
        if self.target.escalations.filter(status=EscalationStatus.OPEN).exists():
            return "This review already has an open escalation: record its steps on the review."
        return ""

    def perform(self, form) -> str:
        services.escalation_raise(review=self.target, by=self.request.user, **form.cleaned_data)
        return self.review_url()


class RecommendationTargetMixin:
    @cached_property
    def target(self):
        return selectors.access_recommendation(
            org=self.org, recommendation_id=self.kwargs["recommendation_id"]
        )

    def review_url(self) -> str:
        return _url("review", self.org, service_review_id=self.target.review_id)


class RecommendationDueView(OfficerAccessMixin, RecommendationTargetMixin, ScrutinyFormView):
    form_class = f.DueDateForm
    title = "Set the date the Board must respond by"
    success_message = "Response date set."

    def perform(self, form) -> str:
        services.recommendation_set_due(
            recommendation=self.target, due_on=form.cleaned_data["due_on"], by=self.request.user
        )
        return self.review_url()


class ActionAddView(OfficerAccessMixin, RecommendationTargetMixin, ScrutinyFormView):
    form_class = f.ActionForm
    title = "Add an improvement action"
    success_message = "Action added to the improvement plan."

    def perform(self, form) -> str:
        services.action_add(recommendation=self.target, by=self.request.user, **form.cleaned_data)
        return self.review_url()


class ActionUpdateView(OfficerAccessMixin, ScrutinyFormView):
    form_class = f.ActionUpdateForm
    title = "Update an improvement action"
    success_message = "Action updated."

    @cached_property
    def target(self):
        return selectors.access_action(org=self.org, action_id=self.kwargs["improvement_action_id"])

    def get_initial(self):
        return {
            "status": self.target.status,
            "completed_on": self.target.completed_on,
            "completion_evidence": self.target.completion_evidence,
        }

    def perform(self, form) -> str:
        services.action_update(action=self.target, by=self.request.user, **form.cleaned_data)
        return _url("actions", self.org)


class EscalationStepView(OfficerAccessMixin, ReviewTargetMixin, ScrutinyFormView):
    """Record the outcome of the current step of the review's open escalation."""

    form_class = f.EscalationStepForm
    title = "Record the outcome of the current escalation step"
    success_message = "Escalation step recorded."

    @cached_property
    def step(self):
        return selectors.escalation_current_step(org=self.org, review=self.target)

    def unavailable(self) -> str:
        return "" if self.step else "This review has no open escalation step to record."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.step:
            context["intro"] = f"Step {self.step.number}: {self.step.description}"
        return context

    def perform(self, form) -> str:
        step = self.step
        if step is None:
            raise RuleViolation(
                code="escalation.none_open",
                message="This review has no open escalation.",
                source=services.SCRUTINY_RULES,
            )
        services.escalation_step_complete(step=step, by=self.request.user, **form.cleaned_data)
        return self.review_url()


# --- Work plan, budget, groups, policies -----------------------------------------------------


class PriorityCreateView(PanelFormView):
    form_class = f.PriorityForm
    title = "Add a work plan priority"
    success_message = "Priority added."

    def perform(self, form) -> str:
        year = int(self.request.GET.get("year") or self.today.year)
        services.priority_create(
            panel=self.panel, year=year, by=self.request.user, **form.cleaned_data
        )
        return _url("work_plan", self.org, panel_slug=self.panel.slug) + f"?year={year}"


class PriorityTargetMixin:
    @cached_property
    def target(self):
        return get_for_org_or_404(
            WorkPlanPriority, org=self.org, pk=self.kwargs["work_plan_priority_id"]
        )

    def plan_url(self) -> str:
        slug = self.target.panel.slug
        return _url("work_plan", self.org, panel_slug=slug) + f"?year={self.target.year}"


class ChampionAssignView(OfficerAccessMixin, PriorityTargetMixin, ScrutinyFormView):
    form_class = f.ChampionForm
    title = "Add a resident lead champion"
    success_message = "Champion added."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "people": _people(self.org)}

    def perform(self, form) -> str:
        services.champion_assign(priority=self.target, by=self.request.user, **form.cleaned_data)
        return self.plan_url()


class WorkItemAddView(OfficerAccessMixin, PriorityTargetMixin, ScrutinyFormView):
    form_class = f.WorkItemForm
    title = "Add a work plan item and its outputs"
    success_message = "Work plan item added."

    def perform(self, form) -> str:
        services.work_item_add(priority=self.target, by=self.request.user, **form.cleaned_data)
        return self.plan_url()


class PriorityReviewView(OfficerAccessMixin, PriorityTargetMixin, ScrutinyFormView):
    form_class = f.PriorityReviewForm
    title = "Six-monthly review of a priority"
    success_message = "Review recorded."

    def perform(self, form) -> str:
        services.priority_review(priority=self.target, by=self.request.user, **form.cleaned_data)
        return self.plan_url()


class BudgetSetView(PanelFormView):
    form_class = f.BudgetForm
    title = "Set the neighbourhood improvement budget"

    def perform(self, form) -> str:
        year = int(self.request.GET.get("year") or self.today.year)
        services.budget_set(
            panel=self.panel, year=year, total=form.cleaned_data["total"], by=self.request.user
        )
        return _url("budget", self.org, panel_slug=self.panel.slug) + f"?year={year}"


class AllocationAddView(OfficerAccessMixin, ScrutinyFormView):
    form_class = f.AllocationForm
    title = "Allocate part of the budget"
    success_message = "Allocation recorded."

    @cached_property
    def target(self):
        return get_for_org_or_404(
            NeighbourhoodBudget, org=self.org, pk=self.kwargs["neighbourhood_budget_id"]
        )

    def get_form_kwargs(self):
        priorities = WorkPlanPriority.objects.for_org(self.org).filter(
            panel_id=self.target.panel_id, year=self.target.year
        )
        return {**super().get_form_kwargs(), "priorities": priorities}

    def perform(self, form) -> str:
        services.budget_allocate(budget=self.target, by=self.request.user, **form.cleaned_data)
        slug = self.target.panel.slug
        return _url("budget", self.org, panel_slug=slug) + f"?year={self.target.year}"


class SpendAddView(OfficerAccessMixin, ScrutinyFormView):
    form_class = f.SpendForm
    title = "Record spend against an allocation"
    success_message = "Spend recorded."

    @cached_property
    def target(self):
        return get_for_org_or_404(
            BudgetAllocation, org=self.org, pk=self.kwargs["budget_allocation_id"]
        )

    def perform(self, form) -> str:
        services.budget_spend(allocation=self.target, by=self.request.user, **form.cleaned_data)
        budget = self.target.budget
        return _url("budget", self.org, panel_slug=budget.panel.slug) + f"?year={budget.year}"


class SubGroupCreateView(PanelFormView):
    form_class = f.SubGroupForm
    title = "Form a sub-group or working party"
    success_message = "Group formed."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "people": _people(self.org)}

    def perform(self, form) -> str:
        services.sub_group_create(panel=self.panel, by=self.request.user, **form.cleaned_data)
        return _url("sub_groups", self.org, panel_slug=self.panel.slug)


class PolicyPresentView(PanelFormView):
    form_class = f.PolicyForm
    title = "Put a policy or strategy to the panel"
    success_message = "Policy added."

    def perform(self, form) -> str:
        services.policy_present(panel=self.panel, by=self.request.user, **form.cleaned_data)
        return _url("policies", self.org, panel_slug=self.panel.slug)


class PolicyOutcomeView(OfficerAccessMixin, ScrutinyFormView):
    form_class = f.PolicyOutcomeForm
    title = "Record the panel's decision on a policy"
    success_message = "Decision recorded."

    @cached_property
    def target(self):
        return get_for_org_or_404(PolicyReview, org=self.org, pk=self.kwargs["policy_review_id"])

    def perform(self, form) -> str:
        services.policy_record_outcome(
            policy=self.target, by=self.request.user, **form.cleaned_data
        )
        return _url("policies", self.org, panel_slug=self.target.panel.slug)


class NoticeToActServeView(OfficerAccessMixin, ScrutinyFormView):
    """Serve a Notice to Act on a carried notice_to_act motion."""

    form_class = f.NoticeToActForm
    title = "Serve a Notice to Act"
    intro = (
        "Served on the Board via the committee the panel reports to and the Lead Officer, "
        "after a motion carried by a majority of all the panel's members."
    )
    submit_label = "Serve the notice"
    success_message = "Notice to Act served."

    @cached_property
    def target(self):
        return selectors.access_motion(org=self.org, motion_id=self.kwargs["motion_id"])

    def unavailable(self) -> str:
        panel = self.target.meeting.panel
        if notice_to_act_power(terms=terms_in_force(panel=panel, on=self.today)):
            return ""
        return (
            f"The {panel.name}'s terms of reference give it no power to serve a Notice to Act "
            "on the Board."
        )

    def perform(self, form) -> str:
        panel = self.target.meeting.panel
        services.notice_to_act_serve(
            panel=panel, motion=self.target, by=self.request.user, **form.cleaned_data
        )
        return _url("notices_to_act", self.org, panel_slug=panel.slug)
