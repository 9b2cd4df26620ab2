from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        organization = getattr(request, "organization", None)
        return organization is None or organization.registration_mode == "open"
