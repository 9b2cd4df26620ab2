"""What owns a questionnaire, registered by the owner's app (this app imports
no owner): who may manage it, where its back-office screens are.

    owners.register("surveys.survey", manage=lambda user, questionnaire: can(user, "surveys.manage", ...))
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Owner:
    # (user, questionnaire) -> Decision: may change its questions, read its answers.
    manage: Callable
    # (questionnaire) -> the component, or None: the log rows of its changes are filed under it.
    component: Callable = lambda questionnaire: None


_owners: dict[str, Owner] = {}


def register(owner_type: str, owner: Owner) -> None:
    _owners[owner_type] = owner


def owner_of(questionnaire) -> Owner | None:
    return _owners.get(questionnaire.owner_type)
