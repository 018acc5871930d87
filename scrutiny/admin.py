"""Scrutiny rows in the Django admin, for officers of their own organisations only, and
read-only: every scrutiny change goes through scrutiny.services on the officer pages, which
apply the panel's terms of reference (reviews a year, written Board responses, escalation
steps, champions, Notice to Act...) and explain refusals."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from panels.admin_base import RuleGovernedAdmin
from scrutiny import models


class ScrutinyAdmin(RuleGovernedAdmin):
    officer_page = "scrutiny:index"


@admin.register(models.Measure)
class MeasureAdmin(ScrutinyAdmin):
    list_display = ["code", "name", "panel", "target", "tolerance", "polarity", "period"]
    list_filter = ["period", "polarity"]
    search_fields = ["code", "name"]


@admin.register(models.MeasureResult)
class MeasureResultAdmin(ScrutinyAdmin):
    list_display = ["measure", "period_start", "value", "source"]
    list_select_related = ["measure"]


@admin.register(models.EvidenceItem)
class EvidenceItemAdmin(ScrutinyAdmin):
    """Files are added on the evidence page (content checked) and read through its download
    view (permission checked); the admin never links to storage."""

    list_display = ["title", "kind", "dated", "panel", "is_confidential"]
    list_filter = ["kind"]
    exclude = ["file"]
    readonly_fields = ["stored_file", "original_name", "added_by", "created_at"]

    @admin.display(description="File")
    def stored_file(self, obj):
        if obj is None or not obj.file:
            return "No file"
        url = reverse(
            "scrutiny:evidence_file",
            kwargs={"org_slug": obj.organisation.slug, "evidence_item_id": obj.pk},
        )
        return format_html('<a href="{}">{}</a>', url, obj.original_name or "download")


class RecommendationInline(admin.TabularInline):
    model = models.Recommendation
    extra = 0
    fields = ["number", "text", "response_due_on"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.ServiceReview)
class ServiceReviewAdmin(ScrutinyAdmin):
    list_display = ["title", "panel", "topic_source", "stage", "proposed_on", "reported_on"]
    list_filter = ["stage", "topic_source"]
    inlines = [RecommendationInline]


@admin.register(models.BoardResponse)
class BoardResponseAdmin(ScrutinyAdmin):
    list_display = ["recommendation", "decision", "responded_on"]


@admin.register(models.ImprovementAction)
class ImprovementActionAdmin(ScrutinyAdmin):
    list_display = ["description", "owner", "due_on", "status"]
    list_filter = ["status"]


@admin.register(models.Escalation)
class EscalationAdmin(ScrutinyAdmin):
    list_display = ["review", "raised_on", "status"]


@admin.register(models.WorkPlanPriority)
class WorkPlanPriorityAdmin(ScrutinyAdmin):
    list_display = ["title", "panel", "year", "status", "review_due_on"]


@admin.register(models.NeighbourhoodBudget)
class NeighbourhoodBudgetAdmin(ScrutinyAdmin):
    list_display = ["panel", "year", "total"]


@admin.register(models.SubGroup)
class SubGroupAdmin(ScrutinyAdmin):
    list_display = ["name", "kind", "panel", "formed_on"]


@admin.register(models.PolicyReview)
class PolicyReviewAdmin(ScrutinyAdmin):
    list_display = ["title", "panel", "presented_on", "outcome"]


@admin.register(models.NoticeToAct)
class NoticeToActAdmin(ScrutinyAdmin):
    list_display = ["panel", "served_on", "status", "answered_on"]
