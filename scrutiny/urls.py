from django.urls import path

from scrutiny.views import board, member, officer, public

app_name = "scrutiny"

P = "p/<slug:panel_slug>/"

urlpatterns = [
    path("", member.IndexView.as_view(), name="index"),
    path("public/", public.PublicReviewsView.as_view(), name="public_reviews"),
    path("actions/", board.ActionTrackerView.as_view(), name="actions"),
    path(
        "actions/<int:improvement_action_id>/",
        officer.ActionUpdateView.as_view(),
        name="action_update",
    ),
    # A panel's scrutiny
    path(P, member.DashboardView.as_view(), name="dashboard"),
    path(P + "measures/new/", officer.MeasureCreateView.as_view(), name="measure_create"),
    path(P + "measures/adopt/", officer.MeasureAdoptView.as_view(), name="measure_adopt"),
    path(P + "results/import/", officer.ResultsImportView.as_view(), name="results_import"),
    path(P + "evidence/", member.EvidenceListView.as_view(), name="evidence"),
    path(P + "evidence/new/", officer.EvidenceAddView.as_view(), name="evidence_add"),
    path(
        "evidence/<int:evidence_item_id>/file/",
        member.EvidenceFileView.as_view(),
        name="evidence_file",
    ),
    path(P + "reviews/", member.ReviewListView.as_view(), name="reviews"),
    path(P + "reviews/new/", officer.ReviewProposeView.as_view(), name="review_propose"),
    path(P + "work-plan/", member.WorkPlanView.as_view(), name="work_plan"),
    path(P + "work-plan/new/", officer.PriorityCreateView.as_view(), name="priority_create"),
    path(P + "budget/", member.BudgetView.as_view(), name="budget"),
    path(P + "budget/set/", officer.BudgetSetView.as_view(), name="budget_set"),
    path(P + "groups/", member.SubGroupListView.as_view(), name="sub_groups"),
    path(P + "groups/new/", officer.SubGroupCreateView.as_view(), name="sub_group_create"),
    path(P + "policies/", member.PolicyListView.as_view(), name="policies"),
    path(P + "policies/new/", officer.PolicyPresentView.as_view(), name="policy_present"),
    path(P + "notices-to-act/", member.NoticeToActListView.as_view(), name="notices_to_act"),
    path(
        "motions/<int:motion_id>/notice-to-act/",
        officer.NoticeToActServeView.as_view(),
        name="notice_to_act_serve",
    ),
    path(
        "motions/<int:motion_id>/notice-to-act/answer/",
        board.NoticeToActAnswerView.as_view(),
        name="notice_to_act_answer",
    ),
    # Measures
    path("measures/<int:measure_id>/", member.MeasureDetailView.as_view(), name="measure"),
    path(
        "measures/<int:measure_id>/results/new/",
        officer.ResultRecordView.as_view(),
        name="result_record",
    ),
    path(
        "measures/<int:measure_id>/propose-review/",
        officer.ReviewFromMeasureView.as_view(),
        name="review_from_measure",
    ),
    # Reviews
    path("reviews/<int:service_review_id>/", member.ReviewWorkspaceView.as_view(), name="review"),
    path(
        "reviews/<int:service_review_id>/advance/",
        officer.ReviewAdvanceView.as_view(),
        name="review_advance",
    ),
    path(
        "reviews/<int:service_review_id>/edit/",
        officer.ReviewEditView.as_view(),
        name="review_edit",
    ),
    path(
        "reviews/<int:service_review_id>/recommendations/new/",
        officer.RecommendationAddView.as_view(),
        name="recommendation_add",
    ),
    path(
        "reviews/<int:service_review_id>/escalate/",
        officer.EscalationRaiseView.as_view(),
        name="escalation_raise",
    ),
    path(
        "recommendations/<int:recommendation_id>/due/",
        officer.RecommendationDueView.as_view(),
        name="recommendation_due",
    ),
    path(
        "recommendations/<int:recommendation_id>/respond/",
        board.ResponseRecordView.as_view(),
        name="response_record",
    ),
    path(
        "recommendations/<int:recommendation_id>/actions/new/",
        officer.ActionAddView.as_view(),
        name="action_add",
    ),
    path(
        "reviews/<int:service_review_id>/escalation/step/",
        officer.EscalationStepView.as_view(),
        name="escalation_step",
    ),
    # Work plan, budget, policies
    path(
        "priorities/<int:work_plan_priority_id>/champions/new/",
        officer.ChampionAssignView.as_view(),
        name="champion_assign",
    ),
    path(
        "priorities/<int:work_plan_priority_id>/items/new/",
        officer.WorkItemAddView.as_view(),
        name="work_item_add",
    ),
    path(
        "priorities/<int:work_plan_priority_id>/review/",
        officer.PriorityReviewView.as_view(),
        name="priority_review",
    ),
    path(
        "budgets/<int:neighbourhood_budget_id>/allocations/new/",
        officer.AllocationAddView.as_view(),
        name="allocation_add",
    ),
    path(
        "allocations/<int:budget_allocation_id>/spend/",
        officer.SpendAddView.as_view(),
        name="spend_add",
    ),
    path(
        "policies/<int:policy_review_id>/outcome/",
        officer.PolicyOutcomeView.as_view(),
        name="policy_outcome",
    ),
]
