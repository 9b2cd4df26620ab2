"""The feasibility study of the demo's 2026 ideas under way: an evaluation
grid, ideas assigned to the town's two evaluators and the grids they filled
in, all through the evaluation services (permissions and action log as in
the back-office)."""

from decimal import Decimal

from agora import permissions
from agora.components.proposals.evaluation import services
from agora.components.proposals.evaluation.models import Criterion
from agora.components.proposals.models import Proposal
from agora.core.translations import tr

CRITERIA = [
    (
        tr("Relève des compétences de la commune", "Within the town's powers"),
        tr("Oui ou non ; si non, quelle collectivité est compétente.", "Yes or no; if not, which authority is."),
        Criterion.Kind.YES_NO,
        True,
    ),
    (
        tr("Faisabilité technique", "Technical feasibility"),
        tr("De 1 (irréalisable) à 5 (simple à réaliser).", "From 1 (impossible) to 5 (simple to build)."),
        Criterion.Kind.SCORE,
        True,
    ),
    (
        tr("Coût estimé", "Estimated cost"),
        tr("En euros TTC, études comprises.", "In euros including VAT and studies."),
        Criterion.Kind.COST,
        True,
    ),
    (tr("Avis du service", "The department's opinion"), {}, Criterion.Kind.NOTE, False),
]

# Idea title -> (evaluator index, within the town's powers, reason, feasibility, cost, opinion);
# None in place of the grid: assigned, not evaluated yet.
GRIDS = {
    "Des arceaux vélos devant la médiathèque": (
        0,
        True,
        "",
        5,
        "4800",
        "Dix arceaux abrités ; pose en régie par les services techniques.",
    ),
    "Une piste cyclable sécurisée vers la gare": (
        0,
        True,
        "",
        3,
        "95000",
        "Faisable, mais le coût approche l'enveloppe ; un premier tronçon est possible.",
    ),
    "Un city-stade au quartier des Prés": (
        0,
        True,
        "",
        4,
        "48000",
        "Terrain disponible à côté de l'école Jean-Zay ; clôture et éclairage compris.",
    ),
    "Un passage piéton surélevé devant le collège": (
        0,
        False,
        "La rue Victor-Hugo est une route départementale : le Département est compétent.",
        2,
        "22000",
        "Transmis au Département avec l'avis favorable de la Ville.",
    ),
    "Éclairer le chemin de halage": (0, None),
    "Planter un verger partagé": (
        1,
        True,
        "",
        5,
        "12000",
        "Quinze arbres fruitiers, paillage et récupérateur d'eau ; plantation en novembre.",
    ),
    "Végétaliser la cour de l'école Jean-Zay": (
        1,
        True,
        "",
        4,
        "60000",
        "À programmer pendant les vacances d'été ; désimperméabilisation partielle.",
    ),
    "Des nichoirs et des hôtels à insectes dans les écoles": (
        1,
        True,
        "",
        5,
        "3000",
        "Ateliers avec les enseignants ; bois fourni par la Ville.",
    ),
    "Une aire de jeux pour les tout-petits": (1, None),
}


def seed_evaluation(component, *, manager, evaluators) -> None:
    permissions.forget_roles(manager)
    criteria = [
        services.save_criterion(
            actor=manager, component=component, label=label, help_text=help_text, kind=kind, required=required
        )
        for label, help_text, kind, required in CRITERIA
    ]
    ideas = {
        proposal.title: proposal
        for proposal in Proposal.objects.filter(component=component, status=Proposal.Status.PUBLISHED)
    }
    for index, evaluator in enumerate(evaluators):
        permissions.forget_roles(evaluator)
        assigned = [ideas[title] for title, grid in GRIDS.items() if grid[0] == index and title in ideas]
        services.assign_evaluators(actor=manager, component=component, proposals=assigned, evaluators=[evaluator])
    for title, grid in GRIDS.items():
        if title not in ideas or grid[1] is None:
            continue
        evaluator_index, competent, reason, feasibility, cost, opinion = grid
        yes_no, score, estimate, note = criteria
        services.save_evaluation(
            actor=evaluators[evaluator_index],
            proposal=ideas[title],
            values={
                yes_no.pk: {"yes": competent, "reason": reason},
                score.pk: {"score": feasibility},
                estimate.pk: {"cost": Decimal(str(cost))},
                note.pk: {"note": opinion},
            },
        )
