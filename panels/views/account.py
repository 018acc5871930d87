"""Account pages that tighten django-allauth's defaults."""

from allauth.account.views import EmailView as AllauthEmailView
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class EmailView(AllauthEmailView):
    """allauth's email page, except that only a verified address can become the main one.

    allauth lets an account with no verified address make an unverified one primary; an
    unproved address must never become the one PanelHub writes to (issue 12)."""

    def _action_primary(self, request, *args, **kwargs):
        email_address = self._get_email_address(request)
        if email_address and not email_address.verified:
            messages.error(
                request,
                f"{email_address.email} is not verified yet: open the link we emailed to it "
                "(or send it again) before making it your main address.",
            )
            return None
        return super()._action_primary(request, *args, **kwargs)


class AccountHomeView(LoginRequiredMixin, TemplateView):
    """The signed-in person's own account: addresses, password, two-step sign-in, tokens."""

    template_name = "account/home.html"
