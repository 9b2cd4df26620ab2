"""Demo meetings: five per meetings component, twenty across the demo city's
four spaces (agora.demo.city): meetings held with their minutes, upcoming
ones taking registrations, one full with a waiting list, one online, one
hybrid, one cancelled, one organized by a resident. Registrations come from the
organization's people."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.components.meetings.models import AgendaItem, Meeting
from agora.components.meetings.services import insert_meeting, insert_registration
from agora.core.translations import tr
from agora.taxonomy.models import Category, Scope

PARIS = "Europe/Paris"
# Meetings residents organize themselves (the component's setting "participants may organize
# meetings" lets them; the demo city turns it on for the cycling plan): the repair workshop,
# the shared gardens, the neighbourhood party.
RESIDENT_ORGANIZED = frozenset({11, 16, 18})
IN_PERSON, ONLINE, HYBRID = Meeting.Kind.IN_PERSON, Meeting.Kind.ONLINE, Meeting.Kind.HYBRID

# (title fr, title en, description fr, description en, kind, place fr, place en, address, lat, lng, days from
# today, hour, duration hours, what: "held" | "open" | "full" | "cancelled" | "free", services)
MEETINGS = [
    (
        "Réunion de lancement du budget participatif",
        "Kick-off meeting of the participatory budget",
        "Présentation des règles, du calendrier et des projets réalisés l'an dernier ; questions et réponses.",
        "The rules, the calendar and last year's projects; questions and answers.",
        IN_PERSON,
        "Hôtel de ville, salle du conseil",
        "Town hall, council room",
        "1 place de l'Hôtel de Ville, 45000 Belleville-sur-Loire",
        "47.902500",
        "1.909000",
        -40,
        18,
        2,
        "held",
        ["accessible", "sign_language"],
    ),
    (
        "Atelier « écrire son idée » à la médiathèque",
        "“Write your idea” workshop at the media library",
        "Des agents de la Ville aident à rédiger et déposer une idée, sur papier ou en ligne.",
        "Town staff help to write and file an idea, on paper or online.",
        IN_PERSON,
        "Médiathèque Jean-Zay, salle d'animation",
        "Jean-Zay media library, activity room",
        "12 rue des Écoles, 45000 Belleville-sur-Loire",
        "47.898100",
        "1.903400",
        -25,
        14,
        3,
        "held",
        ["childcare", "accessible"],
    ),
    (
        "Permanence en ligne : vos questions sur les projets",
        "Online drop-in: your questions on the projects",
        "Une heure pour poser vos questions à l'équipe du budget participatif, en visioconférence.",
        "One hour to ask the participatory budget team your questions, by video call.",
        ONLINE,
        "",
        "",
        "",
        None,
        None,
        6,
        18,
        1,
        "open",
        [],
    ),
    (
        "Forum des projets au gymnase des Prés",
        "Project fair at Les Prés gymnasium",
        "Les porteurs présentent leurs projets sur des stands avant le vote. Places limitées pour l'atelier maquettes.",
        "Project holders present their projects on stands before the vote. Limited places for the model workshop.",
        IN_PERSON,
        "Gymnase des Prés",
        "Les Prés gymnasium",
        "5 allée des Sports, 45000 Belleville-sur-Loire",
        "47.910200",
        "1.921800",
        12,
        10,
        4,
        "full",
        ["childcare", "accessible", "refreshments"],
    ),
    (
        "Réunion publique annulée : visite du parc",
        "Public meeting cancelled: visit of the park",
        "Visite commentée des aménagements prévus au parc Pasteur.",
        "Guided visit of the works planned in Pasteur park.",
        IN_PERSON,
        "Parc Pasteur, entrée principale",
        "Pasteur park, main gate",
        "Avenue Pasteur, 45000 Belleville-sur-Loire",
        "47.906700",
        "1.897300",
        9,
        10,
        2,
        "cancelled",
        [],
    ),
    (
        "Balade urbaine sur les berges",
        "Walk along the riverbanks",
        "Deux heures de marche avec une paysagiste pour repérer ce qui pourrait changer sur les berges.",
        "A two-hour walk with a landscape architect to spot what could change along the banks.",
        IN_PERSON,
        "Rendez-vous au pont Royal, rive nord",
        "Meet at the Royal bridge, north bank",
        "Quai du Châtelet, 45000 Belleville-sur-Loire",
        "47.897600",
        "1.908900",
        -18,
        10,
        2,
        "held",
        [],
    ),
    (
        "Atelier hybride : les usages des berges",
        "Hybrid workshop: how people use the banks",
        "Atelier en salle et en ligne pour croiser les usages : promenade, pêche, vélo, événements.",
        "A workshop in the room and online to compare uses: walking, fishing, cycling, events.",
        HYBRID,
        "Maison des associations, salle 2",
        "Community centre, room 2",
        "3 rue de la Loire, 45000 Belleville-sur-Loire",
        "47.899300",
        "1.912100",
        8,
        18,
        2,
        "open",
        ["interpretation", "accessible"],
    ),
    (
        "Restitution de la concertation sur les berges",
        "Feedback meeting on the riverbanks consultation",
        "La Ville présente ce qu'elle retient de la concertation et les prochaines étapes.",
        "The town presents what it keeps from the consultation and the next steps.",
        IN_PERSON,
        "Hôtel de ville, salle des fêtes",
        "Town hall, ballroom",
        "1 place de l'Hôtel de Ville, 45000 Belleville-sur-Loire",
        "47.902500",
        "1.909000",
        30,
        18,
        2,
        "open",
        ["accessible", "hearing_loop"],
    ),
    (
        "Café-débat : partager les quais",
        "Café debate: sharing the quays",
        "Un café-débat informel au marché pour parler de la place des promeneurs, des vélos et des voitures sur les quais.",
        "An informal café debate at the market on room for walkers, bikes and cars on the quays.",
        IN_PERSON,
        "Halle du marché",
        "Market hall",
        "Place du Martroi, 45000 Belleville-sur-Loire",
        "47.903000",
        "1.904300",
        -10,
        9,
        2,
        "held",
        ["refreshments"],
    ),
    (
        "Webinaire : le plan vélo 2027 en 45 minutes",
        "Webinar: the 2027 cycling plan in 45 minutes",
        "Présentation du plan vélo par le service mobilités, puis questions par écrit.",
        "The cycling plan presented by the mobility department, then written questions.",
        ONLINE,
        "",
        "",
        "",
        None,
        None,
        3,
        12,
        1,
        "free",
        [],
    ),
    (
        "Atelier cartographie des itinéraires cyclables",
        "Mapping workshop on cycle routes",
        "Sur de grandes cartes, tracez les trajets que vous faites et les points dangereux.",
        "On large maps, draw the journeys you make and the dangerous spots.",
        HYBRID,
        "Maison du vélo",
        "Bike house",
        "18 boulevard Alexandre-Martin, 45000 Belleville-sur-Loire",
        "47.905900",
        "1.915500",
        15,
        18,
        2,
        "open",
        ["accessible"],
    ),
    (
        "Atelier réparation et sécurité à vélo",
        "Bike repair and safety workshop",
        "Un atelier pratique avec l'association Vélo Loire : réglages, éclairage, conduite en ville.",
        "A hands-on workshop with the Vélo Loire association: adjustments, lights, riding in town.",
        IN_PERSON,
        "Maison du vélo, atelier",
        "Bike house, workshop",
        "18 boulevard Alexandre-Martin, 45000 Belleville-sur-Loire",
        "47.905900",
        "1.915500",
        20,
        14,
        3,
        "open",
        ["childcare"],
    ),
    (
        "Réunion de bilan des comptages vélo",
        "Review of the bike counts",
        "Les résultats des compteurs installés au printemps, rue par rue.",
        "The results of the counters installed in spring, street by street.",
        IN_PERSON,
        "Hôtel de ville, salle 104",
        "Town hall, room 104",
        "1 place de l'Hôtel de Ville, 45000 Belleville-sur-Loire",
        "47.902500",
        "1.909000",
        -60,
        18,
        2,
        "held",
        ["accessible"],
    ),
    (
        "Conseil de quartier des Prés : séance de rentrée",
        "Les Prés neighbourhood council: autumn session",
        "Ordre du jour : sécurité aux abords de l'école, fête de quartier, budget du conseil.",
        "Agenda: safety near the school, the neighbourhood party, the council's budget.",
        IN_PERSON,
        "École des Prés, préau",
        "Les Prés school, covered playground",
        "2 rue des Prés, 45000 Belleville-sur-Loire",
        "47.911000",
        "1.919000",
        -35,
        19,
        2,
        "held",
        ["childcare"],
    ),
    (
        "Conseil de quartier des Prés : séance d'hiver",
        "Les Prés neighbourhood council: winter session",
        "Ordre du jour : éclairage public, jardins partagés, questions des habitants.",
        "Agenda: street lighting, shared gardens, residents' questions.",
        HYBRID,
        "École des Prés, préau",
        "Les Prés school, covered playground",
        "2 rue des Prés, 45000 Belleville-sur-Loire",
        "47.911000",
        "1.919000",
        18,
        19,
        2,
        "open",
        ["accessible", "childcare"],
    ),
    (
        "Marche exploratoire de nuit",
        "Night-time exploratory walk",
        "Repérer ensemble les rues mal éclairées et les passages qui font peur.",
        "Find together the badly lit streets and the passages that feel unsafe.",
        IN_PERSON,
        "Départ devant la pharmacie des Prés",
        "Start outside Les Prés pharmacy",
        "20 avenue des Prés, 45000 Belleville-sur-Loire",
        "47.912300",
        "1.920600",
        -5,
        18,
        2,
        "held",
        [],
    ),
    (
        "Jardins partagés : réunion d'information",
        "Shared gardens: information meeting",
        "Comment obtenir une parcelle, les règles du jardin, l'arrosage.",
        "How to get a plot, the garden's rules, watering.",
        IN_PERSON,
        "Local du jardin des Prés",
        "Les Prés garden shed",
        "Rue des Jardins, 45000 Belleville-sur-Loire",
        "47.913100",
        "1.917700",
        25,
        17,
        1,
        "open",
        [],
    ),
    (
        "Permanence en ligne : vos questions sur le plan vélo",
        "Online drop-in: your questions on the cycling plan",
        "L'adjointe aux mobilités répond à vos questions en visioconférence.",
        "The deputy mayor for mobility answers your questions by video call.",
        ONLINE,
        "",
        "",
        "",
        None,
        None,
        10,
        18,
        1,
        "open",
        [],
    ),
    (
        "Fête de quartier : réunion de préparation",
        "Neighbourhood party: preparation meeting",
        "Répartir les stands, les tâches et le matériel de la fête de juin.",
        "Share out the stalls, tasks and equipment for the June party.",
        IN_PERSON,
        "Maison de quartier des Prés",
        "Les Prés community house",
        "8 rue des Prés, 45000 Belleville-sur-Loire",
        "47.911600",
        "1.918400",
        40,
        18,
        2,
        "open",
        ["refreshments"],
    ),
    (
        "Rencontre avec les commerçants des quais",
        "Meeting with the shopkeepers of the quays",
        "Échanges sur les travaux des quais et le stationnement pendant le chantier.",
        "Discussion on the works on the quays and parking during the works.",
        IN_PERSON,
        "Salle Saint-Marc",
        "Saint-Marc hall",
        "4 rue Saint-Marc, 45000 Belleville-sur-Loire",
        "47.904800",
        "1.922400",
        -90,
        8,
        1,
        "held",
        ["accessible"],
    ),
]

# The five meetings of each demo space, by a word of its slug (agora.demo.city); another
# component takes the next five of the list.
GROUPS = {
    "budget": (0, 1, 2, 3, 4),
    "berges": (5, 6, 7, 8, 19),
    "velo": (9, 10, 11, 12, 17),
    "quartier": (13, 14, 15, 16, 18),
}

AGENDA = [
    (tr("Accueil et présentation", "Welcome and introduction"), 15, []),
    (
        tr("Présentation du projet", "Presentation of the project"),
        30,
        [(tr("Le calendrier", "The calendar"), 10), (tr("Le budget", "The budget"), 10)],
    ),
    (tr("Questions et échanges en petits groupes", "Questions and discussion in small groups"), 60, []),
    (tr("Synthèse et prochaines étapes", "Summary and next steps"), 15, []),
]


def _people(organization) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organization=organization, is_active=True, deleted_at__isnull=True, is_superuser=False
        ).order_by("id")[:12]
    )


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(PARIS))


@transaction.atomic
def seed(component) -> list[Meeting]:
    organization = component.space.organization
    slug = component.space.slug
    chosen: tuple[int, ...] | None = next((group for word, group in GROUPS.items() if word in slug), None)
    if chosen is None:
        taken = Meeting.objects.filter(component__space__organization=organization).exclude(component=component).count()
        start = (taken // 5 * 5) % len(MEETINGS)
        chosen = tuple(range(start, start + 5))
        if not any(number in RESIDENT_ORGANIZED for number in chosen):
            # A meeting a resident organizes in every component (the permission matrix asks about
            # one), in place of the second of the five.
            chosen = (chosen[0], min(RESIDENT_ORGANIZED), *chosen[2:])
    people = _people(organization)
    categories = list(Category.objects.filter(organization=organization).order_by("id")[:4])
    scopes = list(Scope.objects.filter(organization=organization).order_by("id")[:4])
    made = []
    for index, number in enumerate(chosen or ()):
        row = MEETINGS[number]
        (
            title_fr,
            title_en,
            text_fr,
            text_en,
            kind,
            place_fr,
            place_en,
            address,
            lat,
            lng,
            days,
            hour,
            hours,
            what,
            offered,
        ) = row
        starts_at = _at(days, hour)
        online = kind in (ONLINE, HYBRID)
        organizer = people[-1] if number in RESIDENT_ORGANIZED and people else None
        meeting = insert_meeting(
            component=component,
            organizer=organizer,
            title=tr(title_fr, title_en),
            description=tr(f"<p>{text_fr}</p>", f"<p>{text_en}</p>"),
            kind=kind,
            location=tr(place_fr, place_en) if place_fr else {},
            location_hints=tr(
                "<p>Arrêt de tram « Hôtel de Ville » à 300 m.</p>", "<p>“Hôtel de Ville” tram stop, 300 m away.</p>"
            )
            if address
            else {},
            address=address,
            latitude=Decimal(lat) if lat else None,
            longitude=Decimal(lng) if lng else None,
            online_url="https://visio.belleville.example/rejoindre/" + str(1000 + number) if online else "",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            time_zone=PARIS,
            category=categories[index % len(categories)] if categories else None,
            scope=scopes[index % len(scopes)] if scopes and address else None,
            services=offered,
            registration_type=Meeting.Registration.AGORA
            if what in ("open", "full", "held")
            else Meeting.Registration.NONE,
            places=60 if what in ("open", "held") else (max(1, len(people) - 3) if what == "full" else None),
            reserved_places=5 if what in ("open", "held") and organizer is None else 0,
            published_at=timezone.now(),
        )
        made.append(meeting)
        for position, (title, minutes, children) in enumerate(AGENDA):
            item = AgendaItem.objects.create(meeting=meeting, title=title, duration=minutes, weight=position)
            for child_position, (child_title, child_minutes) in enumerate(children):
                AgendaItem.objects.create(
                    meeting=meeting, parent=item, title=child_title, duration=child_minutes, weight=child_position
                )
        if what == "full":
            for person in people:
                insert_registration(meeting=meeting, user=person)
        elif what in ("open", "held"):
            for person in people[: min(len(people), 6 if what == "open" else 9)]:
                insert_registration(meeting=meeting, user=person)
        if what == "held":
            Meeting.objects.filter(pk=meeting.pk).update(
                closed_at=starts_at + timedelta(hours=hours, days=1),
                attendee_count=25 + 7 * index,
                contributions_count=8 + 3 * index,
                organizations_present="Vélo Loire, Comité des fêtes des Prés, Association des parents d'élèves",
                minutes=tr(
                    f"<h2>Ce qui s'est dit</h2><p>{25 + 7 * index} personnes présentes. {text_fr}</p>"
                    "<ul><li>Les participants demandent plus d'informations sur le calendrier.</li>"
                    "<li>Trois idées ont été déposées pendant la réunion.</li></ul>"
                    "<h2>Suites</h2><p>Le compte rendu est envoyé aux services concernés, qui répondront d'ici un mois.</p>",
                    f"<h2>What was said</h2><p>{25 + 7 * index} people attended. {text_en}</p>"
                    "<ul><li>Participants asked for more information on the calendar.</li>"
                    "<li>Three ideas were filed during the meeting.</li></ul>"
                    "<h2>Next</h2><p>The minutes go to the departments concerned, which will answer within a month.</p>",
                ),
            )
        if what == "cancelled":
            Meeting.objects.filter(pk=meeting.pk).update(
                cancelled_at=timezone.now(),
                cancel_reason=tr(
                    "<p>Reportée en raison des travaux du parc : une nouvelle date sera annoncée.</p>",
                    "<p>Postponed because of the works in the park: a new date will be announced.</p>",
                ),
            )
    return made
