"""Development only: sign in as a demo user by address, so headless browsers can take
screenshots of signed-in pages. Registered only when DEBUG and PANELHUB_DEV_LOGIN=1."""

from allauth.account.internal.flows.login import record_authentication
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from panels.models import User


def dev_login_as(request, email: str):
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise Http404("No such user.")
    login(request, user, backend="panels.signin.ThrottledModelBackend")
    # Count as signed in with two-step authentication, so staff pages can be screenshot.
    record_authentication(request, user, "mfa", type="totp", dev_login=True)
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
