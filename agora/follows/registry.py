"""Which models people may follow from a page (the follow button posts the
model's label and the object's id, so only declared models are accepted).

Spaces and participants are followable from the start; a component declares
its followable resources in its manifest (`Resource(..., followable=True)`),
and its commentable ones are followable too; other apps call `register(Model)`
(agora.comments.registry does for the models it is given)."""

from django.apps import apps

from agora.components.registry import once_ready, registry

_models: set[str] = {"spaces.space", "accounts.user"}


@once_ready
def _declared() -> frozenset[str]:
    """The followable (or commentable) resources of the component manifests."""
    return frozenset(
        resource.model.lower() for resource in registry.resources() if resource.followable or resource.commentable
    )


def register(model) -> None:
    _models.add(model._meta.label_lower)


def model_for_label(label: str):
    """The followable model named "app_label.model_name", or None."""
    label = (label or "").lower()
    if label not in _models and label not in _declared():
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def label_of(obj) -> str:
    return obj._meta.label_lower
