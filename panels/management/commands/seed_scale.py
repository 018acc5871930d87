import datetime
import time
from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from panels.demo import DEMO_APPS
from panels.models import Organisation
from panels.scale import SCALE_PASSWORD, ScalePlan, password_hash, scale_email, seed_org
from panels.tenancy import org_scope

COUNTS = ("orgs", "panels", "members", "years")


class Command(BaseCommand):
    help = (
        "Create landlord-sized data for benchmarks: organisations built like the five seeded "
        "terms of reference, with panels, members, meetings, registers, motions, minutes, "
        "measures, reviews, notices and breaches, by bulk inserts. The same --seed and "
        "--base-date give the same data; organisations that exist are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=20, help="Organisations (default 20).")
        parser.add_argument(
            "--panels", type=int, default=60, help="Panels in all, split across organisations."
        )
        parser.add_argument(
            "--members",
            type=int,
            default=1000,
            help="People with a seat in all, split across panels (current seats up to each "
            "ToR's maximum, the rest ended during the history).",
        )
        parser.add_argument("--years", type=int, default=3, help="Years of history (default 3).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--base-date",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the history ends and the future begins, YYYY-MM-DD (default today). "
            "Fix it to get the same data on another day.",
        )
        parser.add_argument(
            "--prefix",
            default="scale",
            help="Organisation slugs are <prefix>-001, <prefix>-002... (default scale).",
        )

    def handle(self, *args, **options):
        for name in COUNTS:
            if options[name] <= 0:
                raise CommandError(
                    f"--{name} must be a positive whole number, not {options[name]}."
                )
        if options["panels"] < options["orgs"]:
            raise CommandError(
                f"--panels ({options['panels']}) must be at least --orgs ({options['orgs']}): "
                "every organisation has a panel."
            )
        if not options["prefix"].replace("-", "").isalnum() or not options["prefix"].islower():
            raise CommandError("--prefix must be lower-case letters, digits and hyphens.")
        plan = ScalePlan(
            orgs=options["orgs"],
            panels=options["panels"],
            members=options["members"],
            years=options["years"],
            seed=options["seed"],
            base_date=options["base_date"] or timezone.localdate(),
            prefix=options["prefix"],
            password_hash=password_hash(),
        )
        apps = [
            import_module(f"{app}.scale")
            for app in DEMO_APPS[1:]
            if find_spec(f"{app}.scale") is not None
        ]
        started = time.monotonic()
        made = skipped = 0
        with scopes_disabled():
            existing = set(
                Organisation.objects.filter(slug__startswith=f"{plan.prefix}-").values_list(
                    "slug", flat=True
                )
            )
        for index in range(plan.orgs):
            slug = plan.org_slug(index)
            if slug in existing:
                skipped += 1
                continue
            # One organisation per transaction: an interrupted run leaves whole ones only.
            with transaction.atomic(), scopes_disabled():
                org = seed_org(plan, index)
                with org_scope(org):
                    for module in apps:
                        module.seed_org(plan, org, index)
            made += 1
            self.stdout.write(f"  {slug}: {org.name} ({time.monotonic() - started:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_scale: {made} organisation(s) made, {skipped} already there, "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
        if made:
            self.stdout.write(
                f"Sign-ins (password {SCALE_PASSWORD}): "
                f"{scale_email(plan.org_slug(0), 'officer1')}, "
                f"{scale_email(plan.org_slug(0), 'board1')}, "
                f"{scale_email(plan.org_slug(0), 'member1')}..."
            )
