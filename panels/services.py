"""State changes for organisations, roles and terms of reference."""

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from panels.audit import audit_record
from panels.errors import Reason, RuleViolation
from panels.integrity import refuse_duplicate
from panels.models import (
    STAFF_ROLES,
    ApiToken,
    ClosureDay,
    DeadlineRule,
    Invitation,
    InvitationStatus,
    Organisation,
    OrganisationRole,
    Panel,
    Role,
    TermsOfReference,
    User,
)
from panels.signals import invitation_accepted
from panels.terms_validation import terms_problems

# Fields a new version copies from the one it revises (everything but identity and dates).
TERMS_IDENTITY_FIELDS = {
    "id",
    "organisation",
    "panel",
    "version",
    "created_at",
    "created_by",
    "effective_from",
    "approved_on",
    "approved_by",
    "review_due_on",
    "change_note",
    "source_file",
}


def terms_rule_fields() -> list[str]:
    return [
        f.name
        for f in TermsOfReference._meta.concrete_fields
        if f.name not in TERMS_IDENTITY_FIELDS
    ]


def _deadline_rows(deadlines: Iterable[dict]) -> list[dict]:
    rows = []
    for row in deadlines:
        values = {k: row.get(k, "") for k in ("kind", "amount", "unit", "direction", "channel")}
        values["channel"] = values["channel"] or ""
        rows.append(values)
    return rows


def _deadline_problems(rows: list[dict]) -> list[Reason]:
    from panels.models import DeadlineDirection, DeadlineKind, DeadlineUnit, DeliveryChannel

    problems: list[Reason] = []
    seen: set[str] = set()
    for row in rows:
        kind = row["kind"]
        label = DeadlineKind(kind).label if kind in DeadlineKind.values else repr(kind)
        if kind not in DeadlineKind.values:
            problems.append(
                Reason("deadline.kind", f"unknown deadline kind {kind!r}.", "deadlines")
            )
        if kind in seen:
            problems.append(Reason("deadline.duplicate", f"{label} is given twice.", "deadlines"))
        seen.add(kind)
        amount = row["amount"]
        if not isinstance(amount, int) or amount <= 0:
            problems.append(
                Reason(
                    "deadline.amount",
                    f"{label}: a deadline of {amount} is not possible; use a positive number and "
                    "choose before or after the meeting.",
                    "deadlines",
                )
            )
        if row["unit"] not in DeadlineUnit.values:
            problems.append(
                Reason("deadline.unit", f"{label}: unknown unit {row['unit']!r}.", "deadlines")
            )
        if (row.get("channel") or "") not in DeliveryChannel.values:
            problems.append(
                Reason(
                    "deadline.channel",
                    f"{label}: channel must be by post, electronically or any.",
                    "deadlines",
                )
            )
        if row["direction"] not in DeadlineDirection.values:
            problems.append(
                Reason(
                    "deadline.direction",
                    f"{label}: direction must be before or after the meeting.",
                    "deadlines",
                )
            )
    return problems


@transaction.atomic
def terms_revise(
    *,
    panel: Panel,
    effective_from: datetime.date,
    changes: dict,
    deadlines: Iterable[dict] | None = None,
    approved_on: datetime.date | None = None,
    approved_by: str = "",
    review_due_on: datetime.date | None = None,
    change_note: str = "",
    by,
) -> TermsOfReference:
    """Create the next version of a panel's ToR, in force from ``effective_from``.

    Earlier versions are never changed, so past meetings keep being judged by the version
    in force on their date. A version may not start on or before the latest version's
    start (that would rewrite history); a version without its review date, and
    contradictory rules, are refused with the field.
    """
    org = panel.organisation
    # Lock the panel row so two officers revising at once get consecutive versions.
    Panel.objects.for_org(org).select_for_update().get(pk=panel.pk)
    latest = (
        TermsOfReference.objects.for_org(org)
        .filter(panel=panel)
        .prefetch_related("deadlines")
        .order_by("-version")
        .first()
    )
    values = {name: getattr(latest, name) for name in terms_rule_fields()} if latest else {}
    unknown = set(changes) - set(terms_rule_fields())
    if unknown:
        raise RuleViolation(
            [
                Reason(
                    "terms.unknown_field", f"{name} is not a rule of the terms of reference.", name
                )
                for name in sorted(unknown)
            ]
        )
    values.update(changes)
    if deadlines is None:
        rows = _deadline_rows(model_to_dict(d) for d in latest.deadlines.all()) if latest else []
    else:
        rows = _deadline_rows(deadlines)
    terms = TermsOfReference(
        organisation=org,
        panel=panel,
        version=(latest.version + 1) if latest else 1,
        effective_from=effective_from,
        approved_on=approved_on,
        approved_by=approved_by,
        review_due_on=review_due_on,
        change_note=change_note,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        **values,
    )
    problems = terms_problems(terms) + _deadline_problems(rows)
    if review_due_on is None:
        # Every version has its review date (issue 16 item 4): the document's own, or one
        # the officer sets, so "review due" can be flagged when it passes.
        problems.append(
            Reason(
                "terms.review_due_on_required",
                "review date: a new version needs the date it is to be reviewed (the date "
                "the terms of reference give, or one you set).",
                "review_due_on",
            )
        )
    if latest and effective_from <= latest.effective_from:
        problems.append(
            Reason(
                "terms.effective_from_overlaps",
                f"effective from ({effective_from:%d %B %Y}) must be after the current version's "
                f"start ({latest.effective_from:%d %B %Y}): versions may not overlap.",
                "effective_from",
            )
        )
    if problems:
        raise RuleViolation(problems)
    terms.save()
    DeadlineRule.objects.bulk_create(
        DeadlineRule(organisation=org, terms=terms, **row) for row in rows
    )
    before = {name: _jsonable(getattr(latest, name)) for name in changes} if latest else None
    after = {name: _jsonable(getattr(terms, name)) for name in changes}
    if deadlines is not None:
        after["deadlines"] = rows
    audit_record(
        org=org,
        actor=by,
        action="terms.revised",
        obj=terms,
        before=before,
        after=after,
        reason=change_note,
    )
    return terms


def _jsonable(value):
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return str(value)


# --- Access: invitations ------------------------------------------------------------
# An invitation is the only way to a role: a single-use, expiring token emailed to the
# address. A role is never attached to an existing account because its email matches
# (issue 12: a member who added someone else's address to their account was given that
# person's role). Accepting needs an account that has verified the address, or creates
# one through the token, which proves it.


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invitation_expiry(now: datetime.datetime) -> datetime.datetime:
    from django.conf import settings

    return now + datetime.timedelta(days=getattr(settings, "INVITATION_EXPIRY_DAYS", 14))


def _refuse_unknown_role(role: str) -> None:
    if role not in Role.values:
        raise RuleViolation(code="access.role", message=f"Unknown role {role!r}.", field="role")


def verified_holders_of(email: str):
    """Users who have proved this address (allauth's verified EmailAddress)."""
    from allauth.account.models import EmailAddress

    return User.objects.filter(
        pk__in=EmailAddress.objects.filter(email__iexact=email, verified=True).values("user_id")
    )


@transaction.atomic
def invitation_create(
    *,
    org,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    by,
    request=None,
    context: dict | None = None,
    note: str = "",
) -> Invitation:
    """Invite an address to a role in the organisation: store the hash of a random token and
    email the link. Nobody gets a role until the invitation is accepted. ``note`` is added
    to the email (e.g. what happens next after an appointment)."""
    _refuse_unknown_role(role)
    email = User.objects.normalize_email(email.strip())
    if (
        OrganisationRole.objects.filter(organisation=org, role=role)
        .filter(user__in=verified_holders_of(email))
        .exists()
    ):
        raise RuleViolation(
            code="access.already_has_role",
            message=f"{email} already has the role {Role(role).label.lower()} here.",
            field="email",
        )
    now = timezone.now()
    pending = Invitation.objects.for_org(org).filter(
        email__iexact=email,
        role=role,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    )
    if pending.exists():
        raise RuleViolation(
            code="invitation.pending",
            message=f"{email} already has an invitation to be {Role(role).label.lower()} "
            "waiting: resend it from the list of pending invitations instead.",
            field="email",
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=org,
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
        token_hash=_token_hash(token),
        context=context or {},
        created_by=by if getattr(by, "is_authenticated", False) else None,
        expires_at=_invitation_expiry(now),
    )
    audit_record(
        org=org,
        actor=by,
        action="access.invited",
        obj=invitation,
        after={"email": email, "role": role, "expires_at": invitation.expires_at.isoformat()},
    )
    _send_on_commit(invitation, token, request=request, note=note)
    return invitation


def invitation_refuse_unless_pending(*, invitation: Invitation, now) -> None:
    """Raise the clear refusal for an accepted, withdrawn or expired invitation."""
    status = invitation.status_on(now)
    if status == InvitationStatus.PENDING:
        return
    messages = {
        InvitationStatus.ACCEPTED: "This invitation has already been accepted; each link "
        "works once. Sign in to use your account.",
        InvitationStatus.REVOKED: "This invitation was withdrawn by an officer. Ask them for "
        "a new one if you still need access.",
        InvitationStatus.EXPIRED: f"This invitation expired on "
        f"{timezone.localtime(invitation.expires_at):%d %B %Y}. Ask your officer to send it "
        "again.",
    }
    raise RuleViolation(code=f"invitation.{status}", message=messages[status])


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by, request=None) -> Invitation:
    """Send a pending (or expired) invitation again with a new token and a new expiry; the
    old link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    now = timezone.now()
    if invitation.accepted_at or invitation.revoked_at:
        invitation_refuse_unless_pending(invitation=invitation, now=now)
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.expires_at = _invitation_expiry(now)
    invitation.save(update_fields=["token_hash", "expires_at"])
    audit_record(
        org=invitation.organisation,
        actor=by,
        action="access.invitation_resent",
        obj=invitation,
        after={"expires_at": invitation.expires_at.isoformat()},
    )
    _send_on_commit(invitation, token, request=request)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    """Withdraw an invitation that has not been accepted: its link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        invitation_refuse_unless_pending(invitation=invitation, now=timezone.now())
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = by if getattr(by, "is_authenticated", False) else None
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        org=invitation.organisation,
        actor=by,
        action="access.invitation_revoked",
        obj=invitation,
        before={"email": invitation.email, "role": invitation.role},
    )
    return invitation


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation this link's token belongs to, whatever its state (None if none)."""
    from django_scopes import scopes_disabled

    if not token or len(token) > 200:
        return None
    with scopes_disabled():
        return (
            Invitation.objects.select_related("organisation")
            .filter(token_hash=_token_hash(token))
            .first()
        )


def _lock_by_token(token: str) -> Invitation:
    from django_scopes import scopes_disabled

    found = invitation_by_token(token=token)
    if found is None:
        raise RuleViolation(
            code="invitation.unknown",
            message="This invitation link is not valid. Check you used the whole link from "
            "the most recent email; an officer can send it again.",
        )
    with scopes_disabled():
        return (
            Invitation.objects.select_for_update().select_related("organisation").get(pk=found.pk)
        )


def _grant(invitation: Invitation, *, user, now) -> OrganisationRole:
    org = invitation.organisation
    org_role, made = OrganisationRole.objects.get_or_create(
        user=user,
        organisation=org,
        role=invitation.role,
        defaults={"granted_by": invitation.created_by},
    )
    if invitation.role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True  # officers use the Django admin for their organisation
        user.save(update_fields=["is_staff"])
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        org=org,
        actor=user,
        action="access.granted",
        obj=org_role,
        after={
            "email": invitation.email,
            "role": invitation.role,
            "invitation": invitation.pk,
            "invited_by": invitation.created_by_id,
            "new_role": made,
        },
    )
    invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    return org_role


@transaction.atomic
def invitation_accept(*, token: str, user) -> OrganisationRole:
    """Accept an invitation as the signed-in user, who must have verified its address."""
    invitation = _lock_by_token(token)
    now = timezone.now()
    invitation_refuse_unless_pending(invitation=invitation, now=now)
    if not verified_holders_of(invitation.email).filter(pk=user.pk).exists():
        raise RuleViolation(
            code="invitation.wrong_account",
            message=f"This invitation was sent to {invitation.email}, which is not a verified "
            f"address of the account you are signed in as ({user.email}). Sign out and sign "
            "in as the account for that address, or create an account with this link.",
        )
    return _grant(invitation, user=user, now=now)


@transaction.atomic
def invitation_accept_new_account(
    *, token: str, password: str, first_name: str = "", last_name: str = ""
) -> User:
    """Create the account of an invited address and accept the invitation with it. The token
    came to that address, so it proves the address: it is stored as verified."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    invitation = _lock_by_token(token)
    now = timezone.now()
    invitation_refuse_unless_pending(invitation=invitation, now=now)
    email = invitation.email
    account_exists = Reason(
        "invitation.account_exists",
        f"An account for {email} already exists: sign in with it (or reset its "
        "password) and open this link again to accept.",
    )
    if verified_holders_of(email).exists() or User.objects.filter(email__iexact=email).exists():
        raise RuleViolation([account_exists])
    user = User(
        email=email,
        first_name=first_name or invitation.first_name,
        last_name=last_name or invitation.last_name,
    )
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise RuleViolation(
            [Reason("password.invalid", message, "password1") for message in error.messages]
        ) from None
    user.set_password(password)
    with refuse_duplicate(account_exists, "user_email_ci_unique", "panels.User.email"):
        user.save()
    # Nobody else keeps an unproved claim on the address this token just proved.
    EmailAddress.objects.filter(email__iexact=email, verified=False).exclude(user=user).delete()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    _grant(invitation, user=user, now=now)
    return user


def _send_on_commit(invitation: Invitation, token: str, *, request=None, note: str = ""):
    """Plan the invitation email in the notice ledger, in this transaction (the notices app
    answers panels.signals.email_to_send; the dispatcher sends it after commit, so a broker
    or mail server outage delays it and loses none). The link's token is kept apart from
    the ledger (notices.NoticeSecret) and deleted once sent."""
    _send_invitation(invitation=invitation, token=token, base=_site_base(request), note=note)


def _site_base(request=None) -> str:
    from django.conf import settings

    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return (getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def _send_invitation(*, invitation: Invitation, token: str, base: str, note: str = "") -> None:
    """The invitation email, handed to the notice ledger (panels.signals.email_to_send)."""
    from django.urls import reverse

    from panels.signals import email_to_send

    org = invitation.organisation
    link = base + reverse("invitation_accept", kwargs={"token": token})
    role = Role(invitation.role).label.lower()
    expires = timezone.localtime(invitation.expires_at)
    greeting = f"Dear {invitation.first_name}," if invitation.first_name else "Hello,"
    lines = [
        greeting,
        "",
        f"{org.name} invites you to PanelHub as {role}.",
        "",
    ]
    if note:
        lines += [note, ""]
    lines += [
        "To accept, open this link:",
        link,
        "",
        "If you are new to PanelHub you will choose a password there. If you already have an "
        f"account for {invitation.email}, sign in with it and the role is added to it.",
        "",
        f"The link works once and expires on {expires:%d %B %Y at %H:%M}. If you did not "
        "expect this email you can ignore it.",
    ]
    planned = email_to_send.send(
        sender=Invitation,
        organisation=org,
        kind="invitation",
        subject=invitation,
        email=invitation.email,
        name=" ".join(filter(None, [invitation.first_name, invitation.last_name])),
        title=f"Your invitation to PanelHub at {org.name}",
        body="\n".join(lines),
        secret=link,
        secret_expires_at=invitation.expires_at,
    )
    if not any(answer for _, answer in planned):
        raise RuntimeError("No notice ledger answered email_to_send: the invitation cannot go")
    # Handed to the ledger: "sent" from the officer's point of view; the ledger shows when
    # the mail server took it.
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now(), send_count=models.F("send_count") + 1
    )


def account_unlock(*, org, user, by) -> None:
    """Clear the failed sign-in count of an account holding a role in the organisation (the
    officers' unlock; panels.signin). The IP address limit stays."""
    from panels.signin import signin_unlock

    signin_unlock(email=user.email)
    audit_record(
        org=org,
        actor=by,
        action="access.unlocked",
        obj=user,
        after={"email": user.email},
    )


# --- API tokens -------------------------------------------------------------------------


@transaction.atomic
def api_token_create(
    *, user, org, name: str, can_write: bool, expires_at: datetime.datetime | None
) -> tuple[ApiToken, str]:
    """A personal API token for one organisation where the user holds a role. Returns the
    row and the token itself, which is shown once and never stored (only its hash)."""
    from panels.api.auth import token_generate, token_hash

    if not OrganisationRole.objects.filter(user=user, organisation=org).exists():
        raise RuleViolation(
            code="api_token.no_role",
            message=f"You hold no role at {org.name}, so a token for it could do nothing.",
            field="organisation",
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise RuleViolation(
            code="api_token.expired", message="The expiry must be in the future.", field="expires"
        )
    token, prefix = token_generate()
    row = ApiToken.objects.create(
        user=user,
        organisation=org,
        name=name.strip(),
        prefix=prefix,
        token_hash=token_hash(token),
        can_write=can_write,
        expires_at=expires_at,
    )
    audit_record(
        org=org,
        actor=user,
        action="api_token.created",
        obj=row,
        after={
            "prefix": row.display_prefix,
            "name": row.name,
            "can_write": can_write,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke a token: it stops working at once."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            org=token.organisation,
            actor=by,
            action="api_token.revoked",
            obj=token,
            before={"prefix": token.display_prefix, "name": token.name},
        )
    return token


def role_revoke(*, org, org_role, by) -> None:
    """Remove one role of a user in the organisation."""
    audit_record(
        org=org,
        actor=by,
        action="access.revoked",
        obj=org_role,
        before={"email": org_role.user.email, "role": org_role.role},
    )
    org_role.delete()


# --- Closure days -------------------------------------------------------------------


@transaction.atomic
def closure_day_add(*, org, date: datetime.date, reason: str = "", by) -> ClosureDay:
    """Mark a day the organisation is closed (e.g. a Christmas shutdown): it stops counting
    as a working day for every deadline computed from now on."""
    from panels.rules import CALENDAR_MAX_YEAR, CALENDAR_MIN_YEAR

    problems: list[Reason] = []
    duplicate = Reason(
        "closure_day.duplicate", f"{date:%d %B %Y} is already a closure day.", "date"
    )
    if not CALENDAR_MIN_YEAR <= date.year <= CALENDAR_MAX_YEAR:
        problems.append(
            Reason(
                "closure_day.out_of_range",
                f"{date.year} is outside the working-day calendar "
                f"({CALENDAR_MIN_YEAR}–{CALENDAR_MAX_YEAR}).",
                "date",
            )
        )
    elif ClosureDay.objects.for_org(org).filter(date=date).exists():
        problems.append(duplicate)
    if problems:
        raise RuleViolation(problems)
    with refuse_duplicate(duplicate, "closure_day_unique"):
        day = ClosureDay.objects.create(organisation=org, date=date, reason=reason)
    audit_record(
        org=org,
        actor=by,
        action="closure_day.added",
        obj=day,
        after={"date": date.isoformat(), "reason": reason},
    )
    return day


@transaction.atomic
def closure_day_remove(*, org, closure_day: ClosureDay, by) -> None:
    """Make a closure day a working day again."""
    before = {"date": closure_day.date.isoformat(), "reason": closure_day.reason}
    audit_record(org=org, actor=by, action="closure_day.removed", obj=closure_day, before=before)
    ClosureDay.objects.for_org(org).filter(pk=closure_day.pk).delete()


ORGANISATION_CONTACT_FIELDS = ["contact_name", "contact_email", "contact_phone", "postal_address"]


@transaction.atomic
def organisation_contact_update(*, org: Organisation, by, **values) -> Organisation:
    """The organisation's contact for residents and members (help page, page footers,
    letters). Only the contact fields change; one audit row records before and after."""
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    before = {name: getattr(org, name) for name in ORGANISATION_CONTACT_FIELDS}
    for name in ORGANISATION_CONTACT_FIELDS:
        if name in values:
            setattr(org, name, (values[name] or "").strip())
    after = {name: getattr(org, name) for name in ORGANISATION_CONTACT_FIELDS}
    if after != before:
        org.save(update_fields=ORGANISATION_CONTACT_FIELDS)
        audit_record(
            org=org,
            actor=by,
            action="organisation.contact_changed",
            obj=org,
            before=before,
            after=after,
        )
    return org
