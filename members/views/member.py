"""The signed-in member's own membership and expense claims."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from members import selectors, services
from members.forms import ExpenseClaimForm
from panels.access import MemberAccessMixin, PolicyAccessMixin
from panels.errors import RuleViolation
from panels.files import file_response
from panels.idempotency import AlreadySubmitted, submitted_once


def _year(value) -> int:
    """The statement year asked for (?year=), else this year."""
    this_year = timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        return this_year
    return year if 2000 <= year <= this_year else this_year


class MyMembershipView(MemberAccessMixin, TemplateView):
    template_name = "members/my_membership.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = selectors.person_for_user(org=self.org, user=self.request.user)
        context["person"] = person
        if person is not None:
            history = selectors.person_history(person=person)
            context.update(history)
            year = _year(self.request.GET.get("year"))
            context["year"] = year
            context["statements"] = selectors.statements_for(
                memberships=[m for m in history["memberships"] if m.is_current], year=year
            )
        return context


class PaymentMethodView(MemberAccessMixin, View):
    """The member chooses how they are paid (POST only), among the methods their seat's
    terms of reference allow; back to My membership with the outcome."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        person = selectors.person_for_user(org=self.org, user=request.user)
        if person is None:
            raise Http404("No resident record for this account.")
        today = timezone.localdate()
        memberships = selectors.person_history(person=person)["memberships"]
        statements = selectors.statements_for(
            memberships=[m for m in memberships if m.is_current], year=today.year
        )
        allowed = sorted({code for s in statements for code, _label in s.payment_methods})
        try:
            services.person_payment_method_choose(
                person=person,
                method=request.POST.get("payment_method", ""),
                allowed=allowed,
                by=request.user,
            )
        except RuleViolation as exc:
            for reason in exc.reasons:
                messages.error(request, reason.message)
        else:
            messages.success(request, "Thank you: we will pay you that way.")
        return redirect(reverse("members:mine", kwargs={"org_slug": self.org.slug}) + "#paid-by")


class ExpenseSubmitView(MemberAccessMixin, FormView):
    """A member claims out-of-pocket expenses for one of their own seats, with a receipt."""

    template_name = "members/action_form.html"
    form_class = ExpenseClaimForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title="Claim expenses",
            subject="Out-of-pocket expenses for panel work, with the receipt.",
            back_url=reverse("members:mine", kwargs={"org_slug": self.org.slug}),
        )
        return context

    def _person(self):
        person = selectors.person_for_user(org=self.org, user=self.request.user)
        if person is None:
            raise Http404("Your account is not linked to a resident record here.")
        return person

    def get(self, request, *args, **kwargs):
        self.person = self._person()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.person = self._person()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "seats": selectors.own_seats(person=self.person)}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            with submitted_once(form):  # a double submit makes one claim
                services.expense_claim_submit(
                    membership=data.pop("membership"), by=self.request.user, **data
                )
        except AlreadySubmitted as done:
            messages.info(self.request, str(done))
            return redirect("members:mine", org_slug=self.org.slug)
        except RuleViolation as exc:
            exc.add_to_form(form)
            return self.form_invalid(form)
        messages.success(self.request, "Thank you: your claim has been sent for approval.")
        return redirect("members:mine", org_slug=self.org.slug)


class ExpenseReceiptView(PolicyAccessMixin, View):
    """The receipt of a claim, for officers and for the member who claimed."""

    policy = ("expense_claim", "view")

    def get(self, request, *args, **kwargs):
        claim = selectors.expense_claim_for_viewer(
            org=self.org, expense_claim_id=kwargs["expense_claim_id"], viewer=self.viewer
        )
        if not claim.receipt:
            raise Http404("This claim has no receipt.")
        return file_response(
            fieldfile=claim.receipt,
            filename=claim.receipt_name or claim.receipt.name.rsplit("/", 1)[-1],
            missing="The receipt of this claim is missing from storage: ask the member for "
            "a copy and record it with the claim.",
        )
