"""The demo's previous edition, Budget participatif 2025, built as a real
edition goes: eight costed projects (two of them incompatible: one plot for
the basketball court and the skatepark, declared before the vote), ballots
cast online by the demo participants and paper ballots entered by the
officer, the vote closed, the result counted and published by the budgets
services, then the winners imported into the follow-up and their progress
recorded. Months later the Region funds the basketball court: the city
excludes it from the count (a public decision with its reason) and publishes
the results again; the mural comes in, the court's follow-up result is
flagged "no longer selected" and the mural is imported. Every number on the
results page comes from the count, the public log tells the story with its
reasons, anyone can download the anonymised ballots and recount them, and
the follow-up holds every winner of the published result."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from agora import permissions
from agora.actionlog.models import ActionLog
from agora.comments.demo import seed_thread
from agora.components.accountability import services as follow_up
from agora.components.accountability.models import Result, Status
from agora.components.accountability.seeds import RESULTS, SUB_RESULTS
from agora.components.budgets import services as budgets
from agora.components.budgets.models import Budget, Project
from agora.core.translations import tr
from agora.spaces.models import Phase
from agora.spaces.services import activate_phase
from agora.taxonomy.models import Category, Scope

ENVELOPE = 100_000

# (French title, English title, cost, category (French name), district code, French and English description)
PROJECTS = [
    (
        "Un jardin partagé au parc des Tilleuls",
        "A shared garden in Tilleuls park",
        15_000,
        "Biodiversité",
        "Q-PRES",
        "Vingt parcelles cultivées par les habitants, un composteur et un point d'eau.",
        "Twenty plots grown by residents, a compost bin and a water point.",
    ),
    (
        "Des bancs et de l'ombre place de la Mairie",
        "Benches and shade on the town-hall square",
        12_000,
        "Cadre de vie",
        "Q-CENTRE",
        "Huit bancs et douze arbres pour s'asseoir au frais.",
        "Eight benches and twelve trees to sit in the shade.",
    ),
    (
        "Une piste cyclable jusqu'au collège",
        "A cycle lane to the secondary school",
        40_000,
        "Mobilités douces",
        "BSL",
        "Une piste séparée de la route sur la rue Jean-Jaurès, réalisée en deux tronçons.",
        "A lane separated from the road on rue Jean-Jaurès, built in two sections.",
    ),
    (
        "Une boîte à livres dans chaque quartier",
        "A book box in every district",
        5_000,
        "Culture",
        "BSL",
        "Des boîtes fabriquées par les élèves du lycée professionnel.",
        "Boxes made by the vocational school's students.",
    ),
    (
        "Un terrain de basket rénové",
        "A renovated basketball court",
        25_000,
        "Sport",
        "Q-GARE",
        "Nouveau revêtement, paniers et éclairage.",
        "New surface, hoops and lighting.",
    ),
    (
        "Un skatepark près de la gare",
        "A skatepark near the station",
        55_000,
        "Loisirs",
        "Q-GARE",
        "Une aire de glisse en béton pour les skateurs, trottinettes et BMX.",
        "A concrete park for skateboards, scooters and BMX.",
    ),
    (
        "Une fresque sur le mur du gymnase",
        "A mural on the gymnasium wall",
        8_000,
        "Culture",
        "Q-PRES",
        "Une fresque peinte avec les jeunes du quartier et un artiste local.",
        "A mural painted with the district's young people and a local artist.",
    ),
    (
        "Des toilettes publiques au marché",
        "Public toilets at the market",
        35_000,
        "Cadre de vie",
        "Q-CENTRE",
        "Des toilettes accessibles et gratuites près de la halle du marché.",
        "Free, accessible toilets next to the market hall.",
    ),
]

# Ballots as sets of project numbers (1 = first project above): approval of 1 to 3 projects.
ONLINE_BALLOTS = [{1, 2, 4}, {3, 5}, {5, 6, 1}, {3, 2}, {1, 4, 7}]  # one per demo participant
PAPER_BALLOTS = [  # (choices, how many such ballots were found in the ballot boxes)
    ({1, 3, 5}, 9),
    ({2, 4}, 7),
    ({1, 2, 3}, 6),
    ({3, 5, 6}, 4),
    ({4, 7}, 3),
    ({2, 5, 8}, 4),
    ({1, 6}, 2),
    ({3, 8}, 2),
    ({7}, 1),
    ({4, 5}, 3),
]
BALLOT_BOXES = ["Mairie — urne 1", "Médiathèque — urne 2"]

# The city's decisions on the count, public with their reasons (results page, public log).
BASKETBALL, SKATEPARK = 5, 6  # project numbers above
INCOMPATIBILITY_REASON = (
    "Le terrain de basket et le skatepark se partagent le même terrain près de la gare : "
    "un seul des deux peut être réalisé."
)
EXCLUSION_REASON = (
    "La Région reconstruit le terrain de basket avec le nouveau gymnase du lycée : la ville ne "
    "le finance pas sur le budget participatif."
)
REPUBLICATION_REASON = (
    "Le terrain de basket est financé par la Région : l'enveloppe revient au projet suivant, la fresque du gymnase."
)


def _phases(space, today):
    vote = Phase.objects.create(
        space=space,
        title=tr("Vote", "Vote"),
        position=0,
        is_active=True,
        start_date=today - timedelta(days=330),
        end_date=today - timedelta(days=300),
    )
    follow = Phase.objects.create(
        space=space,
        title=tr("Suivi des réalisations", "Follow-up of the works"),
        position=1,
        start_date=today - timedelta(days=299),
        end_date=today + timedelta(days=300),
    )
    return vote, follow


def _vote(space, *, agent, voters, component):
    organization = space.organization
    ballots = component(space, "budgets", tr("Vote 2025", "2025 vote"), 0, seed=False)
    vote_phase, follow_phase = list(space.phases.order_by("position"))
    ballots.phase_settings = {
        str(vote_phase.pk): {"votes_enabled": True},
        str(follow_phase.pk): {"votes_enabled": False},
    }
    ballots.save(update_fields=["phase_settings"])
    budget = budgets.save_budget(
        actor=agent,
        budget=Budget(
            component=ballots,
            title=tr("Budget participatif 2025", "Participatory budget 2025"),
            description=tr(
                "<p>100 000 € pour des projets proposés par les habitants ; chaque votant choisit de 1 à "
                "3 projets.</p>",
                "<p>€100,000 for projects proposed by residents; each voter chooses 1 to 3 projects.</p>",
            ),
            envelope=ENVELOPE,
            rule=Budget.Rule.APPROVAL,
            min_projects=1,
            max_projects=3,
        ),
    )
    categories = {str(c.name.get("fr", "")): c for c in Category.objects.filter(organization=organization)}
    scopes = {scope.code: scope for scope in Scope.objects.filter(organization=organization)}
    projects = [
        budgets.save_project(
            actor=agent,
            project=Project(
                budget=budget,
                title=tr(title_fr, title_en),
                cost=cost,
                weight=position,
                category=categories.get(category),
                scope=scopes.get(district),
                description=tr(f"<p>{body_fr}</p>", f"<p>{body_en}</p>"),
            ),
        )
        for position, (title_fr, title_en, cost, category, district, body_fr, body_en) in enumerate(PROJECTS)
    ]

    def choices(numbers):
        return {projects[number - 1].pk: 1 for number in numbers}

    # Before the vote, the city says that two projects share one plot near the
    # station: at most one of them can be funded (shown on the budget page).
    budgets.add_incompatibility(
        actor=agent,
        budget=budget,
        first=projects[BASKETBALL - 1],
        second=projects[SKATEPARK - 1],
        reason=INCOMPATIBILITY_REASON,
    )

    for voter, numbers in zip(voters, ONLINE_BALLOTS):
        budgets.cast_ballot(actor=voter, budget=budget, choices=choices(numbers))
    entered = 0
    for numbers, how_many in PAPER_BALLOTS:
        for _n in range(how_many):
            budgets.enter_paper_ballot(
                actor=agent,
                budget=budget,
                choices=choices(numbers),
                reference=BALLOT_BOXES[entered % len(BALLOT_BOXES)],
            )
            entered += 1
    # The vote closes (the follow-up phase starts) and the officer publishes the count.
    activate_phase(actor=agent, phase=follow_phase)
    budget = budgets.publish_results(actor=agent, budget=budget)
    # The demo is built today; its vote took place last year: date the vote and the
    # publication back (the counts themselves stay those of the service).
    Budget.objects.filter(pk=budget.pk).update(
        voting_started_at=timezone.now() - timedelta(days=330),
        results_published_at=timezone.now() - timedelta(days=298),
    )
    _date_public_log(
        budget, {"budgets.incompatibility_added": 335, "budgets.tie_order_drawn": 330, "budgets.results_published": 298}
    )
    return ballots, budget


def _date_public_log(budget, days_ago: dict):
    """The public log of the count, dated like the story it tells (the demo is built today)."""
    rows = ActionLog.objects.filter(target_type=ContentType.objects.get_for_model(Budget), target_id=str(budget.pk))
    for verb, days in days_ago.items():
        rows.filter(verb=verb).update(created_at=timezone.now() - timedelta(days=days))


def _republish(*, agent, ballots, tracking, today):
    """Months later the Region funds the basketball court: the city excludes it
    from the count (a public decision with its reason) and publishes the results
    again, with the reason. The court's result in the follow-up is now flagged
    "no longer selected"; the mural, the new winner, is imported and followed."""
    budget = Budget.objects.get(component=ballots)
    budget.component = ballots
    court = Project.objects.get(budget=budget, title__fr=PROJECTS[BASKETBALL - 1][0])
    budgets.set_override(actor=agent, budget=budget, project=court, decision="exclude", reason=EXCLUSION_REASON)
    budget = budgets.publish_results(actor=agent, budget=budget, reason=REPUBLICATION_REASON)
    Budget.objects.filter(pk=budget.pk).update(results_published_at=timezone.now() - timedelta(days=205))
    _date_public_log(budget, {"budgets.override_set": 210, "budgets.results_republished": 205})
    statuses = {status.token: status for status in Status.objects.filter(component=tracking)}
    for result in follow_up.import_projects(
        actor=agent, component=tracking, source=ballots, status=statuses.get("en-etude")
    ):
        result = follow_up.update_result(
            actor=agent,
            result=result,
            title=result.title,
            description=result.description,
            category=result.category,
            scope=result.scope,
            address=result.address,
            latitude=result.latitude,
            longitude=result.longitude,
            start_date=today - timedelta(days=200),
            end_date=today + timedelta(days=120),
            status=result.status,
            progress=None,
            weight=10,
            reference="BP25-06",
        )
        follow_up.create_milestone(
            actor=agent,
            result=result,
            date=today - timedelta(days=150),
            title=tr("Artiste choisie avec les jeunes du quartier", "Artist chosen with the district's young people"),
            description=tr(
                "<p>Trois esquisses ont été présentées à la maison de quartier ; les jeunes ont choisi "
                "celle d'une graffeuse de Fleury.</p>",
                "<p>Three sketches were shown at the community centre; the young people chose the one "
                "by a graffiti artist from Fleury.</p>",
            ),
        )


def _follow_up(space, *, agent, ballots, component, today):
    tracking = component(space, "accountability", tr("Suivi des réalisations", "Follow-up of results"), 1, seed=False)
    follow_up.create_default_statuses(actor=agent, component=tracking)
    statuses = {status.token: status for status in Status.objects.filter(component=tracking)}
    plans = {
        title["fr"]: (token, progress, lat, lng, milestones)
        for title, _description, token, progress, lat, lng, milestones in RESULTS
    }
    results = follow_up.import_projects(actor=agent, component=tracking, source=ballots)
    for position, result in enumerate(results):
        plan = plans.get(result.title.get("fr"))
        if plan is None:
            continue
        token, progress, lat, lng, milestones = plan
        result = follow_up.update_result(
            actor=agent,
            result=result,
            title=result.title,
            description=result.description,
            category=result.category,
            scope=result.scope,
            address=result.address,
            latitude=lat,
            longitude=lng,
            start_date=today - timedelta(days=290),
            end_date=today + timedelta(days=200 - 40 * position),
            status=statuses.get(token),
            progress=progress,
            weight=position,
            reference=f"BP25-{position + 1:02d}",
        )
        for days_ago, title, text in milestones:
            follow_up.create_milestone(
                actor=agent, result=result, date=today - timedelta(days=days_ago), title=title, description=text
            )
        if result.title.get("fr") == "Une piste cyclable jusqu'au collège":
            for number, (title, token, sub_progress) in enumerate(SUB_RESULTS, start=1):
                follow_up.create_result(
                    actor=agent,
                    component=tracking,
                    parent=result,
                    title=title,
                    status=statuses.get(token),
                    progress=sub_progress,
                    weight=number,
                    category=result.category,
                    scope=result.scope,
                    reference=f"{result.reference}-{number}",
                )
    return tracking


def _conversation(*, ballots, tracking, voters, agent):
    """Residents discuss a winning project and a result of the follow-up: comments
    are turned on for both components (a setting, off by default)."""
    for component in (ballots, tracking):
        component.settings = {**component.settings, "comments_enabled": True}
        component.save(update_fields=["settings"])
    garden = Project.objects.get(component=ballots, title__fr="Un jardin partagé au parc des Tilleuls")
    seed_thread(
        garden,
        [
            (
                voters[0],
                "J'ai voté pour : est-ce qu'on pourra réserver une parcelle dès le printemps ?",
                "Oui : les inscriptions ouvrent en mars à l'accueil de la mairie et sur ce site.",
            ),
            (voters[3], "Pensez à un accès pour les fauteuils roulants entre les bacs.", None),
        ],
        staff=agent,
    )
    lane = (
        Result.objects.filter(component=tracking, parent=None, title__fr="Une piste cyclable jusqu'au collège").first()
        or Result.objects.filter(component=tracking, parent=None).first()
    )
    if lane is not None:
        seed_thread(
            lane,
            [
                (voters[1], "Le premier tronçon est très bien, mes enfants l'empruntent tous les matins.", None),
                (
                    voters[4],
                    "Quand commence le deuxième tronçon, rue Jean-Jaurès ?",
                    "Les travaux reprennent après l'été ; l'avancement est suivi sur la page du tronçon 2.",
                ),
            ],
            staff=agent,
        )


def seed_previous_edition(space, *, agent, voters, component):
    """`component` makes a component in a space (agora.demo.city._component)."""
    today = timezone.localdate()
    permissions.forget_roles(agent)
    _phases(space, today)
    ballots, _budget = _vote(space, agent=agent, voters=voters, component=component)
    tracking = _follow_up(space, agent=agent, ballots=ballots, component=component, today=today)
    _republish(agent=agent, ballots=ballots, tracking=tracking, today=today)
    _conversation(ballots=ballots, tracking=tracking, voters=voters, agent=agent)
