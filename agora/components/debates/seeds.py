"""Demo debates of the "Plan vélo" kind: an official debate open with
arguments on each side and an information update, an official debate closed
with its conclusions, and a debate a participant opened. Comments are written
by the organization's participants (as comments.demo does), with their
position and up-votes, so the summary has a best argument on each side."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.comments.models import Comment, CommentVote
from agora.components.debates.models import Debate, DebateLike, DebateUpdate
from agora.components.debates.services import insert_debate
from agora.core.translations import tr
from agora.follows.services import add_follow
from agora.taxonomy.models import Category, Scope

FOR, AGAINST, NEUTRAL = Comment.Alignment.FOR, Comment.Alignment.AGAINST, Comment.Alignment.NEUTRAL

PEDESTRIAN_STREET = {
    "title": tr(
        "Faut-il réserver la rue de la République aux piétons et aux vélos le samedi ?",
        "Should rue de la République be kept for pedestrians and bikes on Saturdays?",
    ),
    "description": tr(
        "<p>Le Plan vélo 2027 prévoit de tester, pendant six mois, la fermeture de la rue de la République aux "
        "voitures le samedi de 10 h à 19 h. Les livraisons resteraient possibles avant 10 h et les riverains "
        "garderaient l'accès à leur garage.</p><p>Avant de décider, la Ville veut entendre les arguments de "
        "chacun : commerçants, riverains, cyclistes, automobilistes.</p>",
        "<p>The 2027 cycling plan would test, for six months, closing rue de la République to cars on Saturdays "
        "from 10 am to 7 pm. Deliveries would still be possible before 10 am and residents would keep access to "
        "their garages.</p><p>Before deciding, the town wants to hear everyone's arguments: shopkeepers, "
        "residents, cyclists, drivers.</p>",
    ),
    "instructions": tr(
        "<p>Dites si vous êtes pour, contre ou sans avis tranché, et expliquez pourquoi. Un argument précis "
        "(un horaire, un commerce, un trajet) aide plus qu'une opinion générale. Votez pour les arguments qui "
        "vous semblent les plus justes, même s'ils ne sont pas de votre côté.</p>",
        "<p>Say whether you are for, against or undecided, and explain why. A precise argument (a time, a shop, "
        "a journey) helps more than a general opinion. Up-vote the arguments you find fairest, even when they "
        "are not on your side.</p>",
    ),
}
PEDESTRIAN_ARGUMENTS = (
    (
        FOR,
        "Le samedi, on se faufile entre les voitures en double file avec les enfants. Une rue calme, c'est "
        "des familles qui viennent à vélo faire leurs courses au lieu d'aller au centre commercial.",
        3,
    ),
    (
        AGAINST,
        "Ma boulangerie vit des clients de passage qui se garent cinq minutes. Sans stationnement le "
        "samedi, je perds ma meilleure journée. Testez plutôt un dimanche par mois.",
        4,
    ),
    (
        NEUTRAL,
        "Pourquoi pas, mais il faut d'abord des arceaux et un parking vélo surveillé près des halles, "
        "sinon on ne saura pas où laisser son vélo.",
        1,
    ),
    (
        FOR,
        "À Fleury, la rue piétonne du samedi a augmenté la fréquentation des commerces de 12 % la première "
        "année d'après la chambre de commerce. Six mois d'essai, ça ne coûte pas grand-chose.",
        2,
    ),
    (
        AGAINST,
        "Les personnes âgées du quartier des Tilleuls viennent en voiture : le bus 4 ne passe qu'une fois "
        "par heure le samedi. Sans navette, vous les excluez du centre-ville.",
        2,
    ),
)
PEDESTRIAN_UPDATE = tr(
    "<p>Comptage du 14 septembre : 1 240 vélos et 3 100 voitures sont passés rue de la République entre 10 h "
    "et 19 h. Une navette gratuite depuis le parking des Tilleuls est à l'étude pour les samedis d'essai.</p>",
    "<p>Count of 14 September: 1,240 bikes and 3,100 cars went along rue de la République between 10 am and "
    "7 pm. A free shuttle from the Tilleuls car park is being studied for the trial Saturdays.</p>",
)

BIKE_PARKING = {
    "title": tr(
        "Stationnement des vélos : des arceaux à la place de places de voiture ?",
        "Bike parking: racks instead of car parking spaces?",
    ),
    "description": tr(
        "<p>Une place de voiture accueille dix vélos. La Ville propose de transformer une place sur vingt du "
        "centre en stationnement vélo, en commençant devant les écoles et les commerces.</p>",
        "<p>One car space holds ten bikes. The town proposes turning one space in twenty in the centre into "
        "bike parking, starting in front of schools and shops.</p>",
    ),
    "instructions": tr(
        "<p>Le débat est ouvert trois semaines. Les conclusions seront publiées ici.</p>",
        "<p>The debate is open for three weeks. Its conclusions will be published here.</p>",
    ),
    "conclusions": tr(
        "<p>Merci pour vos 5 contributions. Les arguments pour l'ont emporté, avec une réserve partagée : ne pas "
        "supprimer les places réservées aux personnes handicapées ni les aires de livraison.</p><ul>"
        "<li>40 places de voiture deviendront des arceaux d'ici juin, devant les écoles et les commerces.</li>"
        "<li>Aucune place handicapée ni aire de livraison ne sera touchée.</li>"
        "<li>Un bilan sera présenté en conseil de quartier à l'automne.</li></ul>",
        "<p>Thank you for your 5 contributions. The arguments for carried the day, with a shared reservation: "
        "do not remove disabled parking spaces or delivery bays.</p><ul>"
        "<li>40 car spaces will become bike racks by June, in front of schools and shops.</li>"
        "<li>No disabled space or delivery bay will be touched.</li>"
        "<li>A review will be presented to the neighbourhood council in the autumn.</li></ul>",
    ),
}
PARKING_ARGUMENTS = (
    (
        FOR,
        "Devant l'école Jules-Ferry, les vélos sont attachés aux grilles et aux lampadaires : ça gêne les "
        "poussettes. Dix arceaux à la place d'une voiture, c'est évident.",
        4,
    ),
    (
        AGAINST,
        "Il manque déjà des places le soir dans ma rue. Prenez plutôt de la place sur les trottoirs "
        "larges de l'avenue de la Gare.",
        2,
    ),
    (
        FOR,
        "Un arceau coûte bien moins cher qu'un parking. Et les commerçants y gagnent : un cycliste revient "
        "plus souvent qu'un automobiliste.",
        1,
    ),
    (
        NEUTRAL,
        "D'accord sur le principe, à condition de garder les places pour les personnes handicapées et les livraisons.",
        3,
    ),
)

CARGO_BIKES = {
    "title": "Une vélo-école pour les adultes qui n'osent pas rouler en ville ?",
    "description": (
        "Beaucoup de voisins me disent qu'ils prendraient le vélo s'ils se sentaient en sécurité. "
        "Des associations proposent des cours aux adultes dans d'autres villes : deux heures le "
        "samedi matin, vélo prêté. Qu'en pensez-vous, et qui serait prêt à donner un coup de main ?"
    ),
}
CARGO_ARGUMENTS = (
    (
        FOR,
        "J'ai appris à 45 ans avec une association à Tours : trois séances ont suffi. Je m'inscris comme bénévole.",
        2,
    ),
    (NEUTRAL, "Bonne idée, mais il faudrait aussi des créneaux en semaine pour ceux qui travaillent le samedi.", 1),
)


def _people(organization) -> list:
    """The organization's participants (people without a role), as comments.demo picks them."""
    return list(
        User.objects.filter(
            memberships__organization=organization, is_active=True, deleted_at__isnull=True, is_superuser=False
        )
        .exclude(roles__organization=organization)
        .order_by("pk")[:8]
    )


def _argue(debate, arguments, people, *, turn: int = 0) -> None:
    """Comments with their position, each by another participant, up-voted by
    the others (at most as many votes as there are other people)."""
    if not people:
        return
    component = debate.component
    common = dict(
        content_type=ContentType.objects.get_for_model(Debate),
        object_id=debate.pk,
        organization=component.space.organization,
        space=component.space,
        component=component,
    )
    when = (debate.starts_at or timezone.now() - timedelta(days=2)) + timedelta(hours=3)
    for n, (alignment, text, votes) in enumerate(arguments):
        author = people[(turn + n) % len(people)]
        comment = Comment.objects.create(author=author, body=text, alignment=alignment, **common)
        voters = [person for person in people if person != author][:votes]
        for voter in voters:
            CommentVote.objects.create(comment=comment, user=voter, value=1)
        Comment.objects.filter(pk=comment.pk).update(
            root_id=comment.pk, up_count=len(voters), created_at=when + timedelta(hours=5 * n)
        )
        add_follow(user=author, target=debate)


def _category(organization):
    categories = Category.objects.filter(organization=organization)
    return categories.filter(name__fr__icontains="mobilit").first() or categories.filter(parent__isnull=True).first()


@transaction.atomic
def seed(component):
    if Debate.objects.filter(component=component).exists():
        return
    organization = component.space.organization
    people = _people(organization)
    category = _category(organization)
    centre = Scope.objects.filter(organization=organization, parent__isnull=False).order_by("code").first()
    now = timezone.now()

    street = insert_debate(
        component=component,
        category=category,
        scope=centre,
        starts_at=now - timedelta(days=9),
        ends_at=now + timedelta(days=21),
        **PEDESTRIAN_STREET,
    )
    DebateUpdate.objects.create(debate=street, body=PEDESTRIAN_UPDATE, created_at=now - timedelta(days=2))
    _argue(street, PEDESTRIAN_ARGUMENTS, people)

    fields = {key: value for key, value in BIKE_PARKING.items() if key != "conclusions"}
    parking = insert_debate(
        component=component,
        category=category,
        starts_at=now - timedelta(days=60),
        ends_at=now - timedelta(days=25),
        **fields,
    )
    _argue(parking, PARKING_ARGUMENTS, people, turn=2)
    Debate.objects.filter(pk=parking.pk).update(
        conclusions=BIKE_PARKING["conclusions"], closed_at=now - timedelta(days=20)
    )

    if people:
        author = people[-1]
        school = insert_debate(
            component=component,
            official=False,
            author=author,
            category=category,
            title={"fr": CARGO_BIKES["title"]},
            description={"fr": f"<p>{CARGO_BIKES['description']}</p>"},
        )
        add_follow(user=author, target=school)
        _argue(school, CARGO_ARGUMENTS, [person for person in people if person != author] or people, turn=1)
        # Likes, written directly (one per person, as the constraint holds): most people like the street's debate.
        DebateLike.objects.bulk_create(
            [DebateLike(debate=street, person=person) for person in people[: max(1, len(people) * 2 // 3)]]
            + [DebateLike(debate=school, person=person) for person in people[: max(1, len(people) // 3)]]
            + [DebateLike(debate=parking, person=person) for person in people[:2]],
            ignore_conflicts=True,
        )
    # Oldest first in the list's order of creation: the closed debate is the oldest.
    Debate.objects.filter(pk=parking.pk).update(created_at=now - timedelta(days=60))
    Debate.objects.filter(pk=street.pk).update(created_at=now - timedelta(days=9))
