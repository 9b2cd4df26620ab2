"""The default states of ideas, seeded when a component has none: by the
back-office of ideas (agora.components.proposals.evaluation) and the demo
seed. Here, below the evaluation app, so the ideas app never imports it."""

from django.db import IntegrityError, transaction

from agora.components.proposals.models import ProposalState

# Defaults seeded when a component has no state yet (French, English, meaning, colour).
DEFAULT_STATES = (
    ("recevable", "Recevable", "Admissible", ProposalState.Meaning.NONE, "#1d4f91"),
    ("non-recevable", "Non recevable", "Not admissible", ProposalState.Meaning.REJECTED, "#6b6b6b"),
    ("en-etude", "En étude", "Being studied", ProposalState.Meaning.EVALUATING, "#8a4b08"),
    ("retenu", "Retenu", "Accepted", ProposalState.Meaning.ACCEPTED, "#1b6e3a"),
    ("non-retenu", "Non retenu", "Not accepted", ProposalState.Meaning.REJECTED, "#a4262c"),
)


def ensure_default_states(component) -> None:
    """Seed the default states when the component has none (idempotent, safe
    under parallel requests thanks to the unique token per component)."""
    if ProposalState.objects.filter(component=component).exists():
        return
    for weight, (token, name_fr, name_en, meaning, colour) in enumerate(DEFAULT_STATES, start=1):
        try:
            with transaction.atomic():
                ProposalState.objects.get_or_create(
                    component=component,
                    token=token,
                    defaults={
                        "name": {"fr": name_fr, "en": name_en},
                        "meaning": meaning,
                        "colour": colour,
                        "weight": weight,
                    },
                )
        except IntegrityError:
            pass
