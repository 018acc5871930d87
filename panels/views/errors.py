import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

# Seconds a client is asked to wait when the database cannot be reached.
RETRY_AFTER_SECONDS = 30
DATABASE_DOWN = (
    "PanelHub cannot reach its database at the moment. Nothing you sent has been "
    "half-saved: please try again shortly."
)


def permission_denied(request, exception=None):
    message = (
        str(exception)
        if exception and str(exception)
        else ("Your account does not give you access to this page.")
    )
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    from panels.files import FileMissing

    # A file lost from storage is not a mistyped address: say what happened and what to do.
    message = str(exception) if isinstance(exception, FileMissing) else ""
    return render(request, "404.html", {"message": message}, status=404)


def database_unavailable(request):
    """A 503 "try again shortly", made without touching the database (no context
    processors, no session, no user): the page a PostgreSQL outage shows."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": DATABASE_DOWN}, status=503)
    else:
        body = render_to_string("503.html", {"message": DATABASE_DOWN})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    # Django calls this while handling the exception, so it can tell a database that
    # cannot be reached (connection refused, lost, timed out) from a fault of ours.
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable(request)
    return render(request, "500.html", status=500)
