"""Django admin for officers: only their organisations' rows; a superuser sees all.

The middleware already runs /admin/ inside a scope of the user's organisations;
TenantAdmin also filters explicitly and limits every organisation choice.
"""

from django.contrib import admin

from panels.models import Organisation
from panels.selectors import organisations_administered_by


def admin_organisations(request):
    if request.user.is_superuser:
        return Organisation.objects.all()
    return organisations_administered_by(request.user)


class TenantAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.for_org(list(admin_organisations(request)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = admin_organisations(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
