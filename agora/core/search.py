"""Site search over public content: spaces and what each component's
manifest `search` hook returns. Only public content is searched, so the
results are the same for everyone and never leak a private space.

The core knows neither spaces nor components: each app above it registers a
provider when it loads (`register`, in its AppConfig.ready): the spaces app
gives the public spaces, the components app what their manifests' `search`
hooks return. Providers run in the order the apps load (spaces before
components), which is the order of the results.

It reads every public item on each query: right for a city's few thousand
pages and posts; a database full-text index is the next step when a
component brings tens of thousands of items (proposals)."""

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SearchResult:
    title: str
    excerpt: str
    url: str
    where: str


# provider(organization, shared) -> (title, text, url, where) of every public item it
# knows; `shared` is a dict the providers of one search pass along (the spaces found
# public, where the components look).
Provider = Callable[[object, dict], Iterable[tuple[str, str, str, str]]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def normalize(text: str) -> str:
    """Lower-case without accents, so "ecologie" finds "Écologie"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _excerpt(text: str, first_word: str, width: int = 200) -> str:
    text = " ".join(text.split())
    position = normalize(text).find(first_word)
    start = max(0, position - width // 3) if position >= 0 else 0
    excerpt = text[start : start + width]
    return ("…" if start else "") + excerpt + ("…" if start + width < len(text) else "")


def search(organization, query: str) -> list[SearchResult]:
    words = normalize(query).split()
    if not words:
        return []
    shared: dict = {}
    candidates = [candidate for provider in _providers for candidate in provider(organization, shared)]
    results = []
    for title, text, url, where in candidates:
        haystack = normalize(f"{title} {text}")
        if all(word in haystack for word in words):
            results.append(SearchResult(title=title, excerpt=_excerpt(text, words[0]), url=url, where=where))
    return results
