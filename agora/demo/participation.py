"""The demo's participation statistics (docs/statistics.md): what the demo's own
residents did, counted again from the components' rows; the reference
population of Belleville-sur-Loire (a town of about 31,000, census-like
figures); the 2025 edition's participation as the town recorded it (its ~900
voters and idea authors are aggregates, not accounts: the demo does not create
900 people), so that the dashboards, the funnel and the representativeness
tables have groups large enough to be shown; page views of the last weeks; and
the figures shown to the public."""

import random
from datetime import timedelta

from django.utils import timezone

from agora.components.models import Component
from agora.core.models import Organization
from agora.spaces.models import Space
from agora.statistics import services
from agora.statistics.kinds import BALLOT, CHANNELS, COMMENT, IDEA, SUPPORT, channel_bit, kind_bit
from agora.statistics.models import DailyCount, DailyVisits, Participant
from agora.taxonomy.models import Scope

# People per district, age bracket and gender (census-like: INSEE tables give these).
DISTRICTS = {"Q-CENTRE": 11_800, "Q-PRES": 9_600, "Q-GARE": 9_700}
AGES = {
    "under_16": 5_300,
    "16_17": 750,
    "18_24": 3_100,
    "25_34": 4_300,
    "35_49": 5_900,
    "50_64": 6_000,
    "65_plus": 5_750,
}
GENDERS = {"woman": 16_300, "man": 14_800}

# How the 2025 participants differ from the town: more from the centre, older, more women;
# the desks and paper ballots reached the older residents of Les Prés.
ONLINE_WEIGHTS = {
    "district": {"Q-CENTRE": 5, "Q-PRES": 2, "Q-GARE": 3},
    "age": {"16_17": 1, "18_24": 2, "25_34": 4, "35_49": 6, "50_64": 5, "65_plus": 2},
}
IN_PERSON_WEIGHTS = {
    "district": {"Q-CENTRE": 2, "Q-PRES": 5, "Q-GARE": 2},
    "age": {"16_17": 0, "18_24": 1, "25_34": 1, "35_49": 2, "50_64": 4, "65_plus": 8},
}


def _pick(generator: random.Random, weights: dict) -> str:
    values = list(weights)
    return generator.choices(values, weights=[weights[value] for value in values])[0]


def seed_statistics(organization: Organization, *, edition: Space, admin) -> None:
    services.rebuild(organization=organization)
    scopes = {scope.code: scope for scope in Scope.objects.filter(organization=organization)}
    figures = {("district", str(scopes[code].pk)): people for code, people in DISTRICTS.items() if code in scopes}
    figures |= {("age_bracket", code): people for code, people in AGES.items()}
    figures |= {("gender", code): people for code, people in GENDERS.items()}
    services.save_reference(actor=admin, organization=organization, figures=figures)
    _edition_2025(organization, edition, scopes)
    _visits(organization)
    services.save_settings(actor=admin, organization=organization, public_figures=True)


def _edition_2025(organization: Organization, edition: Space, scopes: dict) -> None:
    generator = random.Random(2025)
    vote = Component.objects.filter(space=edition, manifest_name="budgets").first()
    ideas = Component.objects.filter(space=edition, manifest_name="proposals").first()
    components = [component for component in (vote, ideas) if component is not None]
    if not components:
        return
    start = edition.start_date or timezone.localdate() - timedelta(days=400)
    rows: list[Participant] = []
    counts: dict[tuple, int] = {}
    for number in range(900):
        channel = "online" if number < 620 else ("desk" if number < 760 else "paper")
        weights = ONLINE_WEIGHTS if channel == "online" else IN_PERSON_WEIGHTS
        district = scopes.get(_pick(generator, weights["district"]))
        said_age = generator.random() < (0.8 if channel == "online" else 0.6)
        age = _pick(generator, weights["age"]) if said_age else ""
        gender = _pick(generator, {"woman": 57, "man": 41, "": 2}) if generator.random() < 0.85 else ""
        # Ideas and supports in the first weeks, the vote in weeks 8 to 11.
        voted = ideas is None or number % 3 != 0 or channel != "online"
        component = vote if voted and vote is not None else ideas
        assert component is not None  # (one of them exists)
        kind = BALLOT if component is vote else _pick(generator, {IDEA: 1, SUPPORT: 4})
        day = start + timedelta(days=(56 + generator.randrange(28)) if kind == BALLOT else generator.randrange(50))
        for level, scope_id in ((0, 0), (1, edition.pk), (2, component.pk)):
            rows.append(
                Participant(
                    organization=organization,
                    level=level,
                    scope_id=scope_id,
                    kinds=kind_bit(kind),
                    channels=channel_bit(channel),
                    first_day=day,
                    district_id=district.pk if district is not None else 0,
                    age_bracket=age,
                    gender=gender,
                )
            )
        key = (component.pk, day, kind, channel)
        counts[key] = counts.get(key, 0) + (generator.randrange(1, 6) if kind == SUPPORT else 1)
        if kind != BALLOT and generator.random() < 0.3:
            comment_key = (component.pk, day, COMMENT, "online")
            counts[comment_key] = counts.get(comment_key, 0) + 1
    Participant.objects.bulk_create(rows, batch_size=1000)
    DailyCount.objects.bulk_create(
        [
            DailyCount(
                organization=organization,
                space_id=edition.pk,
                component_id=component_id,
                day=day,
                kind=kind,
                channel=channel,
                count=number,
            )
            for (component_id, day, kind, channel), number in counts.items()
            if channel in CHANNELS
        ]
    )


def _visits(organization: Organization) -> None:
    generator = random.Random(7)
    today = timezone.localdate()
    spaces = list(Space.objects.filter(organization=organization).values_list("pk", flat=True)) + [0]
    DailyVisits.objects.bulk_create(
        [
            DailyVisits(
                organization=organization,
                space_id=space_id,
                day=today - timedelta(days=offset),
                views=(views := generator.randrange(40, 400)),
                visits=views // generator.randrange(3, 6),
            )
            for offset in range(1, 43)
            for space_id in spaces
        ]
    )
