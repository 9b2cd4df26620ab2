from django.conf import settings

from agora import permissions


def organization(request):
    org = getattr(request, "organization", None)
    user = getattr(request, "user", None)
    return {
        "organization": org,
        "can_use_backoffice": bool(org and user and permissions.can(user, "backoffice.access", org)),
        "language_choices": org.language_choices if org else settings.LANGUAGES,
    }
