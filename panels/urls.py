from django.urls import path

from panels.views import public

app_name = "panels"

urlpatterns = [
    path("", public.OrganisationLandingView.as_view(), name="landing"),
    path("panels/<slug:panel_slug>/", public.PanelPublicView.as_view(), name="panel_public"),
]
