"""Signals panels sends to the apps above it (they connect; panels imports none of them)."""

from django.dispatch import Signal

# Sent inside the transaction that accepts an invitation: invitation, user. The members app
# links the appointed person to the account (members.receivers).
invitation_accepted = Signal()

# Sent inside the transaction that causes an email PanelHub writes itself (an invitation,
# a password reset, an address confirmation): organisation, kind (a notices NoticeKind
# value), subject (the row it is about), email, name, title, body, secret (the private link
# in the body, or ""), secret_expires_at. The notices app plans it in the ledger
# (notices.messages) and answers True; the email then goes with the other notices.
email_to_send = Signal()
