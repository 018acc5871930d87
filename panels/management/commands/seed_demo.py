from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from panels.demo import DEMO_PASSWORD, demo_sign_ins, seed_demo


class Command(BaseCommand):
    help = "Create the five demo organisations, their panels, people and data. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-sign-ins", action="store_true", help="Do not print sign-ins.")

    def handle(self, *args, **options):
        with scopes_disabled():
            seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        if not options["quiet_sign_ins"]:
            self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
            for label, email in demo_sign_ins():
                self.stdout.write(f"  {label:<40} {email}")
