"""Demo notices for every demo organisation: the daily planner's notices and breaches, one
letter in the print queue and one notification for the demo member. Idempotent: dedupe
keys make every notice once, and a sent notice is never sent again."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from notices.daily import plan_daily
from notices.delivery import dispatch_due
from notices.models import Notice, NoticeChannel, NoticeKind
from notices.planning import person_recipient
from panels.demo import DEMO_ORGANISATIONS, demo_email, main_panel
from panels.models import Organisation, Role
from panels.tenancy import org_scope


def seed() -> None:
    from members.models import Person

    plan_daily(today=timezone.localdate())
    now = timezone.now()
    for spec in DEMO_ORGANISATIONS:
        org = Organisation.objects.get(slug=spec.slug)
        with org_scope(org):
            panel = main_panel(org)
            people = Person.objects.for_org(org).filter(memberships__panel=panel).distinct()
            by_post = people.filter(preferred_channel="post").exclude(address="").first()
            member = people.filter(email=demo_email(spec.slug, Role.MEMBER)).first()
            for key, person, channel in (
                ("letter", by_post, NoticeChannel.POST),
                ("welcome", member, NoticeChannel.EMAIL),
            ):
                if person is None:
                    continue
                _demo_notice(org, panel, person, key=key, channel=channel, now=now)
    dispatch_due()


def _demo_notice(org, panel, person, *, key, channel, now) -> None:
    recipient = person_recipient(person, required_channel=channel)
    Notice.objects.get_or_create(
        dedupe_key=f"demo|{org.slug}|{key}",
        defaults={
            "organisation": org,
            "panel": panel,
            "kind": NoticeKind.APOLOGIES_REMINDER,
            "subject_type": ContentType.objects.get_for_model(org),
            "subject_id": org.pk,
            "recipient_person_id": person.pk,
            "recipient_user_id": person.user_id,
            "recipient_name": recipient.name,
            "recipient_email": recipient.email,
            "recipient_address": recipient.address,
            "channel": recipient.channel,
            "channel_note": recipient.channel_note,
            "title": f"Welcome to notices from the {panel.name}",
            "body": (
                f"Dear {person.first_name},\n\nFrom now on PanelHub sends you the notices the "
                f"{panel.name}'s terms of reference promise: meeting dates, papers, minutes and "
                "reminders, by email or by post as you prefer."
            ),
            "due_at": now,
            "next_attempt_at": now,
        },
    )
