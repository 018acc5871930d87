"""Django admin for officers: only their organisations' rows; a superuser sees all.

The middleware already runs /admin/ inside a scope of the user's organisations;
TenantAdmin also filters explicitly and limits every organisation choice. Users are
chosen only among the people of those organisations (autocomplete, scoped), and every
"recorded by" field is the server's to set: read-only here, the signed-in user on add.
Rows that a terms-of-reference rule governs are read-only (RuleGovernedAdmin): they change
on the officer pages, through the services that apply the rules and explain refusals.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from panels.models import Organisation
from panels.selectors import organisations_administered_by


def admin_organisations(request):
    if request.user.is_superuser:
        return Organisation.objects.all()
    return organisations_administered_by(request.user)


def admin_users(request):
    """The users an admin user may pick: people holding a role in one of their
    organisations (every user for a superuser)."""
    users = get_user_model().objects.all()
    if request.user.is_superuser:
        return users
    return users.filter(
        organisation_roles__organisation__in=admin_organisations(request)
    ).distinct()


def user_fields(model) -> list[str]:
    user_model = get_user_model()
    return [
        f.name
        for f in model._meta.fields
        if isinstance(f, models.ForeignKey) and f.related_model is user_model
    ]


SAVE_CONFLICT = (
    "Not saved: someone else saved a {name} with the same details at the same moment, so "
    "this one would have been a duplicate. Check the list, then save again if it is still "
    "needed."
)


class SaveConflictAdminMixin:
    """Two people adding (or changing) the same row at once both pass the form's uniqueness
    check; the second save then breaks a unique constraint. Instead of a 500, the form
    comes back with what was typed and the reason, as any refused form does. The first
    attempt's transaction was rolled back, so the form is shown again from scratch: its own
    check now finds the other row where it can, and the reason above is added either way."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if getattr(request, "panelhub_save_conflict", False):
                raise
            request.panelhub_save_conflict = True
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not getattr(request, "panelhub_save_conflict", False):
            return form
        message = SAVE_CONFLICT.format(name=self.model._meta.verbose_name)

        class ConflictForm(form):
            def clean(self):
                cleaned = super().clean()
                self.add_error(None, message)
                return cleaned

        return ConflictForm


class TenantAdmin(SaveConflictAdminMixin, admin.ModelAdmin):
    # User fields an officer chooses (scoped autocomplete); every other user field is an
    # audit field: read-only, and those in set_by_server_on_add become the signed-in user.
    user_pickers: tuple[str, ...] = ()
    set_by_server_on_add: tuple[str, ...] = ()

    def get_autocomplete_fields(self, request):
        return [*super().get_autocomplete_fields(request), *self.user_pickers]

    def get_readonly_fields(self, request, obj=None):
        audit = [name for name in user_fields(self.model) if name not in self.user_pickers]
        return [*super().get_readonly_fields(request, obj), *audit]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.for_org(list(admin_organisations(request)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = admin_organisations(request)
        elif db_field.related_model is get_user_model():
            kwargs["queryset"] = admin_users(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            for name in self.set_by_server_on_add:
                setattr(obj, name, request.user)
        super().save_model(request, obj, form, change)

    def _is_staff_of_some_organisation(self, request) -> bool:
        return request.user.is_superuser or admin_organisations(request).exists()

    def has_module_permission(self, request):
        return (
            request.user.is_active
            and request.user.is_staff
            and self._is_staff_of_some_organisation(request)
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class RuleGovernedAdmin(TenantAdmin):
    """Rows a terms-of-reference rule governs (seats, terms, chairs, reviews, responses...):
    read here, changed only on the officer pages through the services, which apply the
    panel's rules and explain every refusal. ``officer_page`` names where."""

    officer_page: str = ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "where_to_change"]

    @admin.display(description="Where to change this")
    def where_to_change(self, obj):
        url = self.officer_page_url(obj) if obj is not None else None
        text = "On the officer pages, where the panel's terms of reference are applied."
        return format_html('{} <a href="{}">Open</a>', text, url) if url else text

    def officer_page_url(self, obj) -> str | None:
        if not self.officer_page:
            return None
        try:
            return reverse(self.officer_page, kwargs=self.officer_page_kwargs(obj))
        except NoReverseMatch:
            return None

    def officer_page_kwargs(self, obj) -> dict:
        return {"org_slug": obj.organisation.slug}
