"""Demo ideas for Belleville-sur-Loire: about fifteen realistic ideas with
categories, some located, some supported, one withdrawn, one official."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agora.accounts.models import User
from agora.components.proposals.models import ParticipantQuota, Proposal, Support
from agora.components.proposals.states import ensure_default_states
from agora.components.proposals.text import search_text
from agora.taxonomy.models import Category

# (title, body, category (French name), (lat, lng, address) or None)
IDEAS = [
    (
        "Des arceaux vélos devant la médiathèque",
        "Le parvis de la médiathèque n'a aucun arceau : les vélos sont attachés aux grilles et aux arbres. "
        "Installer une dizaine d'arceaux abrités permettrait de venir à vélo sans crainte.",
        "Mobilités douces",
        (Decimal("47.501820"), Decimal("1.101240"), "Place de la Médiathèque"),
    ),
    (
        "Une piste cyclable sécurisée vers la gare",
        "Entre le centre-ville et la gare, les cyclistes partagent la route avec les bus. Une piste séparée sur "
        "l'avenue de la Gare rendrait le trajet sûr pour les collégiens et les travailleurs.",
        "Mobilités douces",
        (Decimal("47.497310"), Decimal("1.108870"), "Avenue de la Gare"),
    ),
    (
        "Un city-stade au quartier des Prés",
        "Les jeunes des Prés n'ont pas d'espace pour jouer au foot ou au basket. Un terrain multisport clôturé "
        "près de l'école Jean-Zay serait utilisé tous les jours.",
        "Sport",
        (Decimal("47.508950"), Decimal("1.095430"), "Rue des Prés, près de l'école Jean-Zay"),
    ),
    (
        "Des agrès de sport en plein air le long de la Loire",
        "Quelques agrès de musculation et d'étirement sur la promenade des bords de Loire, accessibles à tous "
        "les âges, pour faire du sport gratuitement.",
        "Sport",
        (Decimal("47.494100"), Decimal("1.099800"), "Promenade des bords de Loire"),
    ),
    (
        "Une boîte à livres dans chaque quartier",
        "Une petite armoire où chacun dépose et emprunte des livres librement. Les habitants s'occupent de "
        "l'entretien, la Ville fournit et installe les boîtes.",
        "Culture",
        None,
    ),
    (
        "Des concerts gratuits l'été dans le parc",
        "Une scène légère dans le parc municipal, quatre soirs d'été, pour les groupes amateurs de la ville et "
        "des environs.",
        "Culture",
        (Decimal("47.502600"), Decimal("1.104300"), "Parc municipal"),
    ),
    (
        "Planter un verger partagé",
        "Sur la friche derrière le gymnase, planter des arbres fruitiers que les habitants entretiennent et "
        "récoltent ensemble, avec les écoles.",
        "Biodiversité",
        (Decimal("47.505400"), Decimal("1.112200"), "Friche derrière le gymnase"),
    ),
    (
        "Des nichoirs et des hôtels à insectes dans les écoles",
        "Construire avec les élèves des nichoirs à oiseaux et des hôtels à insectes dans les cours d'école, "
        "pour apprendre la biodiversité en la voyant.",
        "Biodiversité",
        None,
    ),
    (
        "Végétaliser la cour de l'école Jean-Zay",
        "La cour est entièrement goudronnée et brûlante en juin. Des arbres, de la terre et des copeaux "
        "rafraîchiraient la cour et serviraient aux leçons de sciences.",
        "Écologie",
        (Decimal("47.508400"), Decimal("1.096100"), "École Jean-Zay"),
    ),
    (
        "Des récupérateurs d'eau de pluie pour les jardins familiaux",
        "Installer des cuves de récupération d'eau de pluie aux jardins familiaux pour arroser sans eau potable.",
        "Écologie",
        None,
    ),
    (
        "Des bancs sur le chemin du marché",
        "Les personnes âgées qui vont au marché à pied n'ont nulle part où se reposer. Trois ou quatre bancs "
        "sur la rue du Commerce les aideraient beaucoup.",
        "Cadre de vie",
        (Decimal("47.500900"), Decimal("1.102700"), "Rue du Commerce"),
    ),
    (
        "Une aire de jeux pour les tout-petits",
        "L'aire de jeux du parc est faite pour les plus grands. Des jeux pour les enfants de 1 à 4 ans, avec "
        "un sol souple, manquent.",
        "Loisirs",
        (Decimal("47.502900"), Decimal("1.104900"), "Parc municipal"),
    ),
    (
        "Un passage piéton surélevé devant le collège",
        "Les voitures roulent vite devant le collège à l'heure de la sortie. Un plateau surélevé et un meilleur "
        "éclairage sécuriseraient la traversée.",
        "Voirie et sécurité",
        (Decimal("47.499700"), Decimal("1.106500"), "Rue Victor-Hugo, devant le collège"),
    ),
    (
        "Un parking à vélos sécurisé à la gare",
        "Un abri fermé par badge pour laisser son vélo à la journée à la gare sans se le faire voler.",
        "Mobilités douces",
        (Decimal("47.496800"), Decimal("1.109900"), "Gare"),
    ),
    (
        "Éclairer le chemin de halage",
        "Le chemin de halage est très utilisé l'hiver à la tombée de la nuit. Un éclairage doux, qui respecte "
        "la faune, le rendrait plus sûr.",
        "Voirie et sécurité",
        None,
    ),
]


def _people(organization):
    """Participants who file ideas: never staff, whose names readers would
    otherwise see both on ideas and on the official answers."""
    return list(
        User.objects.filter(memberships__organization=organization, is_superuser=False)
        .exclude(roles__organization=organization)
        .order_by("id")[:6]
    )


@transaction.atomic
def seed(component):
    """Creates the demo ideas once (does nothing if the component already has ideas)."""
    if Proposal.objects.filter(component=component).exists():
        return
    space = component.space
    organization = space.organization
    people = _people(organization)
    categories = {}

    for category in Category.objects.filter(organization=organization):
        categories[str(category.name.get("fr", ""))] = category
    # First phase files ideas and supports; the next ones freeze them.
    phases = list(space.phases.order_by("position", "id"))
    if phases:
        component.phase_settings = {
            str(phase.pk): {
                "creation_enabled": index == 0,
                "supports": "enabled" if index == 0 else "blocked",
                "comments_enabled": True,
                "comments_blocked": index > 1,
            }
            for index, phase in enumerate(phases)
        }
    component.settings = {
        **(component.settings or {}),
        "category_mode": "optional",
        "geolocation_mode": "optional",
        "attachments_enabled": True,
        "supports_limit": 10,
        "support_threshold": 20,
    }
    component.save(update_fields=["settings", "phase_settings"])
    now = timezone.now()
    created = []
    for index, (title, body, category_name, place) in enumerate(IDEAS):
        official = not people or index == len(IDEAS) - 1
        author = None if official else people[index % len(people)]
        lat, lng, address = place or (None, None, "")
        proposal = Proposal.objects.create(
            component=component,
            author=author,
            official=official,
            title=title,
            body=body,
            category=categories.get(category_name),
            address=address,
            latitude=lat,
            longitude=lng,
            status=Proposal.Status.WITHDRAWN if index == 9 and not official else Proposal.Status.PUBLISHED,
            published_at=now - timedelta(days=len(IDEAS) - index, hours=index),
            withdrawn_at=now - timedelta(days=1) if index == 9 and not official else None,
            search_text=search_text(title, body),
            reference=f"{organization.reference_prefix}-IDEA-{index + 1}",
        )
        created.append(proposal)
    # Supports: each person supports a few ideas (never beyond the demo limit).
    for position, person in enumerate(people):
        chosen = [p for p in created if p.status == Proposal.Status.PUBLISHED][position::2][:5]
        for proposal in chosen:
            Support.objects.create(proposal=proposal, component=component, user=person)
            Proposal.objects.filter(pk=proposal.pk).update(supports_count=F("supports_count") + 1)
        ParticipantQuota.objects.update_or_create(
            component=component,
            user=person,
            defaults={
                "supports_count": len(chosen),
                "proposals_count": sum(
                    1 for p in created if p.author_id == person.pk and p.status == Proposal.Status.PUBLISHED
                ),
            },
        )
    ensure_default_states(component)
