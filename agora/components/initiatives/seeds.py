"""Demo initiatives under a Grenoble-like right of interpellation (a city of
40,000: 50 signatures in a month open a mediation with the elected
officials, 1,000 a citizens' workshop, 20 % of the population, 8,000, a
citizen vote): one collecting, one past its first tier with the mediation's
report, one lapsed, and a draft gathering its committee."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.components.initiatives.models import (
    CommitteeMember,
    Initiative,
    InitiativeTier,
    InitiativeType,
    PaperSheet,
    Signature,
    Tier,
)
from agora.components.initiatives.services import draw_indices
from agora.core.sanitize import plain_text_to_html
from agora.core.translations import tr
from agora.follows.services import add_follow
from agora.questionnaires import seeding as questionnaire_seeding
from agora.questionnaires import services as questionnaires
from agora.taxonomy.models import Scope
from agora.verifications.identity import hashed

INTERPELLATION = {
    "title": tr("Interpellation citoyenne", "Citizens' right of interpellation"),
    "description": tr(
        "<p>Les habitants de 16 ans et plus peuvent saisir la Ville d'une proposition relevant de sa compétence. "
        "La Ville vérifie sa légalité, puis la proposition recueille des soutiens en ligne et sur papier.</p>",
        "<p>Residents aged 16 and over may put to the town a proposal within its powers. The town checks its "
        "legality, then the proposal gathers support online and on paper.</p>",
    ),
}
TIERS = (
    # (threshold, percent, window days, kind, consequence, response days)
    (
        50,
        None,
        30,
        Tier.Kind.MEDIATION,
        tr(
            "<p>Deux réunions de médiation avec les élus ; un rapport signé est publié et envoyé aux signataires.</p>",
            "<p>Two mediation meetings with the elected officials; a signed report is published and sent to the "
            "signers.</p>",
        ),
        60,
    ),
    (
        1000,
        None,
        120,
        Tier.Kind.WORKSHOP,
        tr(
            "<p>Un atelier de 15 habitants tirés au sort étudie la proposition et rend un avis public.</p>",
            "<p>A workshop of 15 residents drawn by lot studies the proposal and gives a public opinion.</p>",
        ),
        120,
    ),
    (
        None,
        Decimal("20"),
        365,
        Tier.Kind.VOTE,
        tr(
            "<p>La proposition est soumise à une votation citoyenne ; elle est adoptée à la majorité avec au moins "
            "16 000 voix pour.</p>",
            "<p>The proposal is put to a citizen vote; it is adopted by a majority with at least 16,000 votes in "
            "favour.</p>",
        ),
        180,
    ),
)

SCHOOLYARDS = (
    "Ouvrir les cours d'école le week-end",
    "Les cours des écoles élémentaires sont fermées le samedi et le dimanche alors que le quartier manque "
    "d'espaces de jeu ombragés. Nous demandons que trois cours d'école soient ouvertes aux familles le week-end, "
    "de 10 h à 18 h, avec un gardien, à l'essai pendant un an.",
)
FOUNTAINS = (
    "Des fontaines d'eau potable dans tous les parcs",
    "Il n'y a que deux fontaines d'eau potable dans les parcs de la ville. Pendant les canicules, les enfants et "
    "les personnes âgées n'ont nulle part où boire. Nous demandons une fontaine par parc d'ici deux étés.",
)
MEDIATION_REPORT = tr(
    "<p>Rapport de médiation signé le 12 mars. Deux réunions ont eu lieu avec l'adjointe aux espaces verts et le "
    "comité promoteur.</p><ul><li>Six fontaines seront installées cet été dans les parcs qui n'en ont pas.</li>"
    "<li>Les quatre autres parcs suivront au budget de l'an prochain.</li><li>Un point d'étape sera publié ici "
    "en septembre.</li></ul>",
    "<p>Mediation report signed on 12 March. Two meetings were held with the deputy mayor for parks and the "
    "promoter committee.</p><ul><li>Six fountains will be installed this summer in the parks that have none."
    "</li><li>The other four parks will follow in next year's budget.</li><li>A progress report will be "
    "published here in September.</li></ul>",
)
NIGHT_BUS = (
    "Un bus de nuit le vendredi et le samedi",
    "Après 22 h, plus aucun bus ne relie la gare aux quartiers. Nous demandons une ligne de nuit le vendredi et le "
    "samedi jusqu'à 1 h du matin.",
)
TRANSIT = (
    "La gratuité des bus pour les moins de 26 ans",
    "Les jeunes renoncent à se déplacer faute de moyens : un abonnement coûte 25 euros par mois. Nous demandons "
    "que le réseau de bus soit gratuit pour les habitants de moins de 26 ans, financé par la révision des tarifs "
    "de stationnement.",
)
BENCHES = (
    "Des bancs tous les 200 mètres sur les grandes avenues",
    "Pour les personnes âgées et les personnes à mobilité réduite, marcher jusqu'aux commerces est difficile faute "
    "de bancs. Nous demandons un banc tous les 200 mètres sur les avenues principales.",
)


def _people(organization) -> list:
    return list(
        User.objects.filter(
            memberships__organization=organization, is_active=True, deleted_at__isnull=True, is_superuser=False
        )
        .exclude(roles__organization=organization)
        .order_by("pk")[:12]
    )


def seed_type(component) -> InitiativeType:
    kind = InitiativeType.objects.create(
        component=component,
        signing=InitiativeType.Signing.BOTH,
        committee_minimum=2,
        withdrawal_allowed=True,
        population=40000,
        **INTERPELLATION,
    )
    # One extra signer field (confidential to the staff): on what ground the person supports,
    # as Grenoble's scheme opens the right to residents and to those paying local tax.
    kind.questionnaire = questionnaires.insert_questionnaire(
        organization=component.space.organization,
        owner_type="initiatives.type",
        owner_id=kind.pk,
        title=dict(kind.title),
    )
    kind.save(update_fields=["questionnaire"])
    questionnaire_seeding.build(
        kind.questionnaire,
        [
            {
                "kind": "single",
                "title": tr("Vous soutenez en tant que", "You support as"),
                "help_text": tr(
                    "Réservé aux services de la Ville, pour vérifier les soutiens ; jamais publié.",
                    "For the town's staff alone, to check the support; never published.",
                ),
                "mandatory": True,
                "options": [
                    tr("Habitant ou habitante de la ville", "A resident of the town"),
                    tr("Contribuable local (sans y habiter)", "A local taxpayer (not living here)"),
                ],
            }
        ],
    )
    for position, (threshold, percent, days, tier_kind, consequence, response) in enumerate(TIERS, start=1):
        Tier.objects.create(
            type=kind,
            position=position,
            threshold=threshold,
            percent=percent,
            window_days=days,
            kind=tier_kind,
            consequence=consequence,
            response_days=response,
        )
    return kind


def _publish(initiative, published_at, now) -> list[InitiativeTier]:
    rows = []
    for tier in initiative.type.tiers.order_by("position"):
        threshold = tier.threshold or int(initiative.type.population * tier.percent / 100)
        rows.append(
            InitiativeTier.objects.create(
                initiative=initiative,
                tier=tier,
                position=tier.position,
                threshold=threshold,
                window_ends_at=published_at + timedelta(days=tier.window_days),
            )
        )
    return rows


def _signatures(initiative, people, organization, when, *, public_every=3) -> int:
    questionnaire = initiative.type.questionnaire
    questions = list(questionnaire.questions.all()) if questionnaire else []
    answer_sets = []
    if questions:
        choices = list(questions[0].options.order_by("position"))
        answer_sets = questionnaire_seeding.bulk_answers(
            questionnaire,
            [{questions[0].pk: {"option": choices[int(n % 7 == 6)].pk, "other": ""}} for n in range(len(people))],
        )
    for n, person in enumerate(people):
        Signature.objects.create(
            answer_set=answer_sets[n] if answer_sets else None,
            initiative=initiative,
            user=person,
            person_key=hashed(organization, "account", str(person.pk)),
            public=n % public_every == 0,
            public_name=person.public_name if n % public_every == 0 else "",
            signed_on=(when + timedelta(days=n % 5)).date(),
        )
        add_follow(user=person, target=initiative)
    return len(people)


def _sheet(initiative, number, count) -> int:
    PaperSheet.objects.create(initiative=initiative, number=number, count=count)
    return count


def _initiative(component, kind, text, author, scope, state, **fields) -> Initiative:
    initiative = Initiative.objects.create(
        component=component,
        type=kind,
        title=text[0],
        body=plain_text_to_html(text[1]),
        question=f"{text[0]} ?",
        author=author,
        scope=scope,
        state=state,
        **fields,
    )
    if author is not None:
        add_follow(user=author, target=initiative)
    return initiative


@transaction.atomic
def seed(component):
    if InitiativeType.objects.filter(component=component).exists():
        return
    organization = component.space.organization
    people = _people(organization)
    author = people[0] if people else None
    scope = Scope.objects.filter(organization=organization, parent__isnull=True).order_by("code").first()
    now = timezone.now()
    kind = seed_type(component)

    # Collecting for 10 days: 37 of the 50 signatures of the mediation.
    published = now - timedelta(days=10)
    schoolyards = _initiative(
        component,
        kind,
        SCHOOLYARDS,
        author,
        scope,
        Initiative.State.COLLECTING,
        published_at=published,
        submitted_at=published - timedelta(days=6),
    )
    rows = _publish(schoolyards, published, now)
    count = _signatures(schoolyards, people[1:], organization, published) + _sheet(schoolyards, 1, 22)
    count += _sheet(schoolyards, 2, 37 - count) if count < 37 else 0
    Initiative.objects.filter(pk=schoolyards.pk).update(
        signature_count=count, open_until=rows[0].window_ends_at, progress_mark=66, next_threshold=rows[0].threshold
    )
    for member in people[1:3]:
        CommitteeMember.objects.create(initiative=schoolyards, user=member, accepted_at=published - timedelta(days=8))

    # Past its first tier, with the mediation's report; on its way to the workshop.
    published = now - timedelta(days=70)
    fountains = _initiative(
        component,
        kind,
        FOUNTAINS,
        people[1] if len(people) > 1 else author,
        scope,
        Initiative.State.COLLECTING,
        published_at=published,
        submitted_at=published - timedelta(days=10),
    )
    rows = _publish(fountains, published, now)
    count = (
        _signatures(fountains, people, organization, published) + _sheet(fountains, 1, 180) + _sheet(fountains, 2, 134)
    )
    reached = published + timedelta(days=19)
    InitiativeTier.objects.filter(pk=rows[0].pk).update(
        reached_at=reached,
        reached_count=50,
        response_due=(reached + timedelta(days=60)).date(),
        response=MEDIATION_REPORT,
        answered_at=reached + timedelta(days=40),
        sample_percent=Decimal("20"),
        sample_seed="tirage-loto-2026-02-14-07-19-23-31-44",
        seed_published_at=reached + timedelta(days=1),
    )
    Initiative.objects.filter(pk=fountains.pk).update(
        signature_count=count, open_until=rows[1].window_ends_at, next_threshold=rows[1].threshold
    )
    # Its verification sample, drawn with the published seed and checked (none found invalid).
    population = list(Signature.objects.filter(initiative=fountains).order_by("id").values_list("id", flat=True))
    if population:
        seed = "tirage-loto-2026-02-14-07-19-23-31-44"
        drawn = [population[index] for index in draw_indices(seed, len(population), -(-len(population) // 5))]
        InitiativeTier.objects.filter(pk=rows[0].pk).update(
            sample_population=population,
            sample=drawn,
            sample_drawn_at=reached + timedelta(days=3),
            sample_checked_at=reached + timedelta(days=9),
            sample_struck=0,
            sample_outcome="Les signatures tirées ont été vérifiées dans le recensement : toutes sont valides.",
        )

    # Lapsed: 23 signatures when its month ended.
    published = now - timedelta(days=100)
    bus = _initiative(
        component,
        kind,
        NIGHT_BUS,
        people[2] if len(people) > 2 else author,
        scope,
        Initiative.State.LAPSED,
        published_at=published,
        submitted_at=published - timedelta(days=5),
        closed_at=published + timedelta(days=30),
    )
    rows = _publish(bus, published, now)
    count = _signatures(bus, people[3:6], organization, published) + _sheet(bus, 1, 20)
    Initiative.objects.filter(pk=bus.pk).update(signature_count=count, open_until=rows[0].window_ends_at)

    # All three tiers reached: 8,412 signatures (online and counted paper sheets), put to a citizen
    # vote (the citizen-vote component's seed opens it: agora.components.votations.seeds).
    published = now - timedelta(days=330)
    transit = _initiative(
        component,
        kind,
        TRANSIT,
        people[3] if len(people) > 3 else author,
        scope,
        Initiative.State.CLOSED,
        published_at=published,
        submitted_at=published - timedelta(days=12),
    )
    transit.question = "Le réseau de bus doit-il devenir gratuit pour les habitants de moins de 26 ans ?"
    transit.save(update_fields=["question"])
    rows = _publish(transit, published, now)
    count = _signatures(transit, people[4:], organization, published)
    sheets = 0
    while count < 8412:
        sheets += 1
        count += _sheet(transit, sheets, min(20, 8412 - count))
    for row, (days, reached_count) in zip(rows, ((9, 50), (48, 1000), (290, 8000)), strict=True):
        reached = published + timedelta(days=days)
        InitiativeTier.objects.filter(pk=row.pk).update(
            reached_at=reached,
            reached_count=reached_count,
            response_due=(reached + timedelta(days=row.tier.response_days or 60)).date(),
        )
    Initiative.objects.filter(pk=transit.pk).update(
        signature_count=count, open_until=None, next_threshold=None, closed_at=published + timedelta(days=290)
    )

    # A draft gathering its promoter committee (one invitation accepted, one waiting).
    benches = _initiative(component, kind, BENCHES, people[-1] if people else None, scope, Initiative.State.COMMITTEE)
    for n, member in enumerate(people[3:5]):
        CommitteeMember.objects.create(initiative=benches, user=member, accepted_at=now if n == 0 else None)
