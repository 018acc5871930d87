"""Draw every panel's measure charts into the shared cache (``scrutiny.draw_charts``).

Recording or importing results does this for its panel by itself; this command is for a
cache emptied or a chart style changed, and for data loaded in bulk (``seed_scale``):

    python manage.py draw_charts [--org SLUG ...]
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from panels.models import Organisation, Panel
from scrutiny.tasks import scrutiny_draw_charts


class Command(BaseCommand):
    help = "Draw every panel's measure charts into the shared cache."

    def add_arguments(self, parser):
        parser.add_argument(
            "--org", action="append", default=[], metavar="SLUG", help="Only this organisation."
        )

    def handle(self, *args, org, **options):
        started = time.monotonic()
        with scopes_disabled():
            panels = Panel.objects.order_by("organisation_id", "pk")
            if org:
                known = set(
                    Organisation.objects.filter(slug__in=org).values_list("slug", flat=True)
                )
                unknown = sorted(set(org) - known)
                if unknown:
                    raise CommandError(f"--org: no organisation {', '.join(unknown)}.")
                panels = panels.filter(organisation__slug__in=org)
            ids = list(panels.values_list("pk", flat=True))
        charts = sum(scrutiny_draw_charts(panel_id) for panel_id in ids)
        self.stdout.write(
            f"draw_charts: {charts} chart(s) of {len(ids)} panel(s) in the shared cache, "
            f"in {time.monotonic() - started:.1f} s."
        )
