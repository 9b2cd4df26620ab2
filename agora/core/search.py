"""Site search over public content: spaces and what each component's
manifest `search` hook returns. Only public content is searched, so the
results are the same for everyone and never leak a private space.

It reads every public item on each query: right for a city's few thousand
pages and posts; a database full-text index is the next step when a
component brings tens of thousands of items (proposals)."""

import unicodedata
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils.html import strip_tags

from agora.components.models import Component
from agora.core.translations import translated
from agora.spaces.models import Space
from agora.spaces.selectors import listed_spaces


@dataclass(frozen=True)
class SearchResult:
    title: str
    excerpt: str
    url: str
    where: str


def normalize(text: str) -> str:
    """Lower-case without accents, so "ecologie" finds "Écologie"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _excerpt(text: str, first_word: str, width: int = 200) -> str:
    text = " ".join(text.split())
    position = normalize(text).find(first_word)
    start = max(0, position - width // 3) if position >= 0 else 0
    excerpt = text[start:start + width]
    return ("…" if start else "") + excerpt + ("…" if start + width < len(text) else "")


def search(organization, query: str) -> list[SearchResult]:
    words = normalize(query).split()
    if not words:
        return []
    anonymous = AnonymousUser()
    candidates = []
    public_spaces = [
        *listed_spaces(organization, anonymous, Space.Kind.PROCESS),
        *listed_spaces(organization, anonymous, Space.Kind.ASSEMBLY),
    ]
    for space in public_spaces:
        text = " ".join(strip_tags(translated(value)) for value in
                        (space.subtitle, space.short_description, space.description, space.purpose))
        candidates.append((translated(space.title), text, space.get_absolute_url(), ""))
    components = (
        Component.objects.published()
        .filter(space__in=[space.pk for space in public_spaces])
        .select_related("space", "space__organization")
    )
    for component in components:
        manifest = component.manifest
        hook = manifest.hook(manifest.search) if manifest else None
        if hook:
            where = f"{translated(component.space.title)} › {component}"
            candidates.extend((title, text, url, where) for title, text, url in hook(component))
    results = []
    for title, text, url, where in candidates:
        haystack = normalize(f"{title} {text}")
        if all(word in haystack for word in words):
            results.append(SearchResult(title=title, excerpt=_excerpt(text, words[0]), url=url, where=where))
    return results
