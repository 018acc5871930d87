"""Domain errors with a stable code and a human message, turned into form errors,
API 400s and page messages in one place."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler


@dataclass(frozen=True)
class Reason:
    """One reason a rule refuses something: a stable code, a plain-English message,
    the field it concerns (if any) and the document the rule comes from."""

    code: str
    message: str
    field: str | None = None
    source: str = ""

    def __str__(self) -> str:
        return f"{self.message} ({self.source})" if self.source else self.message


@dataclass
class RuleViolation(Exception):
    """A terms-of-reference rule (or another domain rule) refused an action.

    Carries every reason at once, so the person sees all of them in one go.
    """

    reasons: list[Reason] = field(default_factory=list)

    def __init__(self, reasons=None, *, code: str = "", message: str = "", field=None, source=""):
        if reasons is None:
            reasons = [Reason(code=code, message=message, field=field, source=source)]
        self.reasons = list(reasons)
        super().__init__("; ".join(str(r) for r in self.reasons))

    @property
    def code(self) -> str:
        return self.reasons[0].code

    @property
    def messages(self) -> list[str]:
        return [str(r) for r in self.reasons]

    def add_to_form(self, form) -> None:
        """Attach every reason to the form field it names (or to the form as a whole)."""
        for reason in self.reasons:
            target = reason.field if reason.field in getattr(form, "fields", {}) else None
            form.add_error(target, str(reason))

    def as_api(self) -> dict:
        return {
            "errors": [
                {"code": r.code, "message": r.message, "field": r.field, "source": r.source}
                for r in self.reasons
            ]
        }


def raise_if(reasons: list[Reason]) -> None:
    if reasons:
        raise RuleViolation(reasons)


class NoRoleInOrganisation(PermissionDenied):
    """The user is signed in but holds no (suitable) role in this organisation."""


def api_exception_handler(exc, context):
    if isinstance(exc, RuleViolation):
        return Response(exc.as_api(), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    return exception_handler(exc, context)
