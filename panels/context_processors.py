from panels.models import STAFF_ROLES


def organisation(request):
    org = getattr(request, "organisation", None)
    roles = getattr(request, "org_roles", frozenset()) if org else frozenset()
    return {
        "org": org,
        "org_roles": roles,
        "is_org_staff": bool(org and set(roles) & STAFF_ROLES),
    }
