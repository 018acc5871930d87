"""Officer pages: write the narrative and generate a report; publish annual reports."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView

from panels.access import OfficerAccessMixin
from panels.errors import RuleViolation
from panels.selectors import panel_list
from panels.tenancy import get_for_org_or_404
from reports.forms import ReportRequestForm
from reports.models import Report
from reports.services import narrative_save, report_publish, report_request, report_sign_off

NARRATIVE_FIELDS = ["summary", "asks_of_board", "outcomes_and_impact", "topics_chosen_and_why"]


class ReportRequestView(OfficerAccessMixin, FormView):
    template_name = "reports/report_request.html"
    form_class = ReportRequestForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "panels": panel_list(org=self.org)}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            narrative_save(
                panel=data["panel"],
                kind=data["kind"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                values={f: data[f] for f in NARRATIVE_FIELDS},
                by=self.request.user,
            )
            report = report_request(
                panel=data["panel"],
                kind=data["kind"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                by=self.request.user,
                new_version=data.get("new_version", False),
            )
        except RuleViolation as violation:
            violation.add_to_form(form)
            return self.form_invalid(form)
        messages.success(self.request, "The report is being generated.")
        return redirect("reports:detail", org_slug=self.org.slug, report_id=report.pk)


class ReportPublishView(OfficerAccessMixin, View):
    """Sign a generated report off (sign_off=1), then publish or withdraw it (publish=1/0)."""

    def post(self, request, *args, **kwargs):
        report = get_for_org_or_404(Report, org=self.org, pk=kwargs["report_id"])
        if request.POST.get("sign_off") == "1":
            try:
                report_sign_off(report=report, by=request.user)
            except RuleViolation as violation:
                for text in violation.messages:
                    messages.error(request, text)
            else:
                messages.success(request, "Signed off.")
            return redirect("reports:detail", org_slug=self.org.slug, report_id=report.pk)
        publish = request.POST.get("publish") == "1"
        try:
            report_publish(report=report, publish=publish, by=request.user)
        except RuleViolation as violation:
            for text in violation.messages:
                messages.error(request, text)
        else:
            messages.success(
                request,
                "Published on the public page." if publish else "Removed from the public page.",
            )
        return redirect("reports:detail", org_slug=self.org.slug, report_id=report.pk)
