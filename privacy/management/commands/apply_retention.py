"""manage.py apply_retention [--org SLUG]: the nightly retention run, now (without beat)."""

from django.core.management.base import BaseCommand, CommandError

from panels.models import Organisation
from panels.tenancy import org_scope
from privacy.retention import retention_apply


class Command(BaseCommand):
    help = "Anonymise or delete what has passed its retention period, as the nightly task does."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="Only this organisation (its slug).")

    def handle(self, *args, **options):
        organisations = Organisation.objects.order_by("pk")
        if options["org"]:
            organisations = organisations.filter(slug=options["org"])
            if not organisations.exists():
                raise CommandError(f"No organisation with the slug {options['org']!r}.")
        for org in organisations:
            with org_scope(org):
                run = retention_apply(org=org)
            done = ", ".join(f"{k} {n}" for k, n in run.counts.items() if n) or "nothing due"
            self.stdout.write(f"{org.slug}: {run.total} anonymised or deleted ({done})")
