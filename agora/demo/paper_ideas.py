"""Demo data: ideas of the 2026 budget that residents gave on paper (forms
left at the town hall and the library), at the town hall's desk and at a
neighbourhood meeting, typed in by the budget officer through the same
service as the back-office screen (agora.components.proposals.services.enter_idea),
each marked with its channel."""

from agora.components.proposals import selectors, services
from agora.components.proposals.models import Proposal

# (channel, resident's name as on the form, title, description, category (French name))
PAPER_IDEAS = [
    (
        "paper",
        "Jeanne M.",
        "Un banc devant la poste",
        "Les personnes âgées attendent debout devant la poste, parfois longtemps : un banc à l'ombre serait bienvenu.",
        "Cadre de vie",
    ),
    (
        "paper",
        "Ahmed C.",
        "Des toilettes publiques au parc des Tilleuls",
        "Le parc est très fréquenté par les familles le week-end mais il n'y a aucune toilette à proximité.",
        "Cadre de vie",
    ),
    (
        "paper",
        "Famille Nguyen",
        "Un passage piéton devant l'école maternelle",
        "Les enfants traversent la rue des Lilas sans passage protégé ; un passage surélevé ralentirait les voitures.",
        "Voirie et sécurité",
    ),
    (
        "meeting",
        "Conseil de quartier des Prés",
        "Des nichoirs pour les martinets",
        "Proposé lors de la réunion publique du quartier des Prés : poser des nichoirs sous les toits des "
        "bâtiments municipaux.",
        "Biodiversité",
    ),
]


def seed_paper_ideas(component, *, officer) -> list:
    """Once: does nothing when the component already has ideas from these channels."""
    if Proposal.objects.filter(component=component).exclude(channel=Proposal.Channel.ONLINE).exists():
        return []

    categories = {str(category.name.get("fr", "")): category for category in selectors.offered_categories(component)}
    created = []
    for channel, name, title, body, category in PAPER_IDEAS:
        created.append(
            services.enter_idea(
                actor=officer,
                component=component,
                channel=channel,
                author_name=name,
                title=title,
                body=body,
                category=categories.get(category),
            )
        )
    return created
