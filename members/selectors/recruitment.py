"""Recruitment: the application queue and an application's detail."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from members.models import (
    Application,
    Membership,
    RecruitmentStep,
)
from panels.tenancy import get_for_org_or_404


def application_queue(*, org) -> QuerySet[Application]:
    return (
        Application.objects.for_org(org)
        .select_related("person", "panel", "vacancy")
        .order_by("status", "-submitted_on")
    )


def application_detail(*, org, application_id) -> Application:
    application = get_for_org_or_404(Application, org=org, pk=application_id)
    application.step_list = list(
        RecruitmentStep.objects.for_org(org)
        .filter(application=application)
        .prefetch_related(
            Prefetch(
                "panel_members",
                queryset=Membership.objects.for_org(org).select_related("person"),
            )
        )
    )
    return application
