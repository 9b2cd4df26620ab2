"""Which models can be reported, and how moderation talks about them.

A component declares its reportable resources in its manifest, with the
dotted path of its adapter (moderation reads them, it never imports a
component): `Resource("proposals.Proposal", reportable="agora.components.proposals.integrations.ProposalReports")`.
Other apps make their content reportable when they load (in AppConfig.ready):

    from agora.moderation.registry import ReportableAdapter, register

    class CommentAdapter(ReportableAdapter):
        label = _("comment")

        def organization(self, obj): return obj.organization
        def space(self, obj): return obj.space              # None for content outside spaces
        def author(self, obj): return obj.author            # None when unknown
        def excerpt(self, obj): return obj.body[:300]        # plain text, escaped when shown
        def url(self, obj): return obj.get_absolute_url()
        def can_view(self, user, obj): return can(user, "component.view", obj.component)

    register(Comment, CommentAdapter())

Moderation keeps its own rows (agora.moderation.models.Moderation) pointing
at the content by content type and id: reportable models need no field.
"""

from typing import Any

from django.apps import apps
from django.db import models

from agora.components.registry import once_ready, registry


class ReportableAdapter:
    """Base adapter: override what your model needs. `label` names the kind
    of content for moderators ("comment", "idea")."""

    label: Any = "content"  # a string or a lazy translation

    def organization(self, obj):
        raise NotImplementedError

    def space(self, obj):
        return None

    def author(self, obj):
        return getattr(obj, "author", None)

    def excerpt(self, obj) -> str:
        return str(obj)

    def url(self, obj) -> str:
        return obj.get_absolute_url()

    def can_view(self, user, obj) -> bool:
        """May `user` see the content (and therefore report it)?"""
        return True

    def hidden_changed(self, obj, hidden: bool) -> None:
        """Moderation hid `obj` (hidden=True: by a moderator or by reports) or
        showed it again, in the decision's transaction. Most content needs
        nothing: its reads leave hidden content out (`visible()`). Content whose
        own state must follow overrides it (an opinion map's statement leaves the
        voting and the map as if rejected)."""


_adapters: dict[type, ReportableAdapter] = {}


@once_ready
def _declared() -> dict[type, ReportableAdapter]:
    """The reportable resources of the component manifests."""
    return {
        apps.get_model(resource.model): resource.adapter("reportable")
        for resource in registry.resources()
        if resource.reportable
    }


def register(model: type[models.Model], adapter: ReportableAdapter) -> None:
    if model in _adapters:
        raise ValueError(f"{model.__name__} is already reportable")
    _adapters[model] = adapter


def unregister(model: type[models.Model]) -> None:
    """For tests that register a model for a while."""
    _adapters.pop(model, None)


def adapter_for(model_or_obj) -> ReportableAdapter | None:
    model: Any = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    model = model._meta.concrete_model
    return _adapters.get(model) or _declared().get(model)


def adapter_of(model_or_obj) -> ReportableAdapter:
    """The adapter of what is reported: LookupError for a model no app registered."""
    adapter = adapter_for(model_or_obj)
    if adapter is None:
        raise LookupError(f"{model_or_obj._meta.label} is not reportable")
    return adapter


def is_reportable(model_or_obj) -> bool:
    return adapter_for(model_or_obj) is not None


def reportable_models() -> list[type]:
    return [*_declared(), *(model for model in _adapters if model not in _declared())]
