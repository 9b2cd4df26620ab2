from django.conf import settings
from django.urls import reverse

from agora import permissions
from agora.core import fonts
from agora.core.theming import organization_css, theme_of


def _backoffice_url(user, org) -> str:
    """Where the "Administration" link leads: the back-office for staff, the
    desk for desk agents who hold no other role; "" for everyone else."""
    if not (org and user and user.is_authenticated):
        return ""
    if permissions.can(user, "backoffice.access", org):
        return reverse("backoffice:dashboard")
    try:
        if permissions.can(user, "desk.use", org):
            return reverse("desk:index")
    except KeyError:  # the desk app is not installed
        pass
    return ""


def organization(request):
    org = getattr(request, "organization", None)
    user = getattr(request, "user", None)
    backoffice_url = _backoffice_url(user, org)
    return {
        "organization": org,
        "can_use_backoffice": bool(backoffice_url),
        "backoffice_url": backoffice_url,
        "source_code_url": settings.SOURCE_CODE_URL,
        "language_choices": org.language_choices if org else settings.LANGUAGES,
        "theme": theme_of(request),
        "organization_css": organization_css(org),
        # The themed stylesheet's version (/theme.css): "" when the organization has no font of its own.
        "theme_css_version": fonts.version(org) if org and org.font else "",
    }
