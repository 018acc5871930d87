"""Signals panels sends to the apps above it (they connect; panels imports none of them)."""

from django.dispatch import Signal

# Sent inside the transaction that accepts an invitation: invitation, user. The members app
# links the appointed person to the account (members.receivers).
invitation_accepted = Signal()
