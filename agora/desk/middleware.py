from agora.actionlog.services import acting_agent
from agora.desk.selectors import person_the_agent_may_act_for

SESSION_KEY = "agora_desk_acting_for"
# Where the agent stays themself: back-office, their own account, allauth.
OWN_PREFIXES = ("/admin/", "/accounts/", "/account/", "/system/", "/static/", "/media/", "/i18n/")
# Except the identity provider's round trip of the OpenID Connect verification
# (allauth's addresses, started from /verifications/oidc/): at the desk the person
# signs in at their provider and the identity verifies *their* account; as the
# agent's own, allauth would connect the person's identity to the agent.
PERSON_PREFIXES = ("/accounts/oidc/",)


class DeskMiddleware:
    """While a desk agent acts for a managed participant (a session flag set
    by the desk screens), public pages see that person as `request.user` and
    the agent as `request.desk_agent`; every action-log row written then
    names the agent. The back-office and account pages stay the agent's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.desk_agent = None
        request.desk_acting_for = None
        person_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if not person_id:
            return self.get_response(request)

        agent = request.user
        person = person_the_agent_may_act_for(agent, request.organization, person_id)
        if person is None:
            request.session.pop(SESSION_KEY, None)
            return self.get_response(request)
        request.desk_acting_for = person
        if request.path.startswith(OWN_PREFIXES) and not request.path.startswith(PERSON_PREFIXES):
            return self.get_response(request)
        request.desk_agent, request.user = agent, person
        token = acting_agent.set(agent)
        try:
            return self.get_response(request)
        finally:
            acting_agent.reset(token)
