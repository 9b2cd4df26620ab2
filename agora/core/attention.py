"""What needs an officer's attention: the cards at the top of the back-office's
dashboard (ideas waiting for an answer, reports to review, phases that end
soon, e-mails that failed ...).

The core knows none of it: each app above it registers a provider when it
loads (`register`, in its AppConfig.ready), as for the home page and the
search. A provider is `provider(user, organization) -> list[Item]`: only what
this person may manage (it asks `agora.permissions`, whose answers about roles
come from the page's one query), in one or two queries whatever the number of
spaces and components (counts grouped in the database, never a query per
row). The components app is one provider: it runs each manifest's `attention`
hook (agora.components.registry) once for all the components of its type.
Providers run in the order the apps load."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """One card: `count` things, said by `label` (the words that follow the
    number, chosen for it with ngettext: "ideas waiting for an answer"), on the
    screen at `url`; `where` names the space or component ("" for the whole
    organization); `icon` is a name of agora.core.icons."""

    label: str
    count: int
    url: str
    where: str = ""
    icon: str = "inbox"


Provider = Callable[[object, object], list[Item]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def items_for(user, organization) -> list[Item]:
    """Every card of every provider for this person, those with nothing to do left out."""
    return [item for provider in _providers for item in provider(user, organization) if item.count > 0]
