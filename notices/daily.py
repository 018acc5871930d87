"""The daily planner: re-plans every subject whose notices depend on the date (terms
ending, reviews due, cadence at risk, deadlines passing) and records breaches."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import transaction

from notices.planning import REGISTRY
from notices.services import breaches_sync, notices_sync
from panels.models import Organisation
from panels.tenancy import org_scope


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        return False
    return True


def plan_daily(*, today: datetime.date) -> dict:
    counts = {"subjects": 0, "created": 0, "withdrawn": 0, "breaches": 0}
    for org in Organisation.objects.order_by("pk"):
        with org_scope(org):
            for label, entry in REGISTRY.items():
                if entry.daily is None or not _model_exists(label):
                    continue
                for subject in entry.daily(org, today):
                    with transaction.atomic():
                        result = notices_sync(subject=subject, today=today)
                        counts["breaches"] += len(breaches_sync(subject=subject, today=today))
                    counts["subjects"] += 1
                    counts["created"] += result.created
                    counts["withdrawn"] += result.withdrawn
    return counts
