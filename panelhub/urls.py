import os

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from home import urls as home_urls
from panels.api.docs import SchemaView, SwaggerView
from panels.views.account import AccountHomeView, EmailView
from panels.views.invitation import InvitationAcceptView
from panels.views.tokens import ApiTokensView

# The Django admin signs in through allauth's form, so it gets the same sign-in throttle,
# email verification and two-step sign-in as every other page (docs/security.md).
admin.site.login = secure_admin_login(admin.site.login)

handler403 = "panels.views.errors.permission_denied"
handler404 = "panels.views.errors.page_not_found"
handler500 = "panels.views.errors.server_error"

api_v1 = [
    path("", include("panels.api.urls")),
    path("", include("members.api.urls")),
    path("", include("meetings.api.urls")),
    path("", include("scrutiny.api.urls")),
    path("", include("notices.api.urls")),
    path("", include("reports.api.urls")),
]

org_pages = [
    path("", home_urls.panels_pages),
    path("access/", include("panels.urls_access")),
    path("members/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("scrutiny/", include("scrutiny.urls")),
    path("notices/", include("notices.urls")),
    path("reports/", include("reports.urls")),
    path("privacy/", include("privacy.urls")),
]

urlpatterns = [
    *home_urls.urlpatterns,
    path(
        "accounts/invitation/<str:token>/",
        InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("accounts/", AccountHomeView.as_view(), name="account_home"),
    path("accounts/email/", EmailView.as_view(), name="account_email"),
    path("accounts/tokens/", ApiTokensView.as_view(), name="account_api_tokens"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/<slug:org_slug>/", include((api_v1, "api"), namespace="api")),
    path("<slug:org_slug>/", include(org_pages)),
]

# No route serves MEDIA_ROOT, not even with DEBUG: stored files (papers, receipts, evidence,
# letters, reports) are served only by views that check the reader's right to the row.

if settings.DEBUG and os.environ.get("PANELHUB_DEV_LOGIN") == "1":
    # Screenshots of signed-in pages: /__dev__/login-as/<email>/?next=/helena/
    from panels.views.dev import dev_login_as

    urlpatterns.insert(0, path("__dev__/login-as/<str:email>/", dev_login_as))
