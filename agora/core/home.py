"""What the home page shows, given by the apps above the core.

The core's home view knows neither spaces nor components: each app registers
the part of the page's context it brings when it loads (`register`, in its
AppConfig.ready): the spaces app the promoted processes and open phases, the
components app the blocks of the component types. Parts are asked in the
order the apps load."""

from collections.abc import Callable

_parts: list[Callable] = []


def register(function: Callable) -> Callable:
    """function(request) -> a dict added to the home page's context."""
    if function not in _parts:
        _parts.append(function)
    return function


def context(request) -> dict:
    merged: dict = {}
    for function in _parts:
        merged.update(function(request))
    return merged
