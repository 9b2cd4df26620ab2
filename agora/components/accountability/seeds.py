"""Demo follow-up: the four usual statuses and six results of a
participatory budget (one with two sub-results), with milestones.

Works on a bare component (no categories or districts needed); when the
organization has the demo city's categories and districts, each result gets
its own (PLACES)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from agora.components.accountability import services
from agora.components.accountability.models import Status
from agora.core.translations import tr
from agora.taxonomy.models import Category, Scope

RESULTS = [
    # (title, description, status token, progress, lat, lng, milestones [(days ago, title, text)])
    (
        tr("Un jardin partagé au parc des Tilleuls", "A shared garden in Tilleuls park"),
        tr(
            "<p>Vingt parcelles cultivées par les habitants, un composteur et un point d'eau.</p>",
            "<p>Twenty plots grown by residents, a compost bin and a water point.</p>",
        ),
        "realise",
        None,
        Decimal("47.507900"),
        Decimal("1.097200"),
        [
            (
                300,
                tr("Étude de faisabilité validée", "Feasibility study approved"),
                tr(
                    "<p>Les services espaces verts ont choisi l'emplacement avec l'association de quartier.</p>",
                    "<p>The parks department chose the spot with the neighbourhood association.</p>",
                ),
            ),
            (
                150,
                tr("Début des travaux", "Works started"),
                tr(
                    "<p>Clôture, allées et récupérateurs d'eau de pluie.</p>",
                    "<p>Fence, paths and rain-water tanks.</p>",
                ),
            ),
            (
                40,
                tr("Inauguration", "Opening"),
                tr(
                    "<p>Les parcelles ont été attribuées par tirage au sort.</p>",
                    "<p>The plots were allotted by drawing lots.</p>",
                ),
            ),
        ],
    ),
    (
        tr("Des bancs et de l'ombre place de la Mairie", "Benches and shade on the town-hall square"),
        tr(
            "<p>Huit bancs et douze arbres pour s'asseoir au frais.</p>",
            "<p>Eight benches and twelve trees to sit in the shade.</p>",
        ),
        "travaux-en-cours",
        60,
        Decimal("47.501300"),
        Decimal("1.103100"),
        [
            (
                120,
                tr("Commande passée", "Order placed"),
                tr("<p>Bancs commandés à un menuisier local.</p>", "<p>Benches ordered from a local carpenter.</p>"),
            ),
            (
                20,
                tr("Plantation des arbres", "Trees planted"),
                tr("<p>Douze tilleuls plantés.</p>", "<p>Twelve lime trees planted.</p>"),
            ),
        ],
    ),
    (
        tr("Une piste cyclable jusqu'au collège", "A cycle lane to the secondary school"),
        tr(
            "<p>Une piste séparée de la route sur la rue Jean-Jaurès, réalisée en deux tronçons.</p>",
            "<p>A lane separated from the road on rue Jean-Jaurès, built in two sections.</p>",
        ),
        "travaux-en-cours",
        None,
        Decimal("47.499500"),
        Decimal("1.106000"),
        [
            (
                90,
                tr("Concertation avec les riverains", "Meeting with residents"),
                tr(
                    "<p>Quarante personnes présentes ; le tracé a été ajusté.</p>",
                    "<p>Forty people came; the route was adjusted.</p>",
                ),
            )
        ],
    ),
    (
        tr("Une boîte à livres dans chaque quartier", "A book box in every district"),
        tr(
            "<p>Des boîtes fabriquées par les élèves du lycée professionnel.</p>",
            "<p>Boxes made by the vocational school's students.</p>",
        ),
        "en-etude",
        None,
        None,
        None,
        [
            (
                30,
                tr("Ateliers de fabrication prévus", "Building workshops planned"),
                tr("<p>Les ateliers commenceront à la rentrée.</p>", "<p>The workshops start after the summer.</p>"),
            )
        ],
    ),
    (
        tr("Un terrain de basket rénové", "A renovated basketball court"),
        tr("<p>Nouveau revêtement, paniers et éclairage.</p>", "<p>New surface, hoops and lighting.</p>"),
        "abandonne",
        0,
        Decimal("47.497000"),
        Decimal("1.109000"),
        [
            (
                60,
                tr("Projet abandonné", "Project abandoned"),
                tr(
                    "<p>Le terrain sera reconstruit par la région dans le cadre du nouveau gymnase : le budget est "
                    "reporté sur le projet suivant de la liste.</p>",
                    "<p>The region will rebuild the court with the new gymnasium: the money goes to the next project "
                    "on the list.</p>",
                ),
            )
        ],
    ),
]

# Each result's category (French name) and district (scope code), when the
# organization has them: named, never picked by position, so a basketball
# court is filed under sport whatever order the categories come in.
PLACES = {
    "Un jardin partagé au parc des Tilleuls": ("Biodiversité", "Q-PRES"),
    "Des bancs et de l'ombre place de la Mairie": ("Cadre de vie", "Q-CENTRE"),
    "Une piste cyclable jusqu'au collège": ("Mobilités douces", "BSL"),
    "Une boîte à livres dans chaque quartier": ("Culture", "BSL"),
    "Un terrain de basket rénové": ("Sport", "Q-GARE"),
}

SUB_RESULTS = [
    (tr("Tronçon 1 : du centre au rond-point", "Section 1: from the centre to the roundabout"), "realise", None),
    (
        tr("Tronçon 2 : du rond-point au collège", "Section 2: from the roundabout to the school"),
        "travaux-en-cours",
        30,
    ),
]


@transaction.atomic
def seed(component):
    services.insert_default_statuses(component)
    statuses = {status.token: status for status in Status.objects.filter(component=component)}
    organization = component.space.organization
    categories = {str(c.name.get("fr", "")): c for c in Category.objects.filter(organization=organization)}
    scopes = {scope.code: scope for scope in Scope.objects.filter(organization=organization)}
    today = date.today()
    created = []
    for position, (title, description, token, progress, lat, lng, milestones) in enumerate(RESULTS):
        result = services.insert_result(
            component=component,
            title=title,
            description=description,
            status=statuses.get(token),
            progress=progress,
            latitude=lat,
            longitude=lng,
            weight=position,
            category=categories.get(PLACES[title["fr"]][0]),
            scope=scopes.get(PLACES[title["fr"]][1]),
            start_date=today - timedelta(days=330),
            end_date=today + timedelta(days=200 - 60 * position),
            reference=f"BP-{position + 1:02d}",
        )
        for days_ago, milestone_title, text in milestones:
            services.insert_milestone(
                result=result, date=today - timedelta(days=days_ago), title=milestone_title, description=text
            )
        created.append(result)
    cycle_lane = created[2]
    for position, (title, token, progress) in enumerate(SUB_RESULTS):
        services.insert_result(
            component=component,
            parent=cycle_lane,
            title=title,
            status=statuses.get(token),
            progress=progress,
            weight=position,
            category=cycle_lane.category,
            scope=cycle_lane.scope,
            reference=f"BP-03-{position + 1}",
        )
    return created
