"""Officer pages: roster per panel (and CSV), applications queue, person page, seat actions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, ListView, TemplateView

from members import forms, selectors, services
from members.models import (
    Application,
    Declaration,
    ExpenseClaim,
    InterestDeclaration,
    LeaveOfAbsence,
    Person,
    Removal,
)
from panels.access import OfficerAccessMixin, access_panel_by_slug
from panels.errors import RuleViolation
from panels.idempotency import AlreadySubmitted, submitted_once
from panels.selectors import panel_list
from panels.spreadsheet import csv_response
from panels.tenancy import get_for_org_or_404


class RosterIndexView(OfficerAccessMixin, TemplateView):
    template_name = "members/roster_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = panel_list(org=self.org)
        return context


class RosterView(OfficerAccessMixin, TemplateView):
    template_name = "members/roster.html"

    def get_roster(self):
        panel = access_panel_by_slug(org=self.org, panel_slug=self.kwargs["panel_slug"])
        return selectors.roster(panel=panel, on=timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roster"] = self.get_roster()
        return context


class RosterCsvView(RosterView):
    def get(self, request, *args, **kwargs):
        roster = self.get_roster()
        return csv_response(
            filename=f"{roster.panel.slug}-roster.csv",
            headers=["Name", "Role", "Voting", "Status", "Started", "Term", "Term ends", "Flags"],
            rows=(
                [
                    row.membership.person.full_name,
                    row.membership.get_role_display(),
                    "yes" if row.is_voting else "no",
                    row.membership.get_status_display(),
                    row.membership.starts_on,
                    row.membership.term_number,
                    row.membership.term_ends_on or "",
                    "; ".join(row.flags),
                ]
                for row in roster.rows
            ),
        )


class ApplicationQueueView(OfficerAccessMixin, ListView):
    template_name = "members/applications.html"
    context_object_name = "applications"
    paginate_by = 50

    def get_queryset(self):
        return selectors.application_queue(org=self.org)


class PersonDetailView(OfficerAccessMixin, FormView):
    template_name = "members/person_detail.html"
    form_class = forms.AppointForm

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_person(self):
        return get_for_org_or_404(Person, org=self.org, pk=self.kwargs["person_id"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["panels"] = panel_list(org=self.org)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.get_person()
        context["person"] = person
        context.update(selectors.person_history(person=person))
        return context

    def form_valid(self, form):
        person = self.get_person()
        try:
            services.membership_appoint(
                panel=form.cleaned_data["panel"],
                person=person,
                role=form.cleaned_data["role"],
                starts_on=form.cleaned_data["starts_on"],
                reason=form.cleaned_data["reason"],
                by=self.request.user,
            )
        except RuleViolation as exc:
            exc.add_to_form(form)
            return self.form_invalid(form)
        messages.success(self.request, "Appointed.")
        return redirect("members:person", org_slug=self.org.slug, person_id=person.pk)


class MembershipActionView(OfficerAccessMixin, FormView):
    """One seat action (extend, re-appoint, leave, step down): a form, one service call."""

    template_name = "members/membership_action.html"
    title = ""

    def get_membership(self):
        return selectors.membership_for_officer(
            org=self.org, membership_id=self.kwargs["membership_id"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(membership=self.get_membership(), title=self.title)
        return context

    def perform(self, membership, data):
        raise NotImplementedError

    def form_valid(self, form):
        membership = self.get_membership()
        try:
            self.perform(membership, form.cleaned_data)
        except RuleViolation as exc:
            exc.add_to_form(form)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.title}: done.")
        return redirect("members:person", org_slug=self.org.slug, person_id=membership.person_id)


class ExtendView(MembershipActionView):
    form_class = forms.ExtendForm
    title = "Extend the term"

    def perform(self, membership, data):
        services.membership_extend(membership=membership, by=self.request.user, **data)


class ReappointView(MembershipActionView):
    form_class = forms.ReappointForm
    title = "Re-appoint for a further term"

    def perform(self, membership, data):
        services.membership_reappoint(membership=membership, by=self.request.user, **data)


class LeaveView(MembershipActionView):
    form_class = forms.LeaveForm
    title = "Grant leave of absence"

    def perform(self, membership, data):
        services.leave_grant(membership=membership, by=self.request.user, **data)


class StepDownView(MembershipActionView):
    form_class = forms.StepDownForm
    title = "Step down"

    def perform(self, membership, data):
        services.membership_step_down(membership=membership, by=self.request.user, **data)


# --- Officer actions: one form, one service call, back to the person page -----------------


class OfficerActionView(OfficerAccessMixin, FormView):
    """A form for one action on one row of this organisation. The row is looked up (the one
    404 for missing and foreign rows) before the form is read; a refusal shows every reason
    with its rule and document on the form, with what was typed kept."""

    template_name = "members/action_form.html"
    title = ""
    success_message = "Saved."

    def get_target(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.target = self.get_target()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.target = self.get_target()
        return super().post(request, *args, **kwargs)

    def person_id(self) -> int:
        return self.target.person_id

    def subject(self) -> str:
        return str(self.target)

    def get_success_url(self) -> str:
        return reverse(
            "members:person", kwargs={"org_slug": self.org.slug, "person_id": self.person_id()}
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            subject=self.subject(),
            target=self.target,
            back_url=self.get_success_url(),
        )
        return context

    def perform(self, data):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with submitted_once(form):  # a form with a one-time token saves once
                self.perform(form.cleaned_data)
        except AlreadySubmitted as done:
            messages.info(self.request, str(done))
            return redirect(self.get_success_url())
        except RuleViolation as exc:
            exc.add_to_form(form)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


class PersonActionView(OfficerActionView):
    def get_target(self):
        return get_for_org_or_404(Person, org=self.org, pk=self.kwargs["person_id"])

    def person_id(self) -> int:
        return self.target.pk

    def subject(self) -> str:
        return self.target.full_name


class SeatActionView(OfficerActionView):
    def get_target(self):
        return selectors.membership_for_officer(
            org=self.org, membership_id=self.kwargs["membership_id"]
        )

    def subject(self) -> str:
        m = self.target
        end = f", term ends {m.term_ends_on:%d %b %Y}" if m.term_ends_on else ""
        return f"{m.person.full_name}: {m.get_role_display()} on {m.panel.name}{end}"


class PersonContactView(PersonActionView):
    form_class = forms.PersonContactForm
    title = "Contact details"
    success_message = "Contact details saved."

    def get_initial(self):
        return {name: getattr(self.target, name) for name in services.CONTACT_FIELDS}

    def perform(self, data):
        services.person_contact_update(person=self.target, by=self.request.user, **data)


class DeclarationCreateView(PersonActionView):
    form_class = forms.DeclarationForm
    title = "Record a declaration"
    success_message = "Declaration recorded."

    def perform(self, data):
        services.declaration_record(person=self.target, by=self.request.user, **data)


class DeclarationEndView(OfficerActionView):
    form_class = forms.DeclarationEndForm
    title = "End a declaration"
    success_message = "Declaration ended."

    model = Declaration

    def get_target(self):
        return get_for_org_or_404(Declaration, org=self.org, pk=self.kwargs["pk"])

    def perform(self, data):
        services.declaration_end(declaration=self.target, by=self.request.user, **data)


class TrainingCreateView(PersonActionView):
    form_class = forms.TrainingForm
    title = "Record training"
    success_message = "Training recorded."

    def perform(self, data):
        services.training_record(person=self.target, by=self.request.user, **data)


class ConductSignView(PersonActionView):
    form_class = forms.ConductForm
    title = "Record the code of conduct signed"
    success_message = "Signature recorded."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "panels": panel_list(org=self.org)}

    def perform(self, data):
        services.conduct_sign(person=self.target, by=self.request.user, **data)


class InterestCreateView(PersonActionView):
    form_class = forms.InterestForm
    title = "Add to the register of interests"
    success_message = "Interest registered."

    def perform(self, data):
        services.interest_declare(person=self.target, by=self.request.user, **data)


class InterestEndView(OfficerActionView):
    form_class = forms.InterestEndForm
    title = "Close an interest"
    success_message = "Interest closed."

    def get_target(self):
        return get_for_org_or_404(
            InterestDeclaration, org=self.org, pk=self.kwargs["interest_declaration_id"]
        )

    def perform(self, data):
        services.interest_end(entry=self.target, by=self.request.user, **data)


class RemarkCreateView(PersonActionView):
    form_class = forms.RemarkForm
    title = "Add a remark"
    success_message = "Remark added."

    def perform(self, data):
        services.remark_add(person=self.target, by=self.request.user, **data)


class ApplicationEnterView(PersonActionView):
    form_class = forms.ApplicationEnterForm
    title = "Enter an application"
    success_message = "Application entered."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "panels": panel_list(org=self.org)}

    def perform(self, data):
        services.application_enter(person=self.target, by=self.request.user, **data)


class ReviewCreateView(SeatActionView):
    form_class = forms.ReviewForm
    title = "Record a skills audit or annual review"
    success_message = "Review recorded."

    def perform(self, data):
        services.review_record(membership=self.target, by=self.request.user, **data)


class RemoveView(SeatActionView):
    form_class = forms.RemoveForm
    title = "Remove from the panel"
    success_message = "Removal recorded."

    def perform(self, data):
        services.membership_remove(membership=self.target, by=self.request.user, **data)


class RoleChangeView(SeatActionView):
    """Change a seat's role outside an election (e.g. resident to associate, or co-opted)."""

    form_class = forms.RoleChangeForm
    title = "Change the seat's role"
    success_message = "Role changed."

    def subject(self) -> str:
        voting = selectors.role_voting(membership=self.target)
        return f"{super().subject()}. {voting}"

    def perform(self, data):
        services.membership_change_role(membership=self.target, by=self.request.user, **data)


class RemovalFlagDecideView(SeatActionView):
    """The panel's decision on a seat flagged for absences: keep (flag closed) or remove."""

    form_class = forms.RemovalFlagDecideForm
    title = "Record the panel's decision on absences"
    success_message = "Decision recorded."

    def get_target(self):
        membership = super().get_target()
        self.flag = selectors.open_removal_flag(membership=membership)
        if self.flag is None:
            raise Http404("No removal flag awaits a decision for this seat.")
        return membership

    def subject(self) -> str:
        appeal = selectors.removal_appeal_note(membership=self.target)
        return (
            f"{super().subject()}. Flagged on {self.flag.raised_on:%d %b %Y}: "
            f"{self.flag.reason} {appeal}"
        )

    def perform(self, data):
        services.removal_flag_decide(flag=self.flag, by=self.request.user, **data)


class LeaveReturnView(OfficerActionView):
    form_class = forms.LeaveReturnForm
    title = "Return from leave"
    success_message = "Return recorded."

    def get_target(self):
        return get_for_org_or_404(
            LeaveOfAbsence, org=self.org, pk=self.kwargs["leave_of_absence_id"]
        )

    def person_id(self) -> int:
        return self.target.membership.person_id

    def perform(self, data):
        services.leave_end(leave=self.target, by=self.request.user, **data)


class AppealView(OfficerActionView):
    form_class = forms.AppealForm
    title = "Record an appeal and its decision"
    success_message = "Appeal decision recorded."

    def get_target(self):
        return get_for_org_or_404(Removal, org=self.org, pk=self.kwargs["removal_id"])

    def person_id(self) -> int:
        return self.target.membership.person_id

    def subject(self) -> str:
        r = self.target
        to = f"; appeal in writing to the {r.appeal_to}" if r.appeal_to else "; no appeal provided"
        final = ", whose decision is final" if r.appeal_final else ""
        return f"{r.membership.person.full_name}, removed {r.decided_on:%d %b %Y}{to}{final}."

    def perform(self, data):
        services.removal_appeal_decide(removal=self.target, by=self.request.user, **data)


class ElectionView(OfficerActionView):
    form_class = forms.ElectionForm
    title = "Record a chair or vice-chair election"
    success_message = "Election recorded."

    def get_target(self):
        return access_panel_by_slug(org=self.org, panel_slug=self.kwargs["panel_slug"])

    def subject(self) -> str:
        return self.target.name

    def get_success_url(self) -> str:
        return reverse(
            "members:roster", kwargs={"org_slug": self.org.slug, "panel_slug": self.target.slug}
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "seats": selectors.current_seats(panel=self.target)}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.chair_election_record(
                panel=self.target,
                role=data["role"],
                held_on=data["held_on"],
                elected=data["elected"],
                votes=form.votes(),
                votes_cast=data["votes_cast"] or 0,
                by=self.request.user,
            )
        except RuleViolation as exc:
            exc.add_to_form(form)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


# --- Recruitment -------------------------------------------------------------------------


class ApplicationDetailView(OfficerAccessMixin, TemplateView):
    template_name = "members/application_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["application"] = selectors.application_detail(
            org=self.org, application_id=self.kwargs["application_id"]
        )
        return context


class ApplicationActionView(OfficerActionView):
    def get_target(self):
        return get_for_org_or_404(Application, org=self.org, pk=self.kwargs["application_id"])

    def subject(self) -> str:
        a = self.target
        return f"{a.person.full_name}: application to {a.panel.name}, {a.get_status_display()}"

    def get_success_url(self) -> str:
        return reverse(
            "members:application",
            kwargs={"org_slug": self.org.slug, "application_id": self.target.pk},
        )


class RecruitmentStepView(ApplicationActionView):
    form_class = forms.RecruitmentStepForm
    title = "Record a recruitment step"
    success_message = "Step recorded."

    def get_form_kwargs(self):
        seats = selectors.current_seats(panel=self.target.panel)
        return {**super().get_form_kwargs(), "seats": seats}

    def perform(self, data):
        services.application_record_step(application=self.target, by=self.request.user, **data)


class ApplicationDecideView(ApplicationActionView):
    form_class = forms.ApplicationDecideForm
    title = "Record the outcome"
    success_message = "Outcome recorded."

    def perform(self, data):
        services.application_decide(application=self.target, by=self.request.user, **data)


class ApplicationAppointView(ApplicationActionView):
    form_class = forms.ApplicationAppointForm
    title = "Appoint the selected applicant"
    success_message = "Appointed."

    def get_initial(self):
        return {"role": self.target.seat_role}

    def perform(self, data):
        services.membership_appoint(
            panel=self.target.panel,
            person=self.target.person,
            application=self.target,
            by=self.request.user,
            **data,
        )


# --- Money ---------------------------------------------------------------------------------


class ExpenseQueueView(OfficerAccessMixin, ListView):
    template_name = "members/expenses.html"
    context_object_name = "claims"
    paginate_by = 50

    def get_queryset(self):
        return selectors.expense_queue(org=self.org)


class ExpenseDecideView(OfficerActionView):
    form_class = forms.ExpenseDecideForm
    title = "Approve or refuse an expense claim"
    success_message = "Decision recorded."

    def get_target(self):
        return get_for_org_or_404(ExpenseClaim, org=self.org, pk=self.kwargs["expense_claim_id"])

    def person_id(self) -> int:
        return self.target.membership.person_id

    def subject(self) -> str:
        c = self.target
        receipt = "receipt attached" if c.receipt else "no receipt"
        return (
            f"{c.membership.person.full_name}: £{c.amount} on {c.incurred_on:%d %b %Y}, "
            f"{c.description} ({receipt})"
        )

    def get_success_url(self) -> str:
        return reverse("members:expenses", kwargs={"org_slug": self.org.slug})

    def perform(self, data):
        services.expense_claim_decide(claim=self.target, by=self.request.user, **data)


class PanelPaymentsView(OfficerAccessMixin, TemplateView):
    """Every member's statement for a year: attendance, remuneration, vouchers, expenses."""

    template_name = "members/payments.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        panel = access_panel_by_slug(org=self.org, panel_slug=self.kwargs["panel_slug"])
        year = self.kwargs.get("year") or timezone.localdate().year
        context.update(
            panel=panel,
            year=year,
            statements=selectors.panel_statements(panel=panel, year=year),
            meetings=selectors.held_meetings(panel=panel, year=year),
        )
        return context


class PapersReadView(OfficerActionView):
    form_class = forms.PapersReadForm
    title = "Papers read before the meeting"
    success_message = "Papers read recorded."

    def get_target(self):
        return selectors.meeting_for_papers(org=self.org, meeting_id=self.kwargs["meeting_id"])

    def subject(self) -> str:
        m = self.target
        return f"{m.panel.name}, meeting of {m.date:%d %b %Y}"

    def get_initial(self):
        return {"read": list(self.target.read_ids)}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "present": self.target.present_seats}

    def get_success_url(self) -> str:
        return reverse(
            "members:payments",
            kwargs={"org_slug": self.org.slug, "panel_slug": self.target.panel.slug},
        )

    def perform(self, data):
        services.papers_read_record(
            meeting=self.target,
            read_membership_ids=[m.pk for m in data["read"]],
            on=timezone.localdate(),
            by=self.request.user,
        )
