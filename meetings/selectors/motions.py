"""Motions as the apps above meetings read them (scrutiny serves a Notice to Act on a carried
notice_to_act motion)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from meetings.models import Motion, MotionOutcome
from panels.models import Organisation, Panel


def access_motion(*, org: Organisation, motion_id) -> Motion:
    """The organisation's motion with its meeting and panel, or the one 404."""
    try:
        return Motion.objects.for_org(org).select_related("meeting__panel").get(pk=motion_id)
    except (Motion.DoesNotExist, ValueError, TypeError):
        raise Http404("No motion here.") from None


def motion_lock(*, org, motion: Motion) -> Motion:
    """The motion again, locked for the transaction, with its meeting."""
    return (
        Motion.objects.for_org(org).select_for_update().select_related("meeting").get(pk=motion.pk)
    )


def motions_carried(*, org: Organisation, panel: Panel, kind: str) -> QuerySet[Motion]:
    """The panel's carried motions of a kind, latest meeting first."""
    return (
        Motion.objects.for_org(org)
        .filter(meeting__panel=panel, kind=kind, outcome=MotionOutcome.CARRIED)
        .select_related("meeting")
        .order_by("-meeting__date")
    )
