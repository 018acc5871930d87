"""Development mail: every message to the console and, as a file, to var/mail."""

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        settings.MAIL_DIR.mkdir(parents=True, exist_ok=True)
        self.console = ConsoleBackend(fail_silently=fail_silently)
        self.file = FileBackend(fail_silently=fail_silently, file_path=str(settings.MAIL_DIR))

    def send_messages(self, email_messages):
        self.console.send_messages(email_messages)
        return self.file.send_messages(email_messages)
