"""Site-wide lookups for pages outside any organisation (sign-in, password reset)."""

from django import template

register = template.Library()


@register.simple_tag
def organisations_with_help():
    """Every organisation, for "contact your engagement officer" on pages where we do not
    know the visitor's organisation yet. Organisations are not tenant-owned rows."""
    from panels.models import Organisation

    return list(Organisation.objects.order_by("name").only("slug", "name", "short_name"))
