from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"
    verbose_name = "Organisations, panels and terms of reference"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        import panels.api.auth  # noqa: F401  (registers the token scheme with drf-spectacular)
        from panels.sessions import on_user_logged_in
        from panels.signin import on_user_login_failed

        user_login_failed.connect(on_user_login_failed, dispatch_uid="panels-signin-failed")
        user_logged_in.connect(on_user_logged_in, dispatch_uid="panels-session-idle-limit")
