"""Writes of participation statistics: recording an act of participation
(`record`, what agora.statistics.api offers), rebuilding the aggregates from what
the components stored, the reference population and the organization's choice."""

import random
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.services import acting_agent, log_action
from agora.components.models import Component
from agora.components.registry import registry
from agora.core.csvfiles import CsvImportError, open_reader
from agora.core.models import Organization
from agora.permissions import require
from agora.statistics import events
from agora.statistics.kinds import CHANNELS, DESK, KINDS, ONLINE, channel_bit, kind_bit
from agora.statistics.models import DailyCount, Participant, ReferencePopulation, StatisticsSettings
from agora.taxonomy.models import Scope
from agora.verifications.models import Verification
from agora.verifications.selectors import verified_attributes

# Rows per key of DailyCount: concurrent ballots of one component add to different rows.
STRIPES = 8
_stripe = random.Random()  # its own generator: what tests draw from the module's is not consumed here
LEVELS = (Participant.Level.ORGANIZATION, Participant.Level.SPACE, Participant.Level.COMPONENT)


def _participants_sql(rows: int) -> str:
    table = Participant._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * rows)
    # The update only when something new is learnt: the person's row is
    # rewritten once per new kind or channel, not at each support.
    return (
        f'INSERT INTO {table} (organization_id, "level", scope_id, person_id, kinds, channels, first_day, '
        f"district_id, age_bracket, gender) VALUES {values} "
        f'ON CONFLICT (organization_id, "level", scope_id, person_id) DO UPDATE SET '
        f"kinds = {table}.kinds | excluded.kinds, channels = {table}.channels | excluded.channels, "
        f"district_id = CASE WHEN {table}.district_id = 0 THEN excluded.district_id ELSE {table}.district_id END, "
        f"age_bracket = CASE WHEN {table}.age_bracket = '' THEN excluded.age_bracket ELSE {table}.age_bracket END, "
        f"gender = CASE WHEN {table}.gender = '' THEN excluded.gender ELSE {table}.gender END "
        f"WHERE ({table}.kinds | excluded.kinds) <> {table}.kinds "
        f"OR ({table}.channels | excluded.channels) <> {table}.channels"
    )


def _count_sql() -> str:
    table = DailyCount._meta.db_table
    return (
        f'INSERT INTO {table} (organization_id, space_id, component_id, "day", kind, channel, stripe, "count") '
        f"VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
        f'ON CONFLICT (organization_id, space_id, component_id, "day", kind, channel, stripe) '
        f'DO UPDATE SET "count" = {table}."count" + excluded."count"'
    )


def record(
    *,
    kind: str,
    component: Any = None,
    space: Any = None,
    organization: Any = None,
    person: User | None = None,
    channel: str | None = None,
    district_id: int | None = None,
    day: date | None = None,
) -> None:
    """An act of participation (agora.statistics.api): in the caller's
    transaction, after its other counters."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of participation {kind!r} (agora.statistics.kinds)")
    if component is not None:
        space = space if space is not None else component.space
    if space is not None:
        organization = organization if organization is not None else space.organization
    if organization is None:
        raise TypeError("record() needs an organization (or a space, or a component)")
    if channel is None:
        channel = DESK if acting_agent.get() is not None else ONLINE
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if person is not None and not person.is_authenticated:
        person = None
    if district_id is None and person is not None:
        district_id = verified_attributes(person, organization).scope_id
    day = day or timezone.localdate()
    space_id = space.pk if space is not None else 0
    component_id = component.pk if component is not None else 0
    profile = (
        district_id or 0,
        person.age_bracket if person is not None else "",
        person.gender if person is not None else "",
    )
    scopes = [(Participant.Level.ORGANIZATION, 0)]
    if space_id:
        scopes.append((Participant.Level.SPACE, space_id))
    if component_id:
        scopes.append((Participant.Level.COMPONENT, component_id))
    params: list[Any] = []
    for level, scope_id in scopes:
        params += [
            organization.pk,
            int(level),
            scope_id,
            person.pk if person is not None else None,
            kind_bit(kind),
            channel_bit(channel),
            day,
            *profile,
        ]
    with connection.cursor() as cursor:
        cursor.execute(_participants_sql(len(scopes)), params)
        cursor.execute(
            _count_sql(),
            [organization.pk, space_id, component_id, day, kind, channel, _stripe.randrange(STRIPES), 1],
        )


# --- rebuilding from what the components stored --------------------------------------------------


def _districts(organization: Organization) -> dict[int, int]:
    """person id -> the district of their latest active verification."""
    rows = (
        Verification.objects.filter(organization=organization, status=Verification.Status.ACTIVE, scope__isnull=False)
        .order_by("decided_at", "id")
        .values_list("user_id", "scope_id")
    )
    return {user_id: scope_id for user_id, scope_id in rows}


def _events(organization: Organization) -> Iterable[tuple[Any, events.Event]]:
    components = Component.objects.filter(space__organization=organization).select_related("space")
    for component in components:
        manifest = registry.get(component.manifest_name)
        hook = manifest.hook(manifest.participation) if manifest else None
        for event in hook(component) if hook else ():
            yield component, event
    for source in events.sources():
        yield from source(organization)


@transaction.atomic
def rebuild(*, organization: Organization) -> dict[str, int]:
    """Forget the organization's participants and daily counts and count them
    again from the components' own rows (their `participation` hooks and the
    registered sources). Page views are not rebuilt (nothing else keeps them)."""
    Participant.objects.filter(organization=organization).delete()
    DailyCount.objects.filter(organization=organization).delete()
    districts = _districts(organization)
    people: dict[tuple[int, int, int], list] = {}
    anonymous: list[Participant] = []
    counts: dict[tuple, int] = {}
    seen = 0
    for component, event in _events(organization):
        seen += 1
        key = (component.space_id, component.pk, event.day, event.kind, event.channel)
        counts[key] = counts.get(key, 0) + 1
        district = event.district_id or (districts.get(event.person_id, 0) if event.person_id else 0)
        scopes = ((0, 0), (1, component.space_id), (2, component.pk))
        for level, scope_id in scopes:
            if event.person_id is None:
                anonymous.append(
                    Participant(
                        organization=organization,
                        level=level,
                        scope_id=scope_id,
                        kinds=kind_bit(event.kind),
                        channels=channel_bit(event.channel),
                        first_day=event.day,
                        district_id=district,
                    )
                )
                continue
            entry = people.get((level, scope_id, event.person_id))
            if entry is None:
                people[(level, scope_id, event.person_id)] = [
                    kind_bit(event.kind),
                    channel_bit(event.channel),
                    event.day,
                    district,
                ]
            else:
                entry[0] |= kind_bit(event.kind)
                entry[1] |= channel_bit(event.channel)
                entry[2] = min(entry[2], event.day)
                entry[3] = entry[3] or district
    profiles = {
        pk: (age, gender)
        for pk, age, gender in User.objects.filter(pk__in={person for _l, _s, person in people}).values_list(
            "pk", "age_bracket", "gender"
        )
    }
    rows = anonymous + [
        Participant(
            organization=organization,
            level=level,
            scope_id=scope_id,
            person_id=person,
            kinds=kinds,
            channels=channels,
            first_day=first_day,
            district_id=district,
            age_bracket=profiles.get(person, ("", ""))[0],
            gender=profiles.get(person, ("", ""))[1],
        )
        for (level, scope_id, person), (kinds, channels, first_day, district) in people.items()
    ]
    Participant.objects.bulk_create(rows, batch_size=2000)
    DailyCount.objects.bulk_create(
        [
            DailyCount(
                organization=organization,
                space_id=space_id,
                component_id=component_id,
                day=day,
                kind=kind,
                channel=channel,
                count=count,
            )
            for (space_id, component_id, day, kind, channel), count in counts.items()
        ],
        batch_size=2000,
    )
    return {"events": seen, "participants": len(rows)}


# --- the organization's choices -------------------------------------------------------------------


def settings_of(organization: Organization) -> StatisticsSettings:
    found = StatisticsSettings.objects.filter(organization=organization).first()
    return found or StatisticsSettings(organization=organization)


@transaction.atomic
def save_settings(*, actor: User, organization: Organization, public_figures: bool) -> StatisticsSettings:
    require(actor, "statistics.manage", organization)
    stored, _created = StatisticsSettings.objects.update_or_create(
        organization=organization, defaults={"public_figures": public_figures}
    )
    log_action(
        actor=actor,
        verb="statistics.settings_updated",
        target=None,
        organization=organization,
        data={"public_figures": public_figures},
    )
    return stored


# --- the reference population ----------------------------------------------------------------------


def reference_values(organization: Organization) -> dict[str, dict[str, str]]:
    """{dimension: {value: label}}: the districts (the organization's scopes), the age brackets, the genders."""
    districts = {
        str(scope.pk): f"{scope.code} — {scope}" if scope.code else str(scope)
        for scope in Scope.objects.filter(organization=organization).order_by("code")
    }
    return {
        ReferencePopulation.Dimension.DISTRICT: districts,
        ReferencePopulation.Dimension.AGE_BRACKET: {code: str(label) for code, label in User.AgeBracket.choices},
        ReferencePopulation.Dimension.GENDER: {
            code: str(label) for code, label in User.Gender.choices if code != User.Gender.UNDISCLOSED
        },
    }


@transaction.atomic
def save_reference(*, actor: User, organization: Organization, figures: Mapping[tuple[str, str], int | None]) -> int:
    """Set the reference population: {(dimension, value): people}; None or 0
    removes a figure. Returns how many figures are kept."""
    require(actor, "statistics.manage", organization)
    allowed = reference_values(organization)
    for (dimension, value), number in figures.items():
        if value not in allowed.get(dimension, {}):
            raise ValidationError(_("“%(value)s” is not a value of this table.") % {"value": value})
        if number is not None and number < 0:
            raise ValidationError(_("A population cannot be negative."))
    for (dimension, value), number in figures.items():
        if number:
            ReferencePopulation.objects.update_or_create(
                organization=organization, dimension=dimension, value=value, defaults={"population": number}
            )
        else:
            ReferencePopulation.objects.filter(organization=organization, dimension=dimension, value=value).delete()
    kept = ReferencePopulation.objects.filter(organization=organization).count()
    log_action(
        actor=actor,
        verb="statistics.reference_updated",
        target=None,
        organization=organization,
        data={"figures": kept},
    )
    return kept


MAX_POPULATION = 100_000_000


def import_reference(*, actor: User, organization: Organization, content: bytes) -> int:
    """A CSV file of the reference population: columns `dimension` (district,
    age_bracket or gender), `value` (a district's code, an age bracket's or a
    gender's code as the form shows them) and `population`. Every line is checked
    before anything is stored; errors name their line."""
    require(actor, "statistics.manage", organization)
    allowed = reference_values(organization)
    codes = {scope.code.lower(): str(scope.pk) for scope in Scope.objects.filter(organization=organization)}
    try:
        reader, header = open_reader(content)
    except CsvImportError as error:
        raise ValidationError([reason for _line, reason in error.errors]) from None
    if not {"dimension", "value", "population"} <= set(header):
        raise ValidationError(_("The file needs the columns dimension, value and population."))
    figures: dict[tuple[str, str], int | None] = {}
    errors = []
    for row in reader:
        line = reader.line_num
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}
        dimension, value, number = row["dimension"].lower(), row["value"], row["population"].replace(" ", "")
        if dimension == ReferencePopulation.Dimension.DISTRICT:
            value = codes.get(value.lower(), "")
        if dimension not in allowed or value not in allowed[dimension]:
            errors.append(_("Line %(line)s: unknown %(what)s.") % {"line": line, "what": row["dimension"] or "?"})
            continue
        if not number.isdigit() or int(number) > MAX_POPULATION:
            errors.append(_("Line %(line)s: the population must be a whole number.") % {"line": line})
            continue
        figures[(dimension, value)] = int(number)
    if errors:
        raise ValidationError(errors[:20])
    if not figures:
        raise ValidationError(_("The file has no figure."))
    return save_reference(actor=actor, organization=organization, figures=figures)


def erase_account(user: User) -> None:
    """A person who deletes their account stays counted, as an anonymous
    participant: their rows lose the link to them (agora.accounts.erasure)."""
    Participant.objects.filter(person=user).update(person=None)
