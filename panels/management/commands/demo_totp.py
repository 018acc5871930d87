"""Print the current two-step sign-in code of a demo account (make totp EMAIL=...)."""

from django.core.management.base import BaseCommand, CommandError

from panels.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the current TOTP code of a demo account whose authenticator uses the documented "
        "demo secret (panels.demo.DEMO_TOTP_SECRET). Refuses any other account."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, **options):
        import time

        from allauth.mfa import app_settings
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
        from allauth.mfa.utils import decrypt

        email = options["email"]
        authenticator = Authenticator.objects.filter(
            user__email__iexact=email, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{email} has no authenticator app set up.")
        if decrypt(authenticator.data["secret"]) != DEMO_TOTP_SECRET:
            raise CommandError(
                f"{email} does not use the demo secret: only demo accounts' codes are printed."
            )
        now = int(time.time())
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // app_settings.TOTP_PERIOD))
        left = app_settings.TOTP_PERIOD - now % app_settings.TOTP_PERIOD
        self.stdout.write(code)
        self.stderr.write(f"(valid for {left} more seconds; each code works once)")
