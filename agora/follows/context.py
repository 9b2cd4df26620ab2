"""Where an object lives: its organization, space and component, found from
the usual attributes, so that follows and notifications work with any model
(a Space, a Component, a resource with `.component`, a comment ...)."""

from dataclasses import dataclass

from agora.components.models import Component
from agora.spaces.models import Space


@dataclass(frozen=True)
class Place:
    organization_id: int | None = None
    space: Space | None = None
    component: Component | None = None


def place_of(obj) -> Place:
    if obj is None:
        return Place()
    if isinstance(obj, Space):
        return Place(obj.organization_id, obj, None)
    if isinstance(obj, Component):
        return Place(obj.space.organization_id, obj.space, obj)
    component = getattr(obj, "component", None)
    if isinstance(component, Component):
        return Place(component.space.organization_id, component.space, component)
    space = getattr(obj, "space", None)
    if isinstance(space, Space):
        return Place(space.organization_id, space, None)
    return Place(getattr(obj, "organization_id", None), None, None)
