"""Demo data: a subject access request answered last month in each organisation."""

import datetime

from django.utils import timezone

from members.models import Person
from panels.demo import DEMO_ORGANISATIONS
from panels.models import Organisation
from panels.tenancy import org_scope
from privacy.models import ExportStatus, SubjectAccessExport


def seed() -> None:
    now = timezone.now()
    for spec in DEMO_ORGANISATIONS:
        org = Organisation.objects.get(slug=spec.slug)
        with org_scope(org):
            if SubjectAccessExport.objects.for_org(org).exists():
                continue
            person = Person.objects.for_org(org).order_by("pk").first()
            if person is None:
                continue
            built = now - datetime.timedelta(days=30)
            SubjectAccessExport.objects.create(
                organisation=org,
                person=person,
                status=ExportStatus.DOWNLOADED,
                size=48213,
                counts={"People": 1, "Memberships": 1},
                built_at=built,
                expires_at=built + datetime.timedelta(days=7),
                downloaded_at=built + datetime.timedelta(hours=2),
            )
