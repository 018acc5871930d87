"""An organisation's panel pages. The landing page (``panels:landing``, ``/<org_slug>/``)
gathers from several apps, so the site layer adds it to this namespace (home/urls.py)."""

from django.urls import path

from panels.views import contact, officer, public

app_name = "panels"

urlpatterns = [
    path("panels/<slug:panel_slug>/", public.PanelPublicView.as_view(), name="panel_public"),
    path("panels/<slug:panel_slug>/terms/", public.PanelTermsView.as_view(), name="panel_terms"),
    path(
        "panels/<slug:panel_slug>/terms/<int:termsofreference_id>/",
        public.PanelTermsView.as_view(),
        name="panel_terms_version",
    ),
    path(
        "officer/panels/<slug:panel_slug>/terms/",
        officer.TermsVersionListView.as_view(),
        name="terms_versions",
    ),
    path(
        "officer/panels/<slug:panel_slug>/terms/revise/",
        officer.TermsReviseView.as_view(),
        name="terms_revise",
    ),
    path("officer/closure-days/", officer.ClosureDayListView.as_view(), name="closure_days"),
    path("help/", contact.HelpView.as_view(), name="help"),
    path(
        "officer/contact/",
        contact.OrganisationContactView.as_view(),
        name="organisation_contact",
    ),
]
