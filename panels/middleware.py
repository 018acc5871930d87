"""Resolve the organisation once, at the edge (as Sentry's convert_args does).

Requests under ``/<org_slug>/`` (pages) and ``/api/v1/<org_slug>/`` (API) get
``request.organisation`` and ``request.org_roles`` and run inside
``scope(organisation=org)``; an unknown slug answers 404. The Django admin runs
scoped to the organisations where the user is an officer or admin (a superuser
sees all). Everything else runs with no organisation scope, so a tenant-owned
query there raises instead of leaking.
"""

from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.functional import SimpleLazyObject
from django_scopes import scope, scopes_disabled

from panels.models import Organisation
from panels.selectors import organisation_roles, organisations_administered_by


class OrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = None
        request.org_roles = frozenset()
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)

        org_slug = match.kwargs.get("org_slug")
        if org_slug is not None:
            org = Organisation.objects.filter(slug=org_slug).first()
            if org is None:
                raise Http404("No such organisation.")
            request.organisation = org
            request.org_roles = SimpleLazyObject(lambda: organisation_roles(request.user, org))
            with scope(organisation=org):
                return self.get_response(request)

        if match.namespace == "admin" or match.app_name == "admin":
            user = request.user
            if user.is_authenticated and user.is_superuser:
                with scopes_disabled():
                    return self.get_response(request)
            orgs = organisations_administered_by(user) if user.is_authenticated else []
            with scope(organisation=list(orgs)):
                return self.get_response(request)

        return self.get_response(request)
