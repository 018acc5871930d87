"""Email backends for the notices tests."""

import os
import time
from smtplib import SMTPRecipientsRefused

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class FailingBackend(BaseEmailBackend):
    """Every message is refused, as a mail server that is down would."""

    def send_messages(self, email_messages):
        raise SMTPRecipientsRefused({"x@example.org": (550, b"refused")})


class SlowFileBackend(FileBackend):
    """Writes each message to a file after a pause (NOTICES_TEST_SEND_DELAY seconds), so a
    test can kill the worker in the middle of a batch."""

    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("NOTICES_TEST_SEND_DELAY", "0")))
        return super().send_messages(email_messages)
