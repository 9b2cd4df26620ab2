"""Demo budget: 100,000 € for eight costed projects, approval of at most 3 (as in Fleury)."""

from agora.components.budgets.models import Budget, Project
from agora.core.translations import tr
from agora.taxonomy.models import Category

# (French title, English title, cost, category (French name), French and English description)
PROJECTS = [
    (
        "Des arbres fruitiers au square Moulin",
        "Fruit trees in the Moulin square",
        18_000,
        "Biodiversité",
        "Planter quinze arbres fruitiers et installer des bancs à l'ombre.",
        "Plant fifteen fruit trees and put benches in the shade.",
    ),
    (
        "Un city-stade rue des Lilas",
        "A multi-sport pitch on rue des Lilas",
        45_000,
        "Sport",
        "Un terrain multisport clôturé, ouvert à tous de 9 h à 21 h.",
        "A fenced multi-sport pitch open to all from 9 am to 9 pm.",
    ),
    (
        "Une boîte à livres par quartier",
        "A book box in every district",
        6_000,
        "Culture",
        "Cinq boîtes à livres fabriquées par le lycée professionnel.",
        "Five book boxes made by the vocational school.",
    ),
    (
        "Des abris vélos sécurisés à la gare",
        "Secure bike shelters at the station",
        30_000,
        "Mobilités douces",
        "Quarante places abritées et fermées, accessibles avec la carte de transport.",
        "Forty covered, locked places, opened with the transport card.",
    ),
    (
        "Des toilettes publiques accessibles au parc",
        "Accessible public toilets in the park",
        38_000,
        "Cadre de vie",
        "Des toilettes accessibles aux fauteuils roulants, ouvertes toute l'année.",
        "Wheelchair-accessible toilets, open all year round.",
    ),
    (
        "Un festival de musique de quartier",
        "A neighbourhood music festival",
        12_000,
        "Culture",
        "Une journée de concerts gratuits avec les écoles de musique.",
        "A day of free concerts with the music schools.",
    ),
    (
        "Des composteurs collectifs",
        "Shared compost bins",
        8_000,
        "Écologie",
        "Dix composteurs gérés par les habitants, avec une formation.",
        "Ten compost bins run by residents, with training.",
    ),
    (
        "Éclairer le chemin du collège",
        "Light the path to the school",
        25_000,
        "Voirie et sécurité",
        "Un éclairage à détection de présence sur le chemin piéton du collège.",
        "Motion-sensing lights along the footpath to the school.",
    ),
]


def seed(component):
    organization = component.space.organization
    # Categories by name (the demo city's), never by position.
    categories = {str(c.name.get("fr", "")): c for c in Category.objects.filter(organization=organization)}
    budget = Budget.objects.create(
        component=component,
        title=tr("Budget participatif de la ville", "City-wide participatory budget"),
        description=tr(
            "<p>100 000 € pour des projets proposés par les habitantes et les habitants. "
            "Choisissez jusqu'à 3 projets.</p>",
            "<p>€100,000 for projects proposed by residents. Choose up to 3 projects.</p>",
        ),
        envelope=100_000,
        rule=Budget.Rule.APPROVAL,
        min_projects=1,
        max_projects=3,
    )
    for position, (title_fr, title_en, cost, category, body_fr, body_en) in enumerate(PROJECTS):
        Project.objects.create(
            component=component,
            budget=budget,
            title=tr(title_fr, title_en),
            cost=cost,
            weight=position,
            description=tr(f"<p>{body_fr}</p>", f"<p>{body_en}</p>"),
            category=categories.get(category),
        )
    return budget
