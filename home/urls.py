"""The site layer's URLs: the start page, /healthz, /healthz/ping, and an organisation's
landing page.

The landing page keeps its name ``panels:landing`` and its path ``/<org_slug>/``: it is
joined to the panels namespace here, in front of panels' own pages, because panels/urls.py
may not import the site layer above it."""

from django.urls import include, path

from home import views
from panels import urls as panels_urls

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/ping", views.ping, name="healthz_ping"),
]

panels_pages = include(
    (
        [
            path("", views.OrganisationLandingView.as_view(), name="landing"),
            *panels_urls.urlpatterns,
        ],
        panels_urls.app_name,
    )
)
