"""Telling a process's followers that a new phase has started: the
notifications app listens to the spaces app (`spaces.services.on_phase_started`,
registered in NotificationsConfig.ready), which sits below it and never
imports it."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agora.core.translations import translated
from agora.notifications import events
from agora.notifications.services import publish

events.register(
    "spaces.phase_started",
    label=_("A new phase starts in a process I follow"),
    message=_("%(target)s: the phase “%(phase)s” has started"),
)


def announce_phase(space, phase, actor) -> None:
    """A background task, after commit."""
    with translation.override(space.organization.default_language):
        phase_title = translated(phase.title)
    publish(
        event="spaces.phase_started",
        actor=actor,
        target=space,
        organization=space.organization,
        space=space,
        url=space.get_absolute_url(),
        data={"phase": phase_title},
        space_followers=False,
        actor_followers=False,
    )
