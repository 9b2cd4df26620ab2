"""Setting definitions a component adds to its manifest to make its
resources commentable:

    from agora.comments.settings import COMPONENT_SETTINGS, PHASE_SETTINGS, comment_rule
    ComponentManifest(..., settings=(..., *COMPONENT_SETTINGS),
                      phase_settings=(..., *PHASE_SETTINGS), rules=(..., comment_rule("news.Post")))
"""

from django.utils.translation import gettext_lazy as _

from agora.components.registry import PARTICIPANTS, ActionRule, Setting

COMMENTS_ENABLED = "comments_enabled"
ALIGNMENT_ENABLED = "comments_alignment"
MAX_LENGTH = "comments_max_length"
COMMENTS_BLOCKED = "comments_blocked"

DEFAULT_MAX_LENGTH = 1000

COMPONENT_SETTINGS = (
    Setting(
        COMMENTS_ENABLED,
        "bool",
        True,
        _("Comments enabled"),
        help_text=_("Participants can comment on the resources of this component."),
    ),
    Setting(
        ALIGNMENT_ENABLED,
        "bool",
        False,
        _("Comments say for, against or neutral"),
        help_text=_("Each comment states whether it supports the resource, opposes it or is neutral."),
    ),
    Setting(
        MAX_LENGTH,
        "int",
        DEFAULT_MAX_LENGTH,
        _("Maximum length of a comment"),
        help_text=_("In characters."),
        min_value=100,
        max_value=10000,
    ),
)


def component_settings(*, enabled: bool = True) -> tuple:
    """COMPONENT_SETTINGS with "Comments enabled" defaulting to `enabled`: a component
    whose resources were not commentable before (budget projects, follow-up
    results) offers comments as a setting the officer turns on."""
    if enabled:
        return COMPONENT_SETTINGS
    first, *rest = COMPONENT_SETTINGS
    return (
        Setting(
            first.name,
            first.type,
            False,
            first.label,
            help_text=_("Participants can comment on the resources of this component (off by default)."),
        ),
        *rest,
    )


PHASE_SETTINGS = (
    Setting(
        COMMENTS_BLOCKED,
        "bool",
        False,
        _("Comments blocked"),
        help_text=_("Comments stay readable but nobody can add new ones during this phase."),
    ),
)


def comment_rule(on: str, *, where: dict | None = None) -> ActionRule:
    """The "comment" action of a component whose resources `on` (a model label)
    are commentable: participants, while the phase does not block comments,
    once the component turns comments on (agora.comments.rules)."""
    return ActionRule(
        "comments.create",
        PARTICIPANTS,
        action="comment",
        on=on,
        where=where or {},
        opened_by=COMMENTS_BLOCKED,
        open_value=False,
        closed_value=True,
        needs={COMMENTS_ENABLED: True},
        view="comments:post",
    )


_DEFAULTS = {s.name: s.default for s in (*COMPONENT_SETTINGS, *PHASE_SETTINGS)}


def component_setting(component, name):
    """The value of one comment setting of a component (typed, Component.settings_of),
    with our default when the component's manifest does not declare it."""
    if component is None:
        return _DEFAULTS[name]
    return component.settings_of().get(name, _DEFAULTS[name])


def blocked_in_phase(component) -> bool:
    if component is None:
        return False
    return bool(component.phase_settings_of().get(COMMENTS_BLOCKED, False))
