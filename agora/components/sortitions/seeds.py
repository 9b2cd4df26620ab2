"""Demo data: a citizens' panel of 24 seats for the climate assembly, drawn from 360
volunteers of a letter campaign (gender, age band, district, households), with quotas
from the population shares, the distribution computed (LEXIMIN), three parties'
commitments (the observers did not reveal and are dropped) and the panel drawn; one
person declined and was replaced. `seed_idea_draw`: ideas of an ideas component drawn by
lot with the same randomness and commit–reveal (three drawn, one of them hidden by moderation
since; one drawing still waiting for the reveals)."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from agora.components.models import Component
from agora.components.proposals import api as ideas_api
from agora.components.registry import registry
from agora.components.sortitions import services
from agora.components.sortitions.models import Draw, IdeaDraw, Party, Quota, Sortition, Volunteer
from agora.core.translations import translated
from agora.moderation.services import hide_content
from agora.questionnaires import selectors as questionnaire_selectors
from agora.questionnaires import services as questionnaires
from agora.sortition import algorithms, pool
from agora.sortition import draw as engine_draw

FIRST = ["Camille", "Dominique", "Alex", "Sacha", "Maxime", "Claude", "Noa", "Lou", "Yanis", "Inès", "Hugo", "Léa"]
LAST = ["Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Michel", "Garcia"]
GENDERS = [("femme", 52), ("homme", 47), ("autre", 1)]
AGES = [("16-29", 20), ("30-44", 24), ("45-59", 25), ("60+", 31)]
DISTRICTS = [("Centre", 30), ("Les Prés", 25), ("Gare", 25), ("Bords de Loire", 20)]
# volunteers of a letter campaign: older and from the centre more often than the population
POOL_SKEW = {"60+": 1.6, "16-29": 0.5, "Centre": 1.4}


def _pick(digest: bytes, offset: int, choices: list[tuple[str, int]]) -> str:
    weights = [w * POOL_SKEW.get(v, 1.0) for v, w in choices]
    target = int.from_bytes(digest[offset : offset + 4], "big") / 2**32 * sum(weights)
    for (value, _), weight in zip(choices, weights, strict=True):
        target -= weight
        if target < 0:
            return value
    return choices[-1][0]


def volunteers(count: int = 360) -> list[dict]:
    rows = []
    for number in range(count):
        digest = hashlib.sha256(f"agora-demo-volunteer-{number}".encode()).digest()
        # one in five lives with another volunteer (same address): at most one of them can sit
        household = f"{number // 2} rue des Lilas" if number % 10 < 2 else f"{number} avenue de la Loire"
        rows.append(
            {
                "ref": f"V{number + 1:04d}",
                "values": {
                    "genre": _pick(digest, 0, GENDERS),
                    "age": _pick(digest, 4, AGES),
                    "quartier": _pick(digest, 8, DISTRICTS),
                },
                "household": household.lower(),
                "name": f"{FIRST[digest[12] % len(FIRST)]} {LAST[digest[13] % len(LAST)]}",
                "contact": f"volontaire{number + 1}@example.org",
            }
        )
    return rows


def _compute(draw: Draw) -> None:
    instance = pool.Instance.from_canonical(draw.pool, draw.quotas)
    distribution = algorithms.leximin(instance)
    legacy = algorithms.legacy(instance, runs=200)
    draw.distribution = distribution.document()
    draw.distribution_sha256 = distribution.sha256()
    draw.probabilities = distribution.probabilities()
    draw.legacy_probabilities = legacy.probabilities()
    draw.seconds = distribution.seconds
    draw.state = Draw.State.READY
    draw.save()


def _draw(draw: Draw, secrets: dict[str, str | None], public_value: str) -> None:
    for name, secret in secrets.items():
        Party.objects.create(
            draw=draw, name=name, commitment=engine_draw.commitment(name, secret or f"{name}-unrevealed"), secret=secret
        )
    parties = [engine_draw.Party(p.name, p.commitment, p.secret) for p in draw.parties.all()]
    seed = engine_draw.seed_of(draw.distribution_sha256, parties, public_value)
    index, panel = engine_draw.draw_from(draw.distribution, draw.distribution_sha256, seed)
    draw.record = {
        "kind": draw.kind,
        "pool": draw.pool,
        "distribution": draw.distribution,
        "distribution_sha256": draw.distribution_sha256,
        "parties": [
            {"party": p.name, "commitment": p.commitment, "secret": p.secret, "dropped": not p.revealed()}
            for p in sorted(parties, key=lambda p: p.name)
        ],
        "public_value": public_value,
        "seed_sha256": seed.hex(),
        "panel_index": index,
        "panel": panel,
        **({"replaces": draw.replaces} if draw.kind == Draw.Kind.REPLACEMENT else {}),
    }
    draw.panel, draw.public_value = panel, public_value
    draw.state, draw.drawn_at = Draw.State.DRAWN, timezone.now()
    draw.save()


@transaction.atomic
def seed(component) -> None:
    sortition = Sortition.objects.create(
        component=component,
        title="Panel citoyen de l'assemblée pour le climat",
        panel_size=24,
        one_per_household=True,
        algorithm="leximin",
    )
    Volunteer.objects.bulk_create(Volunteer(sortition=sortition, **row) for row in volunteers())
    for feature, choices in (("genre", GENDERS), ("age", AGES), ("quartier", DISTRICTS)):
        for value, share in choices:
            target = 24 * share / 100
            Quota.objects.create(
                sortition=sortition,
                feature=feature,
                value=value,
                minimum=max(0, int(target) - 1),
                maximum=min(24, int(target) + 2),
            )
    volunteers_by_ref = {v.ref: v for v in sortition.volunteers.all()}
    quotas = {(q.feature, q.value): (q.minimum, q.maximum) for q in sortition.quotas.all()}
    features = ["age", "genre", "quartier"]
    instance = pool.build(
        features,
        {f: sorted({v for (g, v) in quotas if g == f}) for f in features},
        quotas,
        [
            pool.Person(v.ref, tuple(v.values[f] for f in features), v.household or None)
            for v in volunteers_by_ref.values()
        ],
        24,
    )
    selection = Draw.objects.create(
        sortition=sortition, algorithm="leximin", pool=instance.canonical(), quotas=instance.canonical_quotas()
    )
    _compute(selection)
    _draw(
        selection,
        {"Mairie": "mairie-7f3a", "Opposition municipale": "opposition-91c2", "Observateurs citoyens": None},
        "Loto du 6 décembre 2026 : 4 11 23 37 45",
    )
    declined = selection.panel[:1]
    selection.declined = declined
    selection.save(update_fields=["declined"])
    kept = selection.panel[1:]
    remaining = engine_draw.remaining_instance(instance, selection.panel, kept, declined)
    replacement = Draw.objects.create(
        sortition=sortition,
        kind=Draw.Kind.REPLACEMENT,
        algorithm="leximin",
        pool=remaining.canonical(),
        quotas=remaining.canonical_quotas(),
        replaces={"drawn_before": sorted(selection.panel), "kept": sorted(kept), "declined": declined},
    )
    _compute(replacement)
    _draw(replacement, {"Mairie": "mairie-remplacement-2b"}, "CAC 40, clôture du 8 décembre 2026 : 7 412,35")
    seed_open_pool(component)


@transaction.atomic
def seed_idea_draw(component, source, moderator=None) -> None:
    """Two drawings of ideas of `source`: the three ideas whose site the jury visits first,
    drawn from the secrets of the city hall and the opposition (the citizen observers did not
    reveal theirs and were dropped) and a lottery result; and a second one published, with
    two commitments recorded, waiting for the reveals. With `moderator`, one of the drawn
    ideas is then hidden by moderation: the pages show the placeholder, the bundle still checks."""
    ideas = [(str(pk), title) for pk, title in ideas_api.ideas_to_draw(component=source).values_list("pk", "title")]
    if len(ideas) < 4:
        return
    drawings = (
        (
            "Trois idées dont le jury visite le site en premier",
            3,
            {
                "Mairie": "mairie-jury-4c1d",
                "Opposition municipale": "opposition-jury-8e20",
                "Observateurs citoyens": None,
            },
            "Loto du 6 décembre 2026 : 4 11 23 37 45",
        ),
        (
            "Deux idées présentées au conseil de quartier de janvier",
            2,
            {"Mairie": None, "Conseil citoyen": None},
            "",
        ),
    )
    for title, count, secrets_of, public_value in drawings:
        salts = {identifier: secrets.token_hex(16) for identifier, _title in ideas}
        document = engine_draw.ideas_document(ideas, count, translated(source.name), {}, salts)
        idea_draw = IdeaDraw.objects.create(
            component=component,
            title=title,
            source=source,
            count=count,
            candidates=document,
            candidates_sha256=pool.sha256_hex(document),
            titles={identifier: [name, salts[identifier]] for identifier, name in ideas},
        )
        drawn = bool(public_value)
        for name, secret in secrets_of.items():
            Party.objects.create(
                idea_draw=idea_draw,
                name=name,
                commitment=engine_draw.commitment(name, secret or f"{name}-{idea_draw.pk}-secret"),
                secret=secret if drawn else None,
            )
        if drawn:
            parties = [engine_draw.Party(p.name, p.commitment, p.secret) for p in idea_draw.parties.all()]
            record = engine_draw.draw_ideas(document, parties, public_value)
            idea_draw.record, idea_draw.drawn, idea_draw.public_value = record, record["drawn"], public_value
            idea_draw.drawn_at = timezone.now()
            idea_draw.save(update_fields=["record", "drawn", "public_value", "drawn_at"])
            if moderator is not None:
                hide_content(
                    actor=moderator, obj=ideas_api.filed_ideas(component=source).get(pk=int(record["drawn"][-1]))
                )


def seed_idea_draws_for(component) -> None:
    """The manifest's seed: the two drawings of `seed_idea_draw` from the first ideas component
    of the space with enough ideas; a space without any ideas component gets one (published
    with this component), filled by its own seed through the registry (no import of it)."""
    sources = list(ideas_api.ideas_components(space=component.space))
    manifest = registry.get("proposals")
    if not sources and manifest is not None:
        ideas = Component.objects.create(
            space=component.space,
            manifest_name="proposals",
            name={"fr": "Idées", "en": "Ideas"},
            settings=manifest.default_settings(),
            published_at=component.published_at,
        )
        seed_ideas = manifest.hook(manifest.seed)
        if seed_ideas is not None:
            seed_ideas(ideas)
        sources = [ideas]
    for source in sources:
        if ideas_api.ideas_to_draw(component=source)[:4].count() == 4:
            seed_idea_draw(component, source)
            return


OPEN_POOL_TITLE = "Comité de suivi du plan vélo"


def seed_open_pool(component) -> Sortition:
    """A second pool, still open: participants register themselves through the form made
    from its features (gender, age band, district), with their contact and consent."""
    sortition = Sortition.objects.create(
        component=component, title=OPEN_POOL_TITLE, panel_size=12, one_per_household=True, algorithm="leximin"
    )
    for feature, choices in (("genre", GENDERS), ("age", AGES), ("quartier", DISTRICTS)):
        for value, share in choices:
            target = 12 * share / 100
            Quota.objects.create(
                sortition=sortition,
                feature=feature,
                value=value,
                minimum=max(0, int(target) - 1),
                maximum=min(12, int(target) + 2),
            )
    services.build_form(sortition)
    sortition.registration_open = True
    sortition.save(update_fields=["registration_open"])
    return sortition


@transaction.atomic
def seed_volunteers(component, people) -> None:
    """A few residents registered in the open pool through its form (answers kept with them)."""
    sortition = Sortition.objects.filter(component=component, registration_open=True).first()
    if sortition is None or sortition.questionnaire is None:
        return
    questionnaire = sortition.questionnaire
    mapping = sortition.registration_map
    questions = questionnaire_selectors.questions_of(questionnaire)
    for number, person in enumerate(people):
        values: dict = {}
        for question_id, entry in mapping["features"].items():
            options = sorted(entry["options"], key=int)
            values[int(question_id)] = {"option": int(options[(number * 7 + int(question_id)) % len(options)])}
        values[mapping["contact"]] = person.email
        values[mapping["consent"]] = {"option": mapping["consent_option"]}
        answer_set = questionnaires.save_answers(questionnaire=questionnaire, values=values, questions=questions)
        features, contact = services.volunteer_values(
            sortition, questionnaire_selectors.values_of(answer_set, questions)
        )
        Volunteer.objects.create(
            sortition=sortition,
            ref=f"R{answer_set.pk:06d}",
            values=features,
            name=person.get_full_name(),
            contact=contact,
            user=person,
            answer_set=answer_set,
        )
