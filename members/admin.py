from django.contrib import admin

from members.models import Membership, Person
from panels.admin_base import TenantAdmin


@admin.register(Person)
class PersonAdmin(TenantAdmin):
    list_display = ["full_name", "organisation", "email", "tenure_type", "preferred_channel"]
    search_fields = ["first_name", "last_name", "email"]
    list_filter = ["tenure_type"]


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    list_display = ["person", "panel", "role", "status", "starts_on", "term_ends_on"]
    list_filter = ["role", "status"]
    list_select_related = ["person", "panel"]
