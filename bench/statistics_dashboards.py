"""Participation statistics at scale (issue 21's bench/statistics.py: named otherwise because a
bench/statistics.py would shadow the standard library's statistics module for every script of
bench/, as bench/opinion_polis_agreement.py uses it): 100,000 participants and
2,000,000 acts of participation on PostgreSQL; every staff dashboard timed.

    .venv/bin/python bench/statistics_dashboards.py [--participants 100000] [--actions 2000000] [--repeat 20]
    .venv/bin/python bench/statistics_dashboards.py --small      # 2,000 participants, 40,000 actions (a check, < 1 min)

With DATABASE_URL=postgres://... that database is dropped and re-created
(never point it at real data); without it a throw-away PostgreSQL cluster is
started in a temporary directory (as bench/vote_storm.py does).

1. An organization with 8 districts, 3 processes of 4 components each
   (ideas, vote, survey, debates), the participants (accounts with a profile:
   district, age bracket, gender, some left blank, and their membership).
2. The actions (ideas, supports, comments, ballots, answers, debates; online,
   desk, paper; over 120 days; some people very active, most a little) are
   aggregated as `statistics.api.record` keeps them (participant rows per
   organization, space and component with their bitmasks; striped daily
   counts) and written with COPY; a reference population is entered.
3. `record` itself is timed on 2,000 more acts (the write every ballot pays).
4. Every dashboard is asked `--repeat` times through Django's test client as
   the organization's administrator: the organization's, each space's
   (with its funnel), each component's, each space's representativeness (all
   channels and each channel), the CSV exports, and the home page with the
   public figures block. p95 per dashboard; the worst is the result.
Last line: RESULT participants=<n> actions=<n> dashboard_p95_ms=<n>
Target: every dashboard p95 < 500 ms."""

import argparse
import io
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _http_load import percentile  # noqa: E402
from _http_load import reset_database as _reset_database  # noqa: E402
from _http_load import throwaway_cluster as _throwaway_cluster  # noqa: E402

DISTRICTS = 8
SPACES = 3
MANIFESTS = ("proposals", "budgets", "surveys", "debates")
# The kinds of participation of each component type, with their weights.
KINDS_OF = {
    "proposals": (("idea", 1), ("support", 8), ("comment", 3)),
    "budgets": (("ballot", 1),),
    "surveys": (("answer", 1),),
    "debates": (("debate", 1), ("comment", 6)),
}
CHANNEL_WEIGHTS = (("online", 78), ("desk", 13), ("paper", 9))
AGES = ("under_16", "16_17", "18_24", "25_34", "35_49", "50_64", "65_plus")
DAYS = 120


def build(participants: int):
    from agora.accounts.models import Membership, User
    from agora.components.models import Component
    from agora.core.models import Organization, TermsVersion
    from agora.spaces.models import Role, Space
    from agora.statistics import services
    from agora.statistics.models import ReferencePopulation
    from agora.taxonomy.models import Scope

    organization = Organization.objects.create(name="Bench", host="testserver", reference_prefix="B")
    TermsVersion.objects.create(organization=organization, version=1, body={"fr": "."})
    districts = [
        Scope.objects.create(organization=organization, code=f"D{n}", name={"fr": f"Quartier {n}"})
        for n in range(DISTRICTS)
    ]
    today = date.today()
    components = []
    for number in range(SPACES):
        space = Space.objects.create(
            organization=organization,
            kind=Space.Kind.PROCESS,
            slug=f"edition-{number}",
            title={"fr": f"Édition {number}"},
            start_date=today - timedelta(days=DAYS),
            end_date=today + timedelta(days=30),
        )
        for weight, name in enumerate(MANIFESTS):
            components.append(
                Component.objects.create(space=space, manifest_name=name, name={"fr": name}, weight=weight)
            )
    admin = User.objects.create_user(email="admin@bench.example", nickname="admin", password="bench")
    Membership.objects.create(user=admin, organization=organization, accepted_terms_version=1)
    Role.objects.create(user=admin, organization=organization, name=Role.Name.ORGANIZATION_ADMIN)

    generator = random.Random(21)
    profiles = {}
    users, memberships = [], []
    for offset in range(participants):
        age = generator.choice(AGES) if generator.random() < 0.75 else ""
        gender = generator.choice(("woman", "man")) if generator.random() < 0.8 else ""
        district = districts[generator.randrange(DISTRICTS)].pk if generator.random() < 0.7 else 0
        users.append(
            User(email=f"p{offset}@bench.example", nickname=f"p{offset}", password="!", age_bracket=age, gender=gender)
        )
        profiles[offset] = (district, age, gender)
    User.objects.bulk_create(users, batch_size=5000)
    profiles = {user.pk: profiles[offset] for offset, user in enumerate(users)}
    for user in users:
        memberships.append(Membership(user=user, organization=organization, accepted_terms_version=1))
    Membership.objects.bulk_create(memberships, batch_size=5000)
    # Joined over the last months (auto_now_add stamped them all now).
    with _cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_membership SET joined_at = now() - (id %% %s) * interval '1 day' WHERE organization_id = %s",
            [DAYS + 200, organization.pk],
        )
    figures: dict[tuple[str, str], int | None] = {
        ("district", str(scope.pk)): generator.randrange(8_000, 20_000) for scope in districts
    }
    figures |= {("age_bracket", age): generator.randrange(3_000, 12_000) for age in AGES}
    figures |= {("gender", "woman"): 52_000, ("gender", "man"): 48_000}
    services.save_reference(actor=admin, organization=organization, figures=figures)
    assert ReferencePopulation.objects.filter(organization=organization).count() == len(figures)
    return organization, admin, components, profiles


def _cursor():
    from django.db import connection

    return connection.cursor()


def _copy(cursor, target: str, buffer: io.StringIO) -> None:
    buffer.seek(0)
    with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)


def fill(organization, components, profiles, actions: int) -> None:
    """The actions, aggregated as statistics.api.record keeps them, written with COPY."""
    from agora.statistics.kinds import channel_bit, kind_bit
    from agora.statistics.services import STRIPES

    generator = random.Random(2)
    people = list(profiles)
    today = date.today()
    channels = [name for name, _weight in CHANNEL_WEIGHTS]
    channel_weights = [weight for _name, weight in CHANNEL_WEIGHTS]
    participants: dict[tuple[int, int, int], list] = {}
    counts: dict[tuple, int] = {}
    for _number in range(actions):
        # Most people act a few times, some many (a skewed draw).
        person = people[min(int(generator.paretovariate(1.2)) - 1, len(people) - 1) * 7919 % len(people)]
        if generator.random() < 0.6:
            person = people[generator.randrange(len(people))]
        component = components[generator.randrange(len(components))]
        kinds = KINDS_OF[component.manifest_name]
        kind = generator.choices([k for k, _w in kinds], weights=[w for _k, w in kinds])[0]
        channel = (
            generator.choices(channels, weights=channel_weights)[0]
            if kind in ("ballot", "answer", "idea")
            else "online"
        )
        day = today - timedelta(days=generator.randrange(DAYS))
        key = (component.space_id, component.pk, day, kind, channel, generator.randrange(STRIPES))
        counts[key] = counts.get(key, 0) + 1
        for level, scope_id in ((0, 0), (1, component.space_id), (2, component.pk)):
            entry = participants.get((level, scope_id, person))
            if entry is None:
                participants[(level, scope_id, person)] = [kind_bit(kind), channel_bit(channel), day]
            else:
                entry[0] |= kind_bit(kind)
                entry[1] |= channel_bit(channel)
                if day < entry[2]:
                    entry[2] = day
    rows = io.StringIO()
    for (level, scope_id, person), (kinds_mask, channels_mask, first_day) in participants.items():
        district, age, gender = profiles[person]
        rows.write(
            f"{organization.pk}\t{level}\t{scope_id}\t{person}\t{kinds_mask}\t{channels_mask}\t{first_day}\t"
            f"{district}\t{age}\t{gender}\n"
        )
    daily = io.StringIO()
    for (space_id, component_id, day, kind, channel, stripe), number in counts.items():
        daily.write(f"{organization.pk}\t{space_id}\t{component_id}\t{day}\t{kind}\t{channel}\t{stripe}\t{number}\n")
    with _cursor() as cursor:
        _copy(
            cursor,
            'statistics_participant (organization_id, "level", scope_id, person_id, kinds, channels, first_day, '
            "district_id, age_bracket, gender)",
            rows,
        )
        _copy(
            cursor,
            'statistics_dailycount (organization_id, space_id, component_id, "day", kind, channel, stripe, "count")',
            daily,
        )
        cursor.execute("ANALYZE statistics_participant")
        cursor.execute("ANALYZE statistics_dailycount")
        cursor.execute("ANALYZE accounts_membership")
    print(f"participant rows: {len(participants)}, daily count rows: {len(counts)}")


def time_record(organization, components, profiles, number: int) -> list[float]:
    from django.db import transaction

    from agora.accounts.models import User
    from agora.statistics import api as statistics

    generator = random.Random(3)
    people = list(User.objects.filter(pk__in=random.Random(4).sample(list(profiles), min(200, len(profiles)))))
    times = []
    for _n in range(number):
        component = components[generator.randrange(len(components))]
        kind = KINDS_OF[component.manifest_name][0][0]
        person = generator.choice(people)
        started = time.perf_counter()
        with transaction.atomic():
            statistics.record(kind=kind, component=component, person=person, district_id=profiles[person.pk][0] or None)
        times.append((time.perf_counter() - started) * 1000)
    return times


def dashboards(components) -> list[tuple[str, str]]:
    from django.urls import reverse

    spaces = sorted({component.space_id for component in components})
    urls = [
        ("organization", reverse("statistics_admin:organization")),
        ("organization per day", reverse("statistics_admin:organization") + "?by=day"),
        ("organization CSV", reverse("statistics_admin:organization_export")),
        ("home page (public figures)", "/"),
    ]
    for space_id in spaces:
        urls.append((f"space {space_id}", reverse("statistics_admin:space", args=[space_id])))
        urls.append((f"space {space_id} CSV", reverse("statistics_admin:space_export", args=[space_id])))
        url = reverse("statistics_admin:representativeness", args=[space_id])
        urls.append((f"representativeness {space_id}", url))
        for channel in ("online", "desk", "paper"):
            urls.append((f"representativeness {space_id} {channel}", f"{url}?channel={channel}"))
    for component in components:
        urls.append(
            (
                f"component {component.pk} ({component.manifest_name})",
                reverse("statistics_admin:component", args=[component.space_id, component.pk]),
            )
        )
    return urls


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--small", action="store_true", help="2,000 participants, 40,000 actions, 5 repeats")
    args = parser.parse_args()
    if args.small:
        args.participants, args.actions, args.repeat = 2_000, 40_000, 5

    stop_cluster, url = None, os.environ.get("DATABASE_URL", "")
    if not url:
        url, stop_cluster = _throwaway_cluster()
        os.environ["DATABASE_URL"] = url
    elif not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database this script may drop and re-create.")
    try:
        _reset_database(url)
        os.environ.update(
            {
                "AGORA_ALLOWED_HOSTS": "testserver",
                "AGORA_DEBUG": "false",
                "AGORA_SIMPLE_STATIC": "true",
                "DJANGO_SETTINGS_MODULE": "agora.settings",
                "AGORA_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            }
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        from agora.core.models import HomeBlock
        from agora.statistics.models import StatisticsSettings

        settings.ALLOWED_HOSTS = ["*"]
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)

        started = time.perf_counter()
        organization, admin, components, profiles = build(args.participants)
        print(f"built: {args.participants} participants in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        fill(organization, components, profiles, args.actions)
        print(f"filled: {args.actions} actions in {time.perf_counter() - started:.1f} s")
        StatisticsSettings.objects.create(organization=organization, public_figures=True)
        HomeBlock.objects.create(organization=organization, kind="statistics.participation", position=1)

        times = time_record(organization, components, profiles, 2000)
        print(f"record(): p50 {percentile(times, 0.5):.2f} ms, p95 {percentile(times, 0.95):.2f} ms")

        client = Client(HTTP_HOST="testserver", HTTP_USER_AGENT="bench")
        client.force_login(admin)
        worst = 0.0
        for name, url in dashboards(components):
            durations = []
            for _n in range(args.repeat):
                if url == "/":
                    client.logout()
                began = time.perf_counter()
                response = client.get(url)
                durations.append((time.perf_counter() - began) * 1000)
                if url == "/":
                    client.force_login(admin)
                if response.status_code != 200:
                    sys.exit(f"{name}: HTTP {response.status_code}")
            p95 = percentile(durations, 0.95)
            worst = max(worst, p95)
            print(f"{name:<45} p50 {percentile(durations, 0.5):7.1f} ms   p95 {p95:7.1f} ms")
        print(f"RESULT participants={args.participants} actions={args.actions} dashboard_p95_ms={worst:.1f}")
    finally:
        if stop_cluster:
            stop_cluster()


if __name__ == "__main__":
    main()
