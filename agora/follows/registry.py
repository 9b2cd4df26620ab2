"""Which models people may follow from a page (the follow button posts the
model's label and the object's id, so only declared models are accepted).

Spaces and participants are followable from the start; a component declares
its resources with `register(Idea)`. Commentable resources
(agora.comments.registry) are registered automatically."""

from django.apps import apps

_models: set[str] = {"spaces.space", "accounts.user"}


def register(model) -> None:
    _models.add(model._meta.label_lower)


def model_for_label(label: str):
    """The followable model named "app_label.model_name", or None."""
    label = (label or "").lower()
    if label not in _models:
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def label_of(obj) -> str:
    return obj._meta.label_lower
