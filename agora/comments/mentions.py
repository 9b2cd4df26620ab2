"""@nickname mentions: finding them in a text and showing them as links."""

import re

from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from agora.accounts.models import User

MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_\-]{3,30})")


def nicknames_in(text: str) -> set[str]:
    return {match.lower() for match in MENTION.findall(text or "")}


def mentioned_members(text: str, organization, *, exclude=None) -> list:
    """Active members of the organization mentioned in `text`."""
    names = nicknames_in(text)
    if not names:
        return []
    people = User.objects.annotate(nickname_lower=Lower("nickname")).filter(
        nickname_lower__in=sorted(names),
        memberships__organization=organization,
        is_active=True,
        deleted_at__isnull=True,
    )
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people[:20])


def render_body(text: str, linked_nicknames: dict[str, str]) -> str:
    """Escaped text with paragraphs, line breaks and links on the mentions of
    `linked_nicknames` ({lowercase nickname: nickname})."""
    escaped = escape(text or "")

    def link(match):
        nickname = linked_nicknames.get(match.group(1).lower())
        if nickname is None:
            return match.group(0)
        url = reverse("accounts:profile", kwargs={"nickname": nickname})
        return f'<a class="mention" href="{escape(url)}">@{escape(match.group(1))}</a>'

    linked = MENTION.sub(link, escaped)
    paragraphs = [part.strip().replace("\n", "<br>") for part in re.split(r"\n\s*\n", linked.replace("\r", ""))]
    return mark_safe("".join(f"<p>{part}</p>" for part in paragraphs if part))
