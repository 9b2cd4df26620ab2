"""The demo opinion map: "Quelle place pour la voiture en centre-ville ?", 60
statements and about 800 generated participants in three camps (deterministic:
a fixed seed), so the map and the report have something to show."""

from datetime import timedelta

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from agora.components.opinions import computing, services
from agora.components.opinions.models import Participant, Statement, Vote
from agora.core.translations import tr

QUESTION = tr("Quelle place pour la voiture en centre-ville ?", "What room for cars in the town centre?")
DESCRIPTION = tr(
    "<p>La Ville prépare le plan de circulation du centre pour 2028. Votez d'accord, pas d'accord ou passer sur "
    "chaque proposition, ajoutez les vôtres : la carte montre les groupes d'opinion et ce qui les rassemble.</p>",
    "<p>The town is preparing the centre's traffic plan for 2028. Vote agree, disagree or pass on each statement, "
    "add your own: the map shows the groups of opinion and what they share.</p>",
)

# (statement, stance of the camps: drivers and shopkeepers, walking and cycling, public transport)
# 1 agree, -1 disagree, 0 divided.
STATEMENTS = [
    ("Il faut plus de places de stationnement en centre-ville.", (1, -1, 0)),
    ("Le centre-ville devrait être entièrement piéton le week-end.", (-1, 1, 0)),
    ("Les bus devraient être gratuits pour tous.", (-1, -1, 1)),
    ("Les commerces du centre ont besoin que les clients puissent se garer.", (1, -1, 0)),
    ("Il faut des pistes cyclables séparées des voitures sur les grands axes.", (-1, 1, -1)),
    ("La vitesse devrait être limitée à 30 km/h dans tout le centre.", (-1, 1, -1)),
    ("Les livraisons doivent rester possibles le matin.", (1, 1, 1)),
    ("Les trottoirs doivent être dégagés pour les poussettes et les fauteuils.", (1, 1, 1)),
    ("Un parking relais gratuit aux entrées de ville, relié par navette, serait utile.", (0, 1, 1)),
    ("Le stationnement devrait être gratuit le samedi.", (1, -1, -1)),
    ("Les voitures polluent trop l'air du centre.", (-1, 1, 1)),
    ("Fermer des rues aux voitures tue le commerce.", (1, -1, -1)),
    ("Les personnes âgées ont besoin de pouvoir venir en voiture.", (1, 0, 0)),
    ("Les bus devraient passer toutes les 10 minutes en journée.", (0, 0, 1)),
    ("Il faut un grand parking souterrain sous la place du marché.", (1, -1, -1)),
    ("Les vélos sur les trottoirs sont dangereux pour les piétons.", (1, 0, 1)),
    ("Il faut plus d'arceaux pour garer les vélos.", (-1, 1, 0)),
    ("Le prix du stationnement devrait baisser.", (1, -1, 0)),
    ("Les rues piétonnes rendent le centre plus agréable.", (-1, 1, 0)),
    ("Je viens en centre-ville principalement en voiture.", (1, -1, -1)),
    ("Les artisans doivent pouvoir stationner près de leurs chantiers.", (1, 1, 1)),
    ("Les travaux de voirie devraient être mieux annoncés.", (1, 1, 1)),
    ("Il faut un péage urbain pour entrer dans le centre.", (-1, 1, -1)),
    ("Les places réservées aux personnes handicapées sont trop peu nombreuses.", (1, 1, 1)),
    ("Le tram devrait desservir le centre.", (0, 0, 1)),
    ("Les écoles devraient avoir des rues fermées aux voitures aux heures d'entrée.", (-1, 1, 1)),
    ("Il y a assez de pistes cyclables aujourd'hui.", (1, -1, 0)),
    ("Le covoiturage devrait être encouragé par des places réservées.", (1, 0, 1)),
    ("Les camions de plus de 3,5 tonnes ne devraient plus traverser le centre.", (0, 1, 1)),
    ("Le centre se vide parce qu'on ne peut plus y circuler.", (1, -1, -1)),
    ("Les vélos-cargos devraient être aidés pour les familles.", (-1, 1, 0)),
    ("Les horaires des bus ne conviennent pas à ceux qui travaillent tôt.", (1, 0, 1)),
    ("Il faut des bornes de recharge pour les voitures électriques.", (1, -1, 0)),
    ("Les voitures électriques devraient stationner gratuitement.", (1, -1, -1)),
    ("Les terrasses des cafés prennent trop de place sur les trottoirs.", (1, -1, 0)),
    ("Il faut planter des arbres à la place de certaines places de stationnement.", (-1, 1, -1)),
    ("Les habitants du centre devraient avoir un tarif résident.", (1, 0, 1)),
    ("Les navettes électriques gratuites dans le centre seraient une bonne idée.", (1, 0, 1)),
    ("La Ville devrait consulter les commerçants avant chaque changement.", (1, 0, 0)),
    ("Il faut sanctionner davantage le stationnement en double file.", (-1, 1, 1)),
    ("Le centre doit rester accessible à tous, quel que soit le moyen de transport.", (1, 1, 1)),
    ("Les zones à faibles émissions pénalisent les ménages modestes.", (1, -1, 1)),
    ("Un service de location de vélos en libre-service serait utilisé.", (-1, 1, -1)),
    ("Les feux rouges sont mal réglés et créent des bouchons.", (1, 0, 0)),
    ("On devrait pouvoir traverser le centre en voiture sans détour.", (1, -1, -1)),
    ("Le bruit de la circulation gêne les habitants le soir.", (-1, 1, 1)),
    ("Les marchés du samedi gagneraient à être piétons.", (-1, 1, 0)),
    ("Il faut un plan de circulation expliqué avec des cartes claires.", (1, 1, 1)),
    ("Les abonnements de bus devraient être moins chers pour les jeunes.", (0, 0, 1)),
    ("Les trottinettes électriques ne devraient pas circuler sur les trottoirs.", (1, 1, 1)),
    ("Les parkings existants sont à moitié vides, il faut mieux les signaler.", (0, 1, 1)),
    ("Supprimer des places de stationnement est une erreur.", (1, -1, -1)),
    ("La gare devrait être reliée au centre par une voie cyclable directe.", (-1, 1, -1)),
    ("La priorité doit aller aux transports en commun plutôt qu'au vélo.", (0, -1, 1)),
    ("Les taxis et VTC devraient pouvoir emprunter les voies de bus.", (1, -1, 0)),
    ("Les rues du centre devraient être en sens unique.", (0, 0, 1)),
    ("Il faut plus de bancs et d'ombre dans les rues commerçantes.", (0, 1, 1)),
    ("Les décisions sur la circulation doivent être évaluées après un an.", (1, 1, 1)),
    ("Le centre-ville n'est pas sûr à vélo aujourd'hui.", (0, 1, 0)),
    ("Les aides pour acheter un vélo électrique sont une bonne dépense publique.", (-1, 1, 0)),
]
CAMPS = (0.32, 0.40, 0.28)  # shares of the camps
PARTICIPANTS = 800
DAYS = 21


def seed(component, participants: int = PARTICIPANTS) -> None:
    """The conversation, its statements and the votes of generated participants (no
    account: pseudonymous numbers), then the analysis, as the worker would do it."""
    with transaction.atomic():
        conversation = services.conversation_of(component)
        conversation.question = QUESTION
        conversation.description = DESCRIPTION
        conversation.save(update_fields=["question", "description"])
        statements = Statement.objects.bulk_create(
            [
                Statement(
                    conversation=conversation, text=text, language="fr", seed=True, state=Statement.State.PUBLISHED
                )
                for text, _stance in STATEMENTS
            ]
        )
        rng = np.random.default_rng(2028)
        camps = rng.choice(3, size=participants, p=CAMPS)
        people = Participant.objects.bulk_create(
            [Participant(conversation=conversation, number=n + 1) for n in range(participants)]
        )
        votes = []
        for person, camp in zip(people, camps):
            # each person votes on 15 to 50 statements
            seen = rng.permutation(len(statements))[: int(rng.integers(15, 51))]
            for index in seen:
                stance = STATEMENTS[index][1][camp]
                roll = rng.random()
                if stance == 0:
                    value = 1 if roll < 0.4 else (-1 if roll < 0.8 else 0)
                else:
                    value = stance if roll < 0.85 else (-stance if roll < 0.94 else 0)
                votes.append(Vote(participant=person, statement=statements[index], value=value))
        Vote.objects.bulk_create(votes, batch_size=5000)
        # votes over time: the participants came over three weeks
        now = timezone.now()
        ids = [person.pk for person in people]
        for day in range(DAYS):
            chunk = ids[day * len(ids) // DAYS : (day + 1) * len(ids) // DAYS]
            when = now - timedelta(days=DAYS - day, hours=int(rng.integers(0, 10)))
            Vote.objects.filter(participant_id__in=chunk).update(created_at=when, updated_at=when)
            Participant.objects.filter(pk__in=chunk).update(created_at=when)
    # The planner learns the new votes' numbers before the matrix reads them all
    # (PostgreSQL otherwise plans for the tables as last analysed, possibly empty, and
    # a nested loop over thousands of votes met the statement timeout in the tests).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Vote._meta.db_table}, {Participant._meta.db_table}, {Statement._meta.db_table}")
    computing.compute(conversation, replay=True)
