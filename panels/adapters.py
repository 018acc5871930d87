from allauth.account.adapter import DefaultAccountAdapter


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: officers invite people (panels.services.invitation_create)."""

    def is_open_for_signup(self, request) -> bool:
        return False
