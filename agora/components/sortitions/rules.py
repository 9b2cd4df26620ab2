"""Permission rules of the sortitions component (registered in apps.ready)."""

from agora.permissions import can, rule


@rule("sortitions.manage")
def _manage(user, component):
    """Pools, quotas, selections, commitments, draws and replacements: the space's administrators."""
    return can(user, "component.manage", component)


@rule("sortitions.view")
def _view(user, component):
    """The published distributions and verification bundles: whoever sees the component."""
    return can(user, "component.view", component)
