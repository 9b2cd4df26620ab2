"""The kinds of participation and the channels statistics count.

A kind's position in KINDS is its bit in `Participant.kinds` (and a channel's in
`Participant.channels`): append new kinds at the end, never reorder or remove
one (the stored bitmasks would change meaning). A component that brings a new
kind of participation registers it with `register_kind` in its AppConfig.ready."""

from django.utils.translation import gettext_lazy as _

IDEA = "idea"
SUPPORT = "support"
COMMENT = "comment"
BALLOT = "ballot"
ANSWER = "answer"
SIGNATURE = "signature"
REGISTRATION = "registration"
DEBATE = "debate"

KINDS: dict[str, object] = {
    IDEA: _("Ideas"),
    SUPPORT: _("Supports"),
    COMMENT: _("Comments"),
    BALLOT: _("Ballots"),
    ANSWER: _("Survey answers"),
    SIGNATURE: _("Signatures"),
    REGISTRATION: _("Registrations"),
    DEBATE: _("Debates opened"),
}

ONLINE = "online"
DESK = "desk"
PAPER = "paper"

CHANNELS: dict[str, object] = {
    ONLINE: _("Online"),
    DESK: _("At a desk"),
    PAPER: _("On paper"),
}


def register_kind(name: str, label) -> None:
    """A kind of participation a component brings (petitions' "signature" is
    already there): its bit is the next free one."""
    if name not in KINDS:
        if len(KINDS) >= 31:
            raise ValueError("no bit left for another kind of participation")
        KINDS[name] = label


def kind_bit(kind: str) -> int:
    return 1 << list(KINDS).index(kind)


def channel_bit(channel: str) -> int:
    return 1 << list(CHANNELS).index(channel)
