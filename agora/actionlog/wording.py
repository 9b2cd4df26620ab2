"""The action log in words: one sentence per row ("Camille commented on
“Un jardin partagé”"), in the reader's language.

Each app says how its own verbs read, in a `log_words.py` module discovered
at start-up (as `component.py` is for components):

    from django.utils.translation import gettext_lazy as _
    from agora.actionlog.wording import register

    register({
        "comments.created": _("%(actor)s commented on “%(target)s”"),
    })

A sentence is a %-format string with named fields: `actor` (the person, or
"The platform"), `target` (what the row points at, as it was named then),
`space`, `component`, every key of the row's `data`, and what the app's
`params(entry, memo)` hook adds (labels of codes: roles, verification methods ...).
A field the row does not have reads "…"; a verb no app describes still reads
as a sentence. agora/actionlog/tests checks that every verb logged anywhere in
the code has its sentence.
"""

from typing import Callable

from django.utils.translation import gettext as _

BLANK = "…"

_words: dict[str, object] = {}
_params: dict[str, Callable] = {}


def register(words: dict, *, params: Callable | None = None) -> None:
    """words: {verb: lazy %-format sentence}; params(entry, memo) -> dict of
    extra fields for those verbs, called only when one of them is shown
    (`memo`: a dict shared by the rows of one page, to read a table once)."""
    for verb, sentence in words.items():
        if verb in _words:
            raise ValueError(f"The action {verb!r} already has a wording")
        _words[verb] = sentence
        if params is not None:
            _params[verb] = params


def wording(verb: str):
    return _words.get(verb)


def described_verbs() -> list[str]:
    return sorted(_words)


class _Fields(dict):
    def __missing__(self, key):
        return BLANK


def _actor_name(entry) -> str:
    if entry.actor_id and entry.actor is not None:
        return entry.actor.public_name
    return _("The platform")


def fields_of(entry, memo: dict | None = None) -> dict:
    data = entry.data if isinstance(entry.data, dict) else {}
    fields = _Fields({key: value for key, value in data.items() if isinstance(value, (str, int, float))})
    fields.update(
        {
            "actor": _actor_name(entry),
            "target": entry.target_repr or BLANK,
            "space": str(entry.space) if entry.space_id and entry.space is not None else BLANK,
            "component": str(entry.component) if entry.component_id and entry.component is not None else BLANK,
        }
    )
    hook = _params.get(entry.verb)
    if hook is not None:
        try:
            fields.update(hook(entry, {} if memo is None else memo))
        except Exception:  # a sentence must never break the log page
            pass
    return fields


def describe(entry, memo: dict | None = None) -> str:
    """The sentence of an ActionLog row."""
    fields = fields_of(entry, memo)
    sentence = _words.get(entry.verb)
    text = None
    if sentence is not None:
        try:
            text = str(sentence) % fields
        except (TypeError, ValueError):
            text = None
    if text is None:
        text = _("%(actor)s made a change (%(verb)s) on “%(target)s”") % {**fields, "verb": entry.verb}
    agent = (entry.data or {}).get("assisted_by_name") if isinstance(entry.data, dict) else None
    if agent:
        text = _("%(sentence)s, helped at a desk by %(agent)s") % {"sentence": text, "agent": agent}
    return text


def describe_all(entries) -> list[tuple]:
    """[(entry, sentence)] for the rows of a page."""
    memo: dict = {}
    return [(entry, describe(entry, memo)) for entry in entries]


def verb_label(verb: str) -> str:
    """The sentence of a verb with blanks, for the log's filter ("… published the space “…”")."""
    sentence = _words.get(verb)
    if sentence is None:
        return verb
    try:
        return str(sentence) % _Fields()
    except (TypeError, ValueError):
        return verb


def verb_choices(verbs):
    return sorted(((verb, verb_label(verb)) for verb in verbs), key=lambda choice: choice[1].lower())
