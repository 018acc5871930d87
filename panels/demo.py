"""Demo data for the five organisations of SPEC.md. Every seeder is idempotent:
running the demo seed twice changes nothing."""

from dataclasses import dataclass

from django.db import models, transaction

from panels.models import Nation, Organisation, OrganisationRole, Panel, Role, User
from panels.tenancy import org_scope

DEMO_PASSWORD = "panelhub-demo"  # noqa: S105 - printed for the demo sign-ins
# Officers, admins, board members and the superuser must use two-step sign-in. Their demo
# accounts share this TOTP secret (base32; add it to any authenticator app), or print the
# current code with `make totp EMAIL=...` (manage.py demo_totp). Demo data only.
DEMO_TOTP_SECRET = "PANELHUBDEMOTOTP2345AAAA"  # noqa: S105 - documented in README.md
DEMO_SUPERUSER_EMAIL = "superuser@panelhub.demo"
DEMO_MULTI_ORG_EMAIL = "multi.officer@panelhub.demo"
# The demo user who is an officer in two organisations, to show switching between them.
DEMO_MULTI_ORG_SLUGS = ("helena", "stockport")


@dataclass(frozen=True)
class DemoPanel:
    slug: str
    name: str
    purpose: str
    reports_to: str
    main: bool = True


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    short_name: str
    panels: tuple[DemoPanel, ...]


# Where each demo landlord's letters come from (fictional street, real town).
DEMO_TOWNS = {
    "helena": ("St Helens", "WA10 1AA"),
    "ivh": ("Sale", "M33 1AA"),
    "tht": ("Sale", "M33 2AA"),
    "stockport": ("Stockport", "SK1 1AA"),
}

DEMO_ORGANISATIONS = (
    DemoOrganisation(
        "helena",
        "Helena Partnerships",
        "Helena",
        (
            DemoPanel(
                "customer-excellence-panel",
                "Customer Excellence Panel",
                "To monitor performance against measures agreed by the panel, receive complaints "
                "and customer feedback, carry out scrutiny and call managers to account, and make "
                "quarterly reports to Board.",
                "Board",
            ),
        ),
    ),
    DemoOrganisation(
        "hfh",
        "HFH",
        "HFH",
        (
            DemoPanel(
                "customer-core-group",
                "Customer Core Group",
                "To hold the organisation to account by reviewing data and information to "
                "recommend changes to strategy, policy or practices.",
                "Panel sponsor (Director of Housing Management)",
            ),
            DemoPanel(
                "residents-scrutiny-panel",
                "Residents Scrutiny Panel",
                "Reports outcomes achieved on agreed priorities to the Customer Core Group.",
                "Customer Core Group",
                main=False,
            ),
            DemoPanel(
                "complaints-advisory-panel",
                "Complaints Advisory Panel",
                "Reviews complaint outcomes and recommendations for the Customer Core Group.",
                "Customer Core Group",
                main=False,
            ),
        ),
    ),
    DemoOrganisation(
        "ivh",
        "Irwell Valley Homes",
        "IVH",
        (
            DemoPanel(
                "customer-offer-panel",
                "Customer Offer Panel",
                "To scrutinise services provided by IVH to its customers so that they are easy to "
                "access, reliable and meet customers' expectations.",
                "Resident Scrutiny Panel and Board of Management",
            ),
            DemoPanel(
                "resident-scrutiny-panel",
                "Resident Scrutiny Panel",
                "Is informed of the Customer Offer Panel's elections and work.",
                "Board of Management",
                main=False,
            ),
        ),
    ),
    DemoOrganisation(
        "tht",
        "Trafford Housing Trust",
        "THT",
        (
            DemoPanel(
                "quality-and-insight-panel",
                "Quality and Insight Panel",
                "To scrutinise and challenge Trafford Housing Trust services to ensure continuous "
                "improvement to performance and service delivery for customers.",
                "Board",
            ),
        ),
    ),
    DemoOrganisation(
        "stockport",
        "Stockport Homes",
        "Stockport Homes",
        (
            DemoPanel(
                "aspire-customer-panel",
                "ASPIRE Customer Panel",
                "To provide assurance to customers and the Board that services are delivered to "
                "agreed standards, and to monitor and challenge Stockport Homes' performance.",
                "Customer Focus Committee",
            ),
        ),
    ),
)

DEMO_ROLES = (Role.ADMIN, Role.OFFICER, Role.BOARD, Role.MEMBER)


def demo_email(org_slug: str, role: str) -> str:
    return f"{role}@{org_slug}.panelhub.demo"


def _user(email: str, *, first_name: str, last_name: str, **extra) -> tuple[User, bool]:
    from allauth.account.models import EmailAddress

    user = User.objects.filter(email__iexact=email).first()
    made = user is None
    if made:
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            **extra,
        )
    # Demo addresses count as proved (sign-in requires a verified address).
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user, made


def seed_organisations() -> list[str]:
    """Organisations, their panels, and one demo user per role in each."""
    created: list[str] = []
    _user(
        DEMO_SUPERUSER_EMAIL,
        first_name="Site",
        last_name="Administrator",
        is_staff=True,
        is_superuser=True,
    )
    multi, _ = _user(DEMO_MULTI_ORG_EMAIL, first_name="Morgan", last_name="Multi", is_staff=True)
    for spec in DEMO_ORGANISATIONS:
        org, made = Organisation.objects.get_or_create(
            slug=spec.slug,
            defaults={"name": spec.name, "short_name": spec.short_name, "nation": Nation.ENGLAND},
        )
        if made:
            created.append(f"organisation {org.slug}")
        if not org.has_contact:  # demo contact details (fictional; .demo addresses)
            org.contact_name = f"The {spec.short_name} engagement team"
            org.contact_email = f"engagement@{spec.slug}.panelhub.demo"
            org.contact_phone = "0161 496 0000"  # Ofcom's range for drama: never a real line
            town, postcode = DEMO_TOWNS.get(spec.slug, ("Demo Town", "DE1 1AA"))
            org.postal_address = f"Engagement Team\n1 Demo Street\n{town}\n{postcode}"
            org.save(
                update_fields=["contact_name", "contact_email", "contact_phone", "postal_address"]
            )
        with org_scope(org):
            for panel_spec in spec.panels:
                Panel.objects.get_or_create(
                    organisation=org,
                    slug=panel_spec.slug,
                    defaults={
                        "name": panel_spec.name,
                        "purpose": panel_spec.purpose,
                        "reports_to": panel_spec.reports_to,
                    },
                )
        for role in DEMO_ROLES:
            user, _ = _user(
                demo_email(spec.slug, role),
                first_name=f"{spec.short_name}",
                last_name=Role(role).label,
                is_staff=role in (Role.ADMIN, Role.OFFICER),
                # Officers sign the letters they send: a phone number to print on them (an
                # Ofcom drama number).
                **({"phone": "0161 496 0100"} if role == Role.OFFICER else {}),
            )
            OrganisationRole.objects.get_or_create(user=user, organisation=org, role=role)
    for org in Organisation.objects.filter(slug__in=DEMO_MULTI_ORG_SLUGS):
        OrganisationRole.objects.get_or_create(user=multi, organisation=org, role=Role.OFFICER)
    _seed_demo_authenticators()
    return created


def _seed_demo_authenticators() -> None:
    """A TOTP authenticator with DEMO_TOTP_SECRET for every demo account that must use
    two-step sign-in (panels.mfa), so the demo can be signed into."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from panels.sessions import STAFF_LIKE_ROLES

    staff_like = User.objects.filter(email__endswith=".demo").filter(
        models.Q(is_superuser=True) | models.Q(organisation_roles__role__in=STAFF_LIKE_ROLES)
    )
    have = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user_id", flat=True)
    )
    for user in staff_like.distinct():
        if user.pk not in have:
            TOTP.activate(user, DEMO_TOTP_SECRET)


def main_panel(org: Organisation) -> Panel:
    spec = next(s for s in DEMO_ORGANISATIONS if s.slug == org.slug)
    slug = next(p.slug for p in spec.panels if p.main)
    return Panel.objects.for_org(org).get(slug=slug)


# The demo seed runs, in this order, the ``seed()`` of each app's ``demo`` module
# (an app without one is passed over). Each seeder must be idempotent.
DEMO_APPS = ["panels", "members", "meetings", "scrutiny", "notices", "reports", "privacy"]


def seed() -> None:
    from panels.seed_terms import seed_terms

    seed_organisations()
    for org in Organisation.objects.filter(slug__in=[s.slug for s in DEMO_ORGANISATIONS]):
        with org_scope(org):
            seed_terms(org)


@transaction.atomic
def seed_demo() -> None:
    from importlib import import_module
    from importlib.util import find_spec

    for app in DEMO_APPS:
        if find_spec(f"{app}.demo") is not None:
            import_module(f"{app}.demo").seed()


def demo_sign_ins() -> list[tuple[str, str]]:
    rows = [
        ("site superuser (Django admin)", DEMO_SUPERUSER_EMAIL),
        ("officer at Helena and Stockport", DEMO_MULTI_ORG_EMAIL),
    ]
    for spec in DEMO_ORGANISATIONS:
        for role in DEMO_ROLES:
            rows.append(
                (f"{spec.short_name} {Role(role).label.lower()}", demo_email(spec.slug, role))
            )
    return rows
