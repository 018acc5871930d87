"""Officer pages: the notice ledger (with Send again), the print queue, a panel's
compliance page."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from members.models import Person
from notices.forms import PersonNoticePreferenceForm
from notices.models import Letter, Notice
from notices.selectors import (
    breaches_for_panel,
    letter_queue,
    notice_counts,
    notice_list_for_officers,
    preference_initial,
)
from notices.services import letter_mark_printed, notice_preference_save, notice_retry
from panels.access import (
    OfficerAccessMixin,
    PolicyAccessMixin,
    access_panel_by_slug,
    access_row,
)
from panels.errors import RuleViolation
from panels.files import file_response
from panels.selectors import panel_list
from panels.tenancy import get_for_org_or_404

PAGE_ROWS = 200
STATUS_FILTERS = ["open", "failed", "uncertain", "sent", "withdrawn"]


class NoticeListView(OfficerAccessMixin, TemplateView):
    """What is waiting, what went and what failed (with Send again)."""

    template_name = "notices/officer_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "open")
        if status not in STATUS_FILTERS:
            status = "open"
        context.update(
            status=status,
            filters=STATUS_FILTERS,
            counts=notice_counts(org=self.org),
            notices=list(notice_list_for_officers(org=self.org, status=status)[:PAGE_ROWS]),
            page_rows=PAGE_ROWS,
            panels=list(panel_list(org=self.org)),
        )
        return context


class NoticeRetryView(OfficerAccessMixin, View):
    """Send again. A failed notice goes at once; an interrupted one (uncertain, or probably
    delivered) first shows what is known and asks the officer to confirm."""

    model = Notice

    def post(self, request, *args, **kwargs):
        notice = get_for_org_or_404(Notice, org=self.org, pk=kwargs["notice_id"])
        listing = reverse("notices:officer_list", kwargs={"org_slug": self.org.slug})
        back = f"{listing}?status={notice.status}"
        try:
            notice_retry(
                notice=notice, by=request.user, confirmed=request.POST.get("confirm") == "1"
            )
        except RuleViolation as exc:
            if exc.code == "notices.retry_needs_confirmation":
                return render(
                    request,
                    "notices/retry_confirm.html",
                    {"notice": notice, "reason": "; ".join(exc.messages), "back": back},
                )
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, f"“{notice.title}” will be sent again now.")
        return redirect(back)


class PrintQueueView(OfficerAccessMixin, TemplateView):
    template_name = "notices/print_queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letters = list(letter_queue(org=self.org)[:PAGE_ROWS])
        context["to_print"] = [x for x in letters if x.printed_at is None]
        context["printed"] = [x for x in letters if x.printed_at is not None]
        return context


class LetterPdfView(PolicyAccessMixin, View):
    model = Letter
    policy = ("letter", "download")

    def get(self, request, *args, **kwargs):
        letter = access_row(
            Letter, request=request, subject="letter", action="download", pk=kwargs["letter_id"]
        )
        if not letter.pdf:
            raise Http404("No letter here.")
        return file_response(
            fieldfile=letter.pdf,
            filename=f"notice-{letter.notice_id}.pdf",
            missing="This letter's PDF is missing from storage: send the notice again "
            "to make a new letter.",
        )


class LetterPrintedView(OfficerAccessMixin, View):
    model = Letter

    def post(self, request, *args, **kwargs):
        letter = get_for_org_or_404(Letter, org=self.org, pk=kwargs["letter_id"])
        try:
            letter_mark_printed(letter=letter, by=request.user)
        except RuleViolation as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, "Marked as printed and posted.")
        return redirect("notices:print_queue", org_slug=self.org.slug)


class ComplianceView(OfficerAccessMixin, TemplateView):
    """Which ToR promises the panel kept: breaches recorded, by year."""

    template_name = "notices/compliance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        panel = access_panel_by_slug(org=self.org, panel_slug=kwargs["panel_slug"])
        try:
            year = int(self.request.GET.get("year", timezone.localdate().year))
        except ValueError:
            year = timezone.localdate().year
        breaches = list(
            breaches_for_panel(
                panel=panel, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
            )
        )
        context.update(
            panel=panel,
            year=year,
            breaches=breaches,
            unresolved=[b for b in breaches if b.done_on is None],
        )
        return context


class PersonPreferencesView(OfficerAccessMixin, FormView):
    """An officer sets how a member gets notices and papers, and large print, for them (a
    member without the web, or who asked by phone). Their pending notices are re-planned."""

    template_name = "members/action_form.html"
    form_class = PersonNoticePreferenceForm

    def dispatch(self, request, *args, **kwargs):
        self.person = None
        return super().dispatch(request, *args, **kwargs)

    def _target(self):
        if self.person is None:
            self.person = get_for_org_or_404(Person, org=self.org, pk=self.kwargs["person_id"])
        return self.person

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self._target()}

    def get_initial(self):
        return preference_initial(org=self.org, person=self._target())

    def _back(self) -> str:
        return reverse(
            "members:person", kwargs={"org_slug": self.org.slug, "person_id": self._target().pk}
        )

    def get_context_data(self, **kwargs):
        person = self._target()
        return super().get_context_data(
            title="Notices and papers",
            subject=person.full_name,
            back_url=self._back(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            notice_preference_save(
                person=self._target(),
                channel=form.cleaned_data["channel"],
                digest=form.cleaned_data["digest"],
                large_print=form.cleaned_data["large_print"],
                by=self.request.user,
            )
        except RuleViolation as exc:
            exc.add_to_form(form)
            return self.form_invalid(form)
        messages.success(
            self.request, f"Saved how {self._target().full_name} gets notices and papers."
        )
        return redirect(self._back())
