"""Helpers the meetings pages of every audience share (public, member, officer), so the
audience modules import this one and never each other."""

import datetime

from django.urls import reverse
from django.utils import timezone


def _today() -> datetime.date:
    return timezone.localdate()


def paper_url_for(request, org):
    """paper -> the paper's absolute download address (printed in the pack's contents)."""

    def url(paper) -> str:
        return request.build_absolute_uri(
            reverse("meetings:paper", kwargs={"org_slug": org.slug, "paper_id": paper.pk})
        )

    return url
