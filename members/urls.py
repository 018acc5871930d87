from django.urls import path

from members.views import member, officer, public

app_name = "members"

urlpatterns = [
    path("apply/", public.ApplyView.as_view(), name="apply"),
    # The member's own pages.
    path("me/", member.MyMembershipView.as_view(), name="mine"),
    path("me/payment-method/", member.PaymentMethodView.as_view(), name="payment_method"),
    path("me/expenses/new/", member.ExpenseSubmitView.as_view(), name="expense_submit"),
    path(
        "expenses/<int:expense_claim_id>/receipt/",
        member.ExpenseReceiptView.as_view(),
        name="expense_receipt",
    ),
    # Officers: rosters, payments and elections per panel.
    path("roster/", officer.RosterIndexView.as_view(), name="roster_index"),
    path("roster/<slug:panel_slug>/", officer.RosterView.as_view(), name="roster"),
    path("roster/<slug:panel_slug>/csv/", officer.RosterCsvView.as_view(), name="roster_csv"),
    path(
        "roster/<slug:panel_slug>/payments/",
        officer.PanelPaymentsView.as_view(),
        name="payments",
    ),
    path(
        "roster/<slug:panel_slug>/payments/<int:year>/",
        officer.PanelPaymentsView.as_view(),
        name="payments_year",
    ),
    path("roster/<slug:panel_slug>/election/", officer.ElectionView.as_view(), name="election"),
    path(
        "meetings/<int:meeting_id>/papers-read/",
        officer.PapersReadView.as_view(),
        name="papers_read",
    ),
    # Recruitment.
    path("applications/", officer.ApplicationQueueView.as_view(), name="applications"),
    path(
        "applications/<int:application_id>/",
        officer.ApplicationDetailView.as_view(),
        name="application",
    ),
    path(
        "applications/<int:application_id>/steps/new/",
        officer.RecruitmentStepView.as_view(),
        name="application_step",
    ),
    path(
        "applications/<int:application_id>/decide/",
        officer.ApplicationDecideView.as_view(),
        name="application_decide",
    ),
    path(
        "applications/<int:application_id>/appoint/",
        officer.ApplicationAppointView.as_view(),
        name="application_appoint",
    ),
    # A person and what is recorded about them.
    path("people/<int:person_id>/", officer.PersonDetailView.as_view(), name="person"),
    path(
        "people/<int:person_id>/contact/",
        officer.PersonContactView.as_view(),
        name="person_contact",
    ),
    path(
        "people/<int:person_id>/declarations/new/",
        officer.DeclarationCreateView.as_view(),
        name="declaration_new",
    ),
    # "declaration" also names the meetings app's per-item model: keyed by pk (the walk reads
    # the view's model) so the URL keyword is not ambiguous.
    path(
        "declarations/<int:pk>/end/",
        officer.DeclarationEndView.as_view(),
        name="declaration_end",
    ),
    path(
        "people/<int:person_id>/training/new/",
        officer.TrainingCreateView.as_view(),
        name="training_new",
    ),
    path(
        "people/<int:person_id>/conduct/new/", officer.ConductSignView.as_view(), name="conduct_new"
    ),
    path(
        "people/<int:person_id>/interests/new/",
        officer.InterestCreateView.as_view(),
        name="interest_new",
    ),
    path(
        "interests/<int:interest_declaration_id>/end/",
        officer.InterestEndView.as_view(),
        name="interest_end",
    ),
    path(
        "people/<int:person_id>/remarks/new/", officer.RemarkCreateView.as_view(), name="remark_new"
    ),
    path(
        "people/<int:person_id>/applications/new/",
        officer.ApplicationEnterView.as_view(),
        name="application_enter",
    ),
    # Seats.
    path("seats/<int:membership_id>/extend/", officer.ExtendView.as_view(), name="extend"),
    path("seats/<int:membership_id>/reappoint/", officer.ReappointView.as_view(), name="reappoint"),
    path("seats/<int:membership_id>/leave/", officer.LeaveView.as_view(), name="leave"),
    path("seats/<int:membership_id>/step-down/", officer.StepDownView.as_view(), name="step_down"),
    path("seats/<int:membership_id>/review/", officer.ReviewCreateView.as_view(), name="review"),
    path("seats/<int:membership_id>/remove/", officer.RemoveView.as_view(), name="remove"),
    path("seats/<int:membership_id>/role/", officer.RoleChangeView.as_view(), name="role_change"),
    path(
        "seats/<int:membership_id>/absences/decide/",
        officer.RemovalFlagDecideView.as_view(),
        name="removal_flag_decide",
    ),
    path(
        "leave/<int:leave_of_absence_id>/return/",
        officer.LeaveReturnView.as_view(),
        name="leave_return",
    ),
    path("removals/<int:removal_id>/appeal/", officer.AppealView.as_view(), name="appeal"),
    # Expenses.
    path("expenses/", officer.ExpenseQueueView.as_view(), name="expenses"),
    path(
        "expenses/<int:expense_claim_id>/decide/",
        officer.ExpenseDecideView.as_view(),
        name="expense_decide",
    ),
]
