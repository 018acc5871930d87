from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The site layer: pages that gather from several apps (the start page, an
    organisation's landing page with the officer's at-a-glance, /healthz). It may import
    every app; no app imports it."""

    name = "home"
    verbose_name = "Start page and health"
