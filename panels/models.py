from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from panels.tenancy import TenantModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in. Signs in by email; may hold roles in several organisations."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Nation(models.TextChoices):
    """UK nations; each has its own bank holidays (the holidays package's GB subdivisions)."""

    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class Organisation(models.Model):
    """A housing association: the tenant of PanelHub."""

    slug = models.SlugField(unique=True, help_text="Used in addresses: /<slug>/")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)
    nation = models.CharField(
        max_length=3,
        choices=Nation.choices,
        default=Nation.ENGLAND,
        help_text="Whose bank holidays count when working days are computed.",
    )
    website = models.URLField(blank=True)
    logo = models.ImageField(upload_to="logos/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Role(models.TextChoices):
    MEMBER = "member", "Panel member"
    OFFICER = "officer", "Engagement officer"
    BOARD = "board", "Board member"
    ADMIN = "admin", "Organisation admin"


STAFF_ROLES = frozenset({Role.OFFICER, Role.ADMIN})


class OrganisationRole(models.Model):
    """A user's role in one organisation. A user may hold several, in several organisations.

    Not a TenantModel: it is how a user reaches their organisations, so it is read
    by user (see selectors.organisation_roles_for_user) before any tenant is chosen.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="organisation_roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="organisation_role_unique"
            )
        ]
        ordering = ["organisation__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class Panel(TenantModel):
    """A resident panel of an organisation, working to its own terms of reference."""

    slug = models.SlugField(help_text="Used in addresses: /<org>/panels/<slug>/")
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True, help_text="One paragraph, shown on the public page.")
    reports_to = models.CharField(
        max_length=200, blank=True, help_text="The Board or committee the panel reports to."
    )
    is_public = models.BooleanField(
        default=True, help_text="Show the public page (rules, published minutes and reports)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="panel_slug_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class AuditEntry(TenantModel):
    """One state change: who, when, what, before and after."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "object_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
