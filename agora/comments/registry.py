"""The registry of commentable models.

A component declares its commentable resources in its manifest (the comments
layer reads them, it never imports a component):

    class IdeaComments(Commentable):              # in the component, e.g. integrations.py
        def is_visible(self, user, idea):
            return idea.is_published or can(user, "component.manage", idea.component)
        def closed_reason(self, idea):
            return _("This idea is withdrawn.") if idea.withdrawn else ""

    ComponentManifest(..., resources=(Resource("ideas.Idea", commentable="agora.components.ideas.integrations.IdeaComments"),))

(`commentable=True` for the defaults). Other apps register a model with
`register(Model, adapter)`.

The defaults suit a resource with a `component` foreign key, an `author`
and `get_absolute_url()`. The comment settings (enabled, alignment, maximum
length, blocked per phase) are read from the component
(agora.comments.settings). Registered models are also followable."""

from django.apps import apps

from agora.comments import settings as comment_settings
from agora.components.registry import once_ready, registry
from agora.follows import registry as follows_registry


class Commentable:
    """How the comments layer sees a resource. Override what differs."""

    def component(self, obj):
        return obj.component

    def authors(self, obj) -> list:
        """People told of new comments (besides the followers of the resource)."""
        author = getattr(obj, "author", None)
        return [author] if author is not None else []

    def url(self, obj) -> str:
        return obj.get_absolute_url()

    def is_visible(self, user, obj) -> bool:
        """Beyond "may see the component": may this person see this resource?"""
        return True

    def closed_reason(self, obj) -> str:
        """A reason commenting is closed for this resource ("" when open)."""
        return ""

    # The settings come from the component; override to decide otherwise.
    def enabled(self, obj) -> bool:
        return bool(comment_settings.component_setting(self.component(obj), comment_settings.COMMENTS_ENABLED))

    def alignment_enabled(self, obj) -> bool:
        return bool(comment_settings.component_setting(self.component(obj), comment_settings.ALIGNMENT_ENABLED))

    def max_length(self, obj) -> int:
        return int(comment_settings.component_setting(self.component(obj), comment_settings.MAX_LENGTH))

    def blocked(self, obj) -> bool:
        return comment_settings.blocked_in_phase(self.component(obj))


_adapters: dict[str, Commentable] = {}


def register(model, adapter: Commentable | None = None) -> Commentable:
    label = model._meta.label_lower
    if label in _adapters:
        raise ValueError(f"{label} is already commentable")
    _adapters[label] = adapter or Commentable()
    follows_registry.register(model)
    return _adapters[label]


@once_ready
def _declared() -> dict[str, Commentable]:
    """The commentable resources of the component manifests."""
    return {
        resource.model.lower(): resource.adapter("commentable", Commentable)
        for resource in registry.resources()
        if resource.commentable
    }


def adapter_for(obj_or_model) -> Commentable | None:
    label = obj_or_model._meta.label_lower
    return _adapters.get(label) or _declared().get(label)


def adapter_of(obj_or_model) -> Commentable:
    """The adapter of what is commented: LookupError for a model no app registered
    (code that comments on it is wrong, whoever asks)."""
    adapter = adapter_for(obj_or_model)
    if adapter is None:
        raise LookupError(f"{obj_or_model._meta.label} is not commentable")
    return adapter


def model_for_label(label: str):
    label = (label or "").lower()
    if label not in _adapters and label not in _declared():
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None
