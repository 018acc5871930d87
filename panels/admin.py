from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.urls import reverse

from panels import files
from panels.admin_base import (
    SaveConflictAdminMixin,
    TenantAdmin,
    admin_organisations,
    admin_users,
)
from panels.audit import audit_record
from panels.errors import RuleViolation
from panels.models import (
    AuditEntry,
    ClosureDay,
    DeadlineRule,
    Organisation,
    OrganisationRole,
    Panel,
    Role,
    TermsOfReference,
    User,
)
from panels.services import closure_day_remove, role_revoke


@admin.register(User)
class UserAdmin(SaveConflictAdminMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=admin_users(request).values("pk"))

    def get_search_results(self, request, queryset, search_term):
        """The user pickers' search (autocomplete): an officer finds only people of their
        own organisations, whatever they type."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not request.user.is_superuser:
            queryset = queryset.filter(pk__in=admin_users(request).values("pk"))
        return queryset, may_have_duplicates

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        """Superusers manage accounts; an officer reads users only through the pickers."""
        if request.user.is_superuser:
            return True
        match = getattr(request, "resolver_match", None)
        return bool(
            match is not None
            and match.url_name == "autocomplete"
            and request.user.is_staff
            and admin_organisations(request).exists()
        )

    has_change_permission = has_add_permission = lambda self, request, obj=None: (
        request.user.is_superuser
    )


class OrganisationAdminForm(forms.ModelForm):
    """The logo is checked like every upload (PNG or JPEG by content, size limit) and its
    widget never links to storage."""

    logo = forms.FileField(required=False, widget=forms.FileInput, help_text=files.LOGO.help_text)

    class Meta:
        model = Organisation
        fields = ["name", "slug", "short_name", "nation", "website", "logo"]

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            try:
                kind = files.upload_check(
                    upload=upload, policy=files.LOGO, field="logo", label="Logo"
                )
            except RuleViolation as exc:
                raise forms.ValidationError(exc.messages) from None
            upload.name = f"logo.{kind.extension}"
        return upload


@admin.register(Organisation)
class OrganisationAdmin(SaveConflictAdminMixin, admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "slug", "nation"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return admin_organisations(request)

    def has_module_permission(self, request):
        return request.user.is_staff and admin_organisations(request).exists()

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(OrganisationRole)
class OrganisationRoleAdmin(SaveConflictAdminMixin, admin.ModelAdmin):
    """Roles are granted here to someone already in the organisation (newcomers are invited
    from the Access page, and accept with an account that proves their address) or revoked;
    never edited. Who granted a role is the server's to record, and every grant and
    revocation writes the same audit row as the Access page."""

    list_display = ["user", "organisation", "role", "granted_by", "granted_at"]
    list_filter = ["role"]
    fields = ["user", "organisation", "role", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("user", "organisation")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organisation__in=admin_organisations(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = admin_organisations(request)
        elif db_field.name == "user":
            kwargs["queryset"] = admin_users(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        superuser = request.user.is_superuser

        class RoleGrantForm(form):
            def clean(self):
                cleaned = super().clean()
                user, org = cleaned.get("user"), cleaned.get("organisation")
                if (
                    user is not None
                    and org is not None
                    and not superuser
                    and not OrganisationRole.objects.filter(user=user, organisation=org).exists()
                ):
                    raise forms.ValidationError(
                        f"{user.email} holds no role at {org.name} yet: invite them from the "
                        "Access page, so that they accept with an account that proves the "
                        "address."
                    )
                return cleaned

        return RoleGrantForm

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        obj.granted_by = request.user
        super().save_model(request, obj, form, change)
        if obj.role in (Role.OFFICER, Role.ADMIN) and not obj.user.is_staff:
            obj.user.is_staff = True  # officers use the Django admin for their organisation
            obj.user.save(update_fields=["is_staff"])
        audit_record(
            org=obj.organisation,
            actor=request.user,
            action="access.granted",
            obj=obj,
            after={"email": obj.user.email, "role": obj.role, "via": "admin"},
        )

    def delete_model(self, request, obj):
        role_revoke(org=obj.organisation, org_role=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for org_role in queryset.select_related("user", "organisation"):
            role_revoke(org=org_role.organisation, org_role=org_role, by=request.user)

    def has_module_permission(self, request):
        return request.user.is_staff and admin_organisations(request).exists()

    def has_change_permission(self, request, obj=None):
        return False  # a role is granted or revoked, never rewritten

    has_view_permission = has_add_permission = has_delete_permission = (
        lambda self, request, obj=None: self.has_module_permission(request)
    )


@admin.register(Panel)
class PanelAdmin(TenantAdmin):
    list_display = ["name", "organisation", "slug", "is_public"]
    list_filter = ["organisation"]


@admin.register(AuditEntry)
class AuditEntryAdmin(TenantAdmin):
    list_display = ["at", "organisation", "actor", "action", "object_repr"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeadlineRuleInline(admin.TabularInline):
    model = DeadlineRule
    fields = ["kind", "amount", "unit", "direction", "channel"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(TenantAdmin):
    """Versions are history: they are read here, never edited. A change is a new version,
    made on the officer page through panels.services.terms_revise (validated, audited)."""

    list_display = ["panel", "version", "effective_from", "review_due_on", "organisation"]
    list_filter = ["organisation"]
    list_select_related = ["panel", "organisation"]
    exclude = ["source_file"]  # shown as text; stored files are never linked from the admin
    inlines = [DeadlineRuleInline]
    change_form_template = "admin/panels/termsofreference/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        terms = self.get_object(request, object_id)
        if terms is not None:
            extra_context["revise_url"] = reverse(
                "panels:terms_revise",
                kwargs={"org_slug": terms.organisation.slug, "panel_slug": terms.panel.slug},
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ClosureDay)
class ClosureDayAdmin(TenantAdmin):
    list_display = ["date", "reason", "organisation"]
    list_filter = ["organisation"]
    date_hierarchy = "date"

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            org=obj.organisation,
            actor=request.user,
            action="closure_day.changed" if change else "closure_day.added",
            obj=obj,
            after={"date": obj.date.isoformat(), "reason": obj.reason},
        )

    def delete_model(self, request, obj):
        closure_day_remove(org=obj.organisation, closure_day=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for day in queryset:
            closure_day_remove(org=day.organisation, closure_day=day, by=request.user)
