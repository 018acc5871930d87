"""Receivers that keep the ledger in step with its subjects, inside the transaction of the
change: a meeting moved or cancelled, a seat's term changed, a new ToR version."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from notices.planning import REGISTRY, TRIGGERS


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: fixtures are not changes anyone made
        return
    from notices.services import subject_changed

    subject_changed(instance=instance)


def _deleted(sender, instance, **kwargs):
    from notices.services import notices_withdraw_for_subject

    notices_withdraw_for_subject(subject=instance, reason="What it was about was deleted.")


def connect_receivers() -> list[str]:
    """Connect every registered model that exists (apps still being built are skipped and
    wired by the next start). Returns the labels wired."""
    wired = []
    hooked = {label for label, entry in REGISTRY.items() if entry.hook} | set(TRIGGERS)
    for label in sorted(hooked):
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        post_save.connect(_saved, sender=model, dispatch_uid=f"notices-save-{label}")
        if label in REGISTRY:
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"notices-delete-{label}")
        wired.append(label)
    return wired
