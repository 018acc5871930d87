"""Helpers every planner module shares (planners, planners_members, planners_scrutiny). It
imports none of them, so they import it and never each other."""

from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from notices.planning import Recipient


def _link(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _officers(org) -> list[Recipient]:
    from notices.selectors import officer_recipients

    return officer_recipients(org=org)
