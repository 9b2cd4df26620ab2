"""What a newsletter may announce as upcoming: the items the components
declare in their manifests' `upcoming` hook, for the organization's
components (each hook keeps what is public)."""

from agora.components.models import Component
from agora.components.registry import UpcomingItem, registry
from agora.core.models import Organization


def choices(organization: Organization) -> list[UpcomingItem]:
    """Every upcoming item of the organization, the soonest first."""
    components = list(
        Component.objects.filter(space__organization=organization, published_at__isnull=False).select_related("space")
    )
    found: list[UpcomingItem] = []
    for manifest in registry.all():
        hook = manifest.hook(manifest.upcoming)
        mine = [component for component in components if component.manifest_name == manifest.name]
        if hook is not None and mine:
            found.extend(hook(mine))
    return sorted(found, key=lambda item: (item.starts_at, item.key))


def snapshot(organization: Organization, keys: list[str]) -> list[dict]:
    """The chosen items as a block keeps them, the soonest first; empty when a key is not an upcoming item."""
    known = {item.key: item for item in choices(organization)}
    if any(key not in known for key in keys):
        return []
    return [
        {"key": key, "title": known[key].title, "starts_at": known[key].starts_at.isoformat(), "url": known[key].url}
        for key in sorted(keys, key=lambda key: (known[key].starts_at, key))
    ]
