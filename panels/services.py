"""State changes for organisations, roles and terms of reference."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.forms.models import model_to_dict

from panels.audit import audit_record
from panels.errors import Reason, RuleViolation
from panels.models import ClosureDay, DeadlineRule, Panel, TermsOfReference
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
    start (that would rewrite history); contradictory rules are refused with the field.
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


# --- Access: inviting people to an organisation -------------------------------------


@transaction.atomic
def user_invite(
    *, org, email: str, role: str, first_name: str = "", last_name: str = "", by, request=None
):
    """Give a person a role in the organisation, creating their account if needed, and email
    them a link to set their password. There is no public sign-up: this is how people join."""
    from django.contrib.auth import get_user_model

    from panels.models import OrganisationRole, Role

    if role not in Role.values:
        raise RuleViolation(code="access.role", message=f"Unknown role {role!r}.", field="role")
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email.strip())
    user = user_model.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = user_model.objects.create_user(
            email=email, first_name=first_name, last_name=last_name
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    org_role, made = OrganisationRole.objects.get_or_create(
        user=user, organisation=org, role=role, defaults={"granted_by": by}
    )
    if not made:
        raise RuleViolation(
            code="access.already_has_role",
            message=f"{email} already has the role {Role(role).label.lower()} here.",
            field="email",
        )
    if role in (Role.OFFICER, Role.ADMIN) and not user.is_staff:
        user.is_staff = True  # officers use the Django admin for their organisation
        user.save(update_fields=["is_staff"])
    audit_record(
        org=org,
        actor=by,
        action="access.granted",
        obj=org_role,
        after={"email": email, "role": role, "new_account": created},
    )
    transaction.on_commit(
        lambda: _send_invitation(
            user=user, org=org, role=role, needs_password=created, request=request
        )
    )
    return org_role


def _send_invitation(*, user, org, role, needs_password: bool, request=None) -> None:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    from panels.models import Role

    base = (
        request.build_absolute_uri("/").rstrip("/")
        if request
        else getattr(settings, "SITE_URL", "http://127.0.0.1:8000")
    )
    lines = [
        f"You have been given the role of {Role(role).label.lower()} at {org.name} on PanelHub.",
        "",
    ]
    if needs_password:
        path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
        lines += ["Choose your password here to sign in:", f"{base}{path}", ""]
    lines += [f"Then sign in at {base}{reverse('panels:landing', kwargs={'org_slug': org.slug})}"]
    send_mail(f"Your PanelHub access at {org.name}", "\n".join(lines), None, [user.email])


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
        problems.append(
            Reason("closure_day.duplicate", f"{date:%d %B %Y} is already a closure day.", "date")
        )
    if problems:
        raise RuleViolation(problems)
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
