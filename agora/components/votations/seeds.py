"""Demo votes: a local consultation open now with its results shown live (yes
or no, and a choice of two fittings among five), and, when the space has an initiatives component whose
initiative reached its "citizen vote" tier, that initiative's vote, closed,
with its results online and on paper (Grenoble's rule: a majority and at least
16,000 votes in favour)."""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agora.components.initiatives import api as initiatives_api
from agora.components.models import Component
from agora.components.votations.models import (
    Ballot,
    Mark,
    Option,
    Question,
    StationCount,
    StationVotes,
    Votation,
)
from agora.core.receipts import new_receipt
from agora.core.translations import tr

MARKET = {
    "title": tr("Piétonniser la place du Marché", "A pedestrian Market Square"),
    "description": tr(
        "<p>La Ville consulte les habitants sur la piétonnisation de la place du Marché et sur ses futurs "
        "aménagements. Vote en ligne, ou à l'accueil de la mairie avec un agent.</p>",
        "<p>The town asks residents whether Market Square should become pedestrian, and how to fit it out. Vote "
        "online, or at the town hall's front desk with an agent.</p>",
    ),
}
MARKET_BOOKLET = tr(
    "<h2>Le projet</h2><p>La place accueille aujourd'hui 140 places de stationnement. Le projet les déplace vers "
    "le parking de la gare (à 300 m) et rend la place aux piétons, au marché et aux terrasses.</p>"
    "<h2>Arguments pour</h2><ul><li>Moins de bruit et de pollution au centre.</li><li>Un marché plus grand.</li>"
    "</ul><h2>Arguments contre</h2><ul><li>Les commerçants craignent une baisse de fréquentation.</li>"
    "<li>Les personnes à mobilité réduite devront se garer plus loin (12 places réservées resteraient).</li></ul>",
    "<h2>The project</h2><p>The square has 140 parking spaces today. The project moves them to the station car "
    "park (300 m away) and gives the square back to pedestrians, the market and café terraces.</p>"
    "<h2>For</h2><ul><li>Less noise and pollution in the centre.</li><li>A larger market.</li></ul>"
    "<h2>Against</h2><ul><li>Shopkeepers fear fewer customers.</li><li>People with reduced mobility will park "
    "further away (12 reserved spaces would remain).</li></ul>",
)
FITTINGS = (
    tr("Des arbres et de l'ombre", "Trees and shade"),
    tr("Une fontaine et des jeux d'eau", "A fountain and water games"),
    tr("Des bancs et des tables", "Benches and tables"),
    tr("Un kiosque pour les concerts", "A bandstand for concerts"),
    tr("Des arceaux à vélos", "Bicycle racks"),
)
TRANSIT_BOOKLET_EXTRA = tr(
    "<h2>Ce que coûterait la gratuité</h2><p>Les titres des moins de 26 ans rapportent 1,9 million d'euros par "
    "an au réseau. Le comité promoteur propose de les compenser par la hausse des tarifs de stationnement.</p>",
    "<h2>What free buses would cost</h2><p>The passes of the under-26s bring the network 1.9 million euros a "
    "year. The promoter committee proposes to make up for it with higher parking fees.</p>",
)
# The demo's result of the initiative's vote: (station, ballots, yes, no) on paper; online and desk below.
STATIONS = (
    ("Mairie", 4210, 2296, 1841),
    ("Médiathèque", 2870, 1652, 1158),
    ("Gymnase Jean-Moulin", 3305, 1702, 1551),
    ("École des Tilleuls", 2615, 1431, 1127),
)
ONLINE = (5810, 3406)  # yes, no (and a few blank)
ONLINE_BLANK = 96


@transaction.atomic
def seed(component: Component) -> None:
    if Votation.objects.filter(component=component).exists():
        return
    now = timezone.now()
    market = Votation.objects.create(
        component=component,
        state=Votation.State.OPEN,
        opens_at=now - timedelta(days=3),
        opened_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=18),
        electorate=31200,
        live_results=True,  # a consultation: the figures so far are public
        **MARKET,
    )
    pedestrian = Question.objects.create(
        votation=market,
        position=1,
        title=tr(
            "Êtes-vous favorable à la piétonnisation de la place du Marché ?",
            "Are you in favour of making Market Square pedestrian?",
        ),
        booklet=MARKET_BOOKLET,
        kind=Question.Kind.YES_NO,
    )
    Option.objects.create(question=pedestrian, position=1, label=tr("Oui", "Yes"), role=Option.Role.YES)
    Option.objects.create(question=pedestrian, position=2, label=tr("Non", "No"), role=Option.Role.NO)
    fittings = Question.objects.create(
        votation=market,
        position=2,
        title=tr(
            "Si la place devient piétonne, quels aménagements choisissez-vous ? (deux au plus)",
            "If the square becomes pedestrian, which fittings do you choose? (two at most)",
        ),
        booklet=tr(
            "<p>Chaque aménagement coûte entre 40 000 et 90 000 euros ; deux seront réalisés.</p>",
            "<p>Each fitting costs between 40,000 and 90,000 euros; two will be made.</p>",
        ),
        kind=Question.Kind.MULTIPLE,
        min_choices=1,
        max_choices=2,
        majority=False,
    )
    for position, label in enumerate(FITTINGS, start=1):
        Option.objects.create(question=fittings, position=position, label=label)
    _initiative_vote(component, now)


def _initiative_vote(component: Component, now) -> None:
    """The vote of the initiative that reached its "citizen vote" tier, if the space has one."""
    requests = [
        request
        for other in Component.objects.filter(space=component.space, manifest_name="initiatives").order_by("id")
        for request in initiatives_api.vote_requests(other.pk)
    ]
    if not requests:
        return
    request = requests[0]
    votation = Votation.objects.create(
        component=component,
        title=tr(request.title),
        description=tr(
            "<p>Votation citoyenne demandée par %s signataires de l'initiative. Adoptée si elle obtient la majorité "
            "et au moins 16 000 voix pour.</p>" % f"{request.signatures:,}".replace(",", "\u202f"),
            "<p>Citizen vote called for by the %s signers of the initiative. Adopted with a majority and at least "
            "16,000 votes in favour.</p>" % f"{request.signatures:,}",
        ),
        state=Votation.State.CLOSED,
        opens_at=now - timedelta(days=24),
        opened_at=now - timedelta(days=24),
        closes_at=now - timedelta(days=10),
        closed_at=now - timedelta(days=10),
        electorate=31200,
        initiative_id=request.initiative_id,
        initiative_url=request.url,
    )
    votation.component = component
    question = Question.objects.create(
        votation=votation,
        position=1,
        title=tr(request.question),
        booklet={
            "fr": request.body_html + TRANSIT_BOOKLET_EXTRA["fr"],
            "en": request.body_html + TRANSIT_BOOKLET_EXTRA["en"],
        },
        kind=Question.Kind.YES_NO,
        majority=True,
        min_in_favour=16000,
        quorum_percent=Decimal("25"),
    )
    yes = Option.objects.create(question=question, position=1, label=tr("Oui", "Yes"), role=Option.Role.YES)
    no = Option.objects.create(question=question, position=2, label=tr("Non", "No"), role=Option.Role.NO)
    initiatives_api.vote_opened(actor=None, initiative_id=request.initiative_id, reference=votation.get_absolute_url())

    # Online and desk ballots: anonymous rows of the demo (a real vote has one account each).
    when = now - timedelta(days=17)
    ballots = [
        Ballot(
            votation=votation,
            person_key=f"demo:{n}",
            channel=Ballot.Channel.DESK if n % 40 == 0 else Ballot.Channel.ONLINE,
            receipt=new_receipt(),
        )
        for n in range(sum(ONLINE) + ONLINE_BLANK)
    ]
    Ballot.objects.bulk_create(ballots, batch_size=1000)
    stored = list(Ballot.objects.filter(votation=votation).order_by("id").values_list("id", flat=True))
    Ballot.objects.filter(votation=votation).update(created_at=when)
    order = list(range(len(stored)))
    secrets.SystemRandom().shuffle(order)
    marks = [
        Mark(ballot_id=stored[index], option=yes if position < ONLINE[0] else no)
        for position, index in enumerate(order[: sum(ONLINE)])
    ]
    Mark.objects.bulk_create(marks, batch_size=2000)
    Option.objects.filter(pk=yes.pk).update(votes_online=ONLINE[0])
    Option.objects.filter(pk=no.pk).update(votes_online=ONLINE[1])

    # Paper: the polling stations' boxes.
    for station, box, yes_votes, no_votes in STATIONS:
        count = StationCount.objects.create(votation=votation, station=station, ballots=box)
        StationVotes.objects.create(count=count, option=yes, votes=yes_votes)
        StationVotes.objects.create(count=count, option=no, votes=no_votes)
        Option.objects.filter(pk=yes.pk).update(votes_paper=F("votes_paper") + yes_votes)
        Option.objects.filter(pk=no.pk).update(votes_paper=F("votes_paper") + no_votes)
