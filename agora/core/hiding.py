"""Leaving out what moderation hid, for the lists below moderation.

A list of rows that name content by content type and id (a person's public
contributions in the action log, their notifications) must not show what
moderators hid. Those lists live in apps below moderation (accounts,
notifications), so they ask here and the moderation app registers its filter
when it loads (`agora.moderation.apps`), as verifications register the
eligibility check in `agora.permissions`."""

from collections.abc import Callable

_filters: list[Callable] = []


def register(function: Callable) -> Callable:
    """function(queryset, *, type_field, id_field) -> the queryset without the
    rows whose content is hidden."""
    if function not in _filters:
        _filters.append(function)
    return function


def without_hidden_targets(queryset, *, type_field: str = "target_type", id_field: str = "target_id"):
    """`queryset` minus the rows whose target (content type in `type_field`,
    id as text in `id_field`) moderation hid."""
    for function in _filters:
        queryset = function(queryset, type_field=type_field, id_field=id_field)
    return queryset
