"""Reads of newsletters: the back-office list, the audience in words, the public archive."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.core.models import Organization
from agora.core.translations import translated
from agora.newsletters.models import Newsletter
from agora.spaces.models import Space
from agora.taxonomy.models import Scope
from agora.verifications import methods


def newsletters_of(organization: Organization) -> QuerySet[Newsletter]:
    return Newsletter.objects.filter(organization=organization).order_by("-created_at", "-pk")


def archive(organization: Organization) -> QuerySet[Newsletter]:
    """The sent newsletters, newest first (the public archive). A newsletter
    written for the members of private spaces stays out of it: what they were
    told is not for everyone."""
    return (
        Newsletter.objects.filter(organization=organization, status=Newsletter.Status.SENT)
        .exclude(audience__has_key="private_members")
        .order_by("-sent_at", "-pk")
    )


def archived(organization: Organization, newsletter_id: int) -> Newsletter | None:
    return archive(organization).filter(pk=newsletter_id).select_related("organization").first()


def describe_audience(organization: Organization, audience: dict) -> list[tuple[str, str]]:
    """The audience in words, one (what, which) line per criterion; empty:
    everyone who accepted the newsletter."""
    lines: list[tuple[str, str]] = []
    spaces = {space.pk: translated(space.title) for space in Space.objects.filter(organization=organization)}
    for key, label in (
        ("spaces_participants", _("Participants of")),
        ("spaces_followers", _("Followers of")),
        ("private_members", _("Members of")),
    ):
        if audience.get(key):
            lines.append((label, ", ".join(spaces.get(pk, "?") for pk in audience[key])))
    if audience.get("verification_method"):
        method = methods.get(audience["verification_method"])
        lines.append((_("Verified by"), str(method.label) if method else audience["verification_method"]))
    if audience.get("scopes"):
        names = Scope.objects.filter(organization=organization, pk__in=audience["scopes"])
        lines.append((_("Living in"), ", ".join(translated(scope.name) for scope in names)))
    for key, choices, label in (
        ("age_brackets", User.AgeBracket, _("Age brackets")),
        ("genders", User.Gender, _("Genders")),
        ("categories", User.SocioProfessionalCategory, _("Socio-professional categories")),
    ):
        if audience.get(key):
            labels = dict(choices.choices)
            lines.append((label, ", ".join(str(labels.get(value, value)) for value in audience[key])))
    if audience.get("postal_codes"):
        lines.append((_("Postal codes"), ", ".join(audience["postal_codes"])))
    return lines
