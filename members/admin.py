from django.contrib import admin

from members.models import Membership, Person
from panels.admin_base import RuleGovernedAdmin, TenantAdmin


@admin.register(Person)
class PersonAdmin(TenantAdmin):
    list_display = ["full_name", "organisation", "email", "tenure_type", "preferred_channel"]
    search_fields = ["first_name", "last_name", "email"]
    list_filter = ["tenure_type"]
    user_pickers = ("user",)  # only people of the officer's organisations


@admin.register(Membership)
class MembershipAdmin(RuleGovernedAdmin):
    """Seats follow the panel's terms of reference (maximum members, one chair, term lengths
    and limits, appointment after selection): they are appointed, extended, re-appointed,
    changed and ended on the officer pages through members.services, never edited here."""

    list_display = ["person", "panel", "role", "status", "starts_on", "term_ends_on"]
    list_filter = ["role", "status"]
    list_select_related = ["person", "panel"]
    officer_page = "members:person"

    def officer_page_kwargs(self, obj) -> dict:
        return {"org_slug": obj.organisation.slug, "person_id": obj.person_id}
