"""Helpers shared by the scrutiny services: the rule sources, the organisation, review locks."""

from __future__ import annotations

from panels.models import Panel
from scrutiny.models import ServiceReview

# Where the rules that are PanelHub's own (not a ToR's) come from, for messages.
SCRUTINY_RULES = "PanelHub scrutiny rules"


def _org(panel: Panel):
    return panel.organisation


def _locked_review(review: ServiceReview) -> ServiceReview:
    return (
        ServiceReview.objects.for_org(review.organisation_id).select_for_update().get(pk=review.pk)
    )
