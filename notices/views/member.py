"""A member's pages: their notifications, and how they want notices sent."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView, TemplateView

from notices.forms import NoticePreferenceForm
from notices.models import Notification
from notices.selectors import notification_list, person_for_user, preference_initial
from notices.services import notice_preference_save, notification_mark_read
from panels.access import MemberAccessMixin
from panels.errors import RuleViolation
from panels.tenancy import get_for_org_or_404

INBOX_ROWS = 100


class InboxView(MemberAccessMixin, TemplateView):
    template_name = "notices/inbox.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notifications"] = list(
            notification_list(org=self.org, user=self.request.user)[:INBOX_ROWS]
        )
        return context


class NotificationReadView(MemberAccessMixin, View):
    model = Notification

    def post(self, request, *args, **kwargs):
        notification = get_for_org_or_404(
            Notification, org=self.org, pk=kwargs["notification_id"], user=request.user
        )
        notification_mark_read(notification=notification)
        return redirect("notices:inbox", org_slug=self.org.slug)


class PreferencesView(MemberAccessMixin, FormView):
    template_name = "notices/preferences.html"
    form_class = NoticePreferenceForm

    def dispatch(self, request, *args, **kwargs):
        self.person = None
        return super().dispatch(request, *args, **kwargs)

    def _person(self):
        if self.person is None:
            self.person = person_for_user(org=self.request.organisation, user=self.request.user)
        return self.person

    def get_initial(self):
        person = self._person()
        if person is None:
            return {}
        return preference_initial(org=self.org, person=person)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self._person()
        return context

    def form_valid(self, form):
        person = self._person()
        if person is None:
            messages.error(self.request, "There is no member record for your account here.")
            return redirect("notices:preferences", org_slug=self.org.slug)
        try:
            notice_preference_save(
                person=person,
                channel=form.cleaned_data["channel"],
                digest=form.cleaned_data["digest"],
                large_print=form.cleaned_data["large_print"],
                by=self.request.user,
            )
        except RuleViolation as exc:
            exc.add_to_form(form)
            return self.form_invalid(form)
        messages.success(self.request, "Your notice preferences are saved.")
        return redirect("notices:preferences", org_slug=self.org.slug)
