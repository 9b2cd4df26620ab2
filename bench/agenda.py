"""The agenda and the registrations under load, against the real stack
(gunicorn + PostgreSQL on loopback).

    .venv/bin/python bench/agenda.py            # 5,000 meetings over 50 spaces, 100,000 registrations,
                                                # then 2,000 people registering for 100 meetings, 32 clients
    .venv/bin/python bench/agenda.py --small    # a quick check (a few hundred meetings)

With DATABASE_URL=postgres://... that database is dropped and re-created
(never point it at real data); without it a throw-away PostgreSQL cluster is
started in a temporary directory (bench/_http_load.py).

1. The global agenda: GET /agenda/ with filters (upcoming, past, type, space,
   category, district, date range), pages, the month view, and /agenda.ics
   with filters, one request at a time: p95 of each.
2. Registrations: the people POST the registration form of one of the target
   meetings (their places are fewer than the people who want them), 32 at a
   time; a registration counts on the redirect that follows it.
3. Integrity: for every target meeting, the confirmed rows equal the counter
   and never exceed the places offered, the waiting rows equal theirs, and the
   waiting list is in the order of registration (every confirmed registration
   was taken before every waiting one).

Last line: RESULT agenda_p95_ms=<n> ics_p95_ms=<n> register_per_s=<n> register_p95_ms=<n> errors=<n> integrity=<ok|failed>
Targets: agenda and ics p95 < 200 ms; >= 100 registrations/s, p95 < 300 ms."""

import argparse
import datetime
import os
import random
import string
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _http_load import HOST, CpuMeter, database, form_headers, gunicorn, load, percentile, timed_gets  # noqa: E402

SIZES = {
    "full": {"meetings": 5000, "spaces": 50, "registrations": 100_000, "people": 2000, "targets": 100},
    "small": {"meetings": 300, "spaces": 5, "registrations": 3000, "people": 200, "targets": 10},
}


def build(meetings: int, spaces: int, registrations: int, people: int, targets: int):
    """The organization, its spaces with a meetings component each, the meetings
    over two years around today, the registrations (bulk, with their counters),
    the people of the storm with their sessions, and the target meetings."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from agora.accounts.models import Membership, User
    from agora.components.meetings.models import Meeting, Registration, new_code
    from agora.components.models import Component
    from agora.core.models import Organization, TermsVersion
    from agora.spaces.models import Space
    from agora.taxonomy.models import Category, Scope

    rng = random.Random(2026)
    now = timezone.now()
    organization = Organization.objects.create(name="Bench", host=HOST, available_languages=["fr", "en"])
    TermsVersion.objects.create(organization=organization, version=1, body={"fr": "ok"})
    categories = [Category.objects.create(organization=organization, name={"fr": f"Thème {n}"}) for n in range(8)]
    scopes = [
        Scope.objects.create(organization=organization, name={"fr": f"Quartier {n}"}, code=f"Q{n}") for n in range(10)
    ]
    space_rows = Space.objects.bulk_create(
        [
            Space(
                organization=organization,
                kind="process",
                slug=f"espace-{n}",
                title={"fr": f"Espace {n}"},
                published_at=now,
            )
            for n in range(spaces)
        ]
    )
    components = Component.objects.bulk_create(
        [
            Component(space=space, manifest_name="meetings", name={"fr": "Réunions"}, published_at=now, settings={})
            for space in space_rows
        ]
    )
    kinds = ["in_person", "in_person", "online", "hybrid"]
    rows = []
    for n in range(meetings):
        starts = now + datetime.timedelta(hours=rng.randint(-365 * 24, 365 * 24))
        kind = kinds[n % 4]
        rows.append(
            Meeting(
                component=components[n % spaces],
                title={"fr": f"Réunion {n}", "en": f"Meeting {n}"},
                description={"fr": f"<p>Réunion publique numéro {n}.</p>"},
                kind=kind,
                address="" if kind == "online" else f"{n} rue de la Loire",
                latitude=None if kind == "online" else 47.9 + rng.random() / 50,
                longitude=None if kind == "online" else 1.9 + rng.random() / 50,
                online_url="https://visio.example/x" if kind != "in_person" else "",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                category=categories[n % len(categories)],
                scope=scopes[n % len(scopes)],
                registration_type="agora",
                places=None,
                published_at=now,
                cancelled_at=now if n % 50 == 0 else None,
            )
        )
    made = Meeting.objects.bulk_create(rows, batch_size=2000)
    # The storm's targets: upcoming, a place for three people out of four who want one.
    per_target = max(1, people // targets)
    target_ids = []
    for meeting in made[:targets]:
        meeting.starts_at = now + datetime.timedelta(days=30)
        meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=2)
        meeting.places, meeting.cancelled_at = max(1, per_target * 3 // 4), None
        target_ids.append(meeting.pk)
    Meeting.objects.bulk_update(made[:targets], ["starts_at", "ends_at", "places", "cancelled_at"])
    # Registrations of other people, for the other meetings (the counters set with them).
    others = User.objects.bulk_create(
        [
            User(email=f"past{n}@example.org", nickname=f"past{n}", password="!")
            for n in range(max(1, registrations // 20))
        ],
        batch_size=2000,
    )
    counts: dict[int, int] = {}
    batch = []
    rest = made[targets:] or made
    for n in range(registrations):
        meeting = rest[n % len(rest)]
        person = others[(n // len(rest)) % len(others)]
        counts[meeting.pk] = counts.get(meeting.pk, 0) + 1
        batch.append(Registration(meeting=meeting, user=person, code=new_code(), status="confirmed"))
        if len(batch) == 5000:
            Registration.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Registration.objects.bulk_create(batch, ignore_conflicts=True)
    from django.db.models import Count

    actual = dict(Registration.objects.values("meeting_id").annotate(n=Count("id")).values_list("meeting_id", "n"))
    for meeting in rest:
        meeting.registered_count = actual.get(meeting.pk, 0)
    Meeting.objects.bulk_update(rest, ["registered_count"], batch_size=2000)
    # The people of the storm, members with a confirmed e-mail, each with a session.
    storm_people = User.objects.bulk_create(
        [
            User(email=f"person{n}@example.org", nickname=f"person{n}", name=f"Personne {n}", password="!")
            for n in range(people)
        ],
        batch_size=2000,
    )
    everybody = [*others, *storm_people]
    Membership.objects.bulk_create(
        [
            Membership(user=u, organization=organization, accepted_terms_version=1, accepted_terms_at=now)
            for u in everybody
        ],
        batch_size=2000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in storm_people], batch_size=2000
    )
    backend = settings.AUTHENTICATION_BACKENDS[0]
    sessions, session_rows = [], []
    for user in storm_people:
        store = SessionStore()
        key = store._get_new_session_key()  # type: ignore[attr-defined]  # the db backend's, as Django's own login
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: user.get_session_auth_hash()}
        session_rows.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=now + datetime.timedelta(days=1))
        )
        sessions.append(key)
    Session.objects.bulk_create(session_rows, batch_size=2000)
    paths = {
        m.pk: m.get_absolute_url() + "register/"
        for m in Meeting.objects.filter(pk__in=target_ids).select_related("component__space")
    }
    return {
        "spaces": [s.pk for s in space_rows],
        "categories": [c.pk for c in categories],
        "scopes": [s.pk for s in scopes],
        "targets": target_ids,
        "register_paths": paths,
        "sessions": sessions,
    }


def agenda_queries(world, count: int) -> tuple[list[str], list[str]]:
    """The agenda pages and feeds asked, with every kind of filter and pages far in."""
    rng = random.Random(7)
    today = datetime.date.today()
    pages, feeds = [], []
    for n in range(count):
        choice = n % 9
        params: dict[str, str] = {}
        if choice == 0:
            params = {}
        elif choice == 1:
            params = {"when": "past", "page": str(rng.randint(1, 60))}
        elif choice == 2:
            params = {"kind": rng.choice(["in_person", "online", "hybrid"]), "page": str(rng.randint(1, 20))}
        elif choice == 3:
            params = {"space": str(rng.choice(world["spaces"]))}
        elif choice == 4:
            params = {"category": str(rng.choice(world["categories"])), "page": str(rng.randint(1, 10))}
        elif choice == 5:
            params = {"scope": str(rng.choice(world["scopes"])), "when": "all"}
        elif choice == 6:
            start = today + datetime.timedelta(days=rng.randint(-300, 300))
            params = {"start": start.isoformat(), "end": (start + datetime.timedelta(days=30)).isoformat()}
        elif choice == 7:
            month = today + datetime.timedelta(days=rng.randint(-300, 300))
            params = {"view": "month", "month": month.strftime("%Y-%m")}
        else:
            params = {"view": "map", "kind": "in_person", "space": str(rng.choice(world["spaces"]))}
        pages.append("/agenda/" + ("?" + urlencode(params) if params else ""))
        feed = {k: v for k, v in params.items() if k not in ("view", "month", "page")}
        feeds.append("/agenda.ics" + ("?" + urlencode(feed) if feed else ""))
    return pages, feeds


def registrations(paths, sessions, session_cookie):
    """Each person POSTs the registration of one target meeting (built before the clock starts)."""
    rng = random.Random(2026)
    alphabet = string.ascii_letters + string.digits
    targets = list(paths.values())
    todo = []
    for n, session in enumerate(sessions):
        csrf = "".join(rng.choice(alphabet) for _ in range(32))
        body = urlencode([("csrfmiddlewaretoken", csrf), ("accepted_terms", "on")]).encode()
        todo.append(("POST", targets[n % len(targets)], body, form_headers(session_cookie, session, csrf)))
    rng.shuffle(todo)
    todo.reverse()  # sent from the end of the shuffled list, as before
    return todo


def integrity(target_ids) -> list[str]:
    from django.db.models import Max, Min

    from agora.components.meetings.models import Meeting, Registration

    problems = []
    for meeting in Meeting.objects.filter(pk__in=target_ids):
        rows = Registration.objects.filter(meeting=meeting)
        confirmed = rows.filter(status="confirmed")
        waiting = rows.filter(status="waiting")
        if confirmed.count() != meeting.registered_count or waiting.count() != meeting.waiting_count:
            problems.append(f"meeting {meeting.pk}: counters differ from the rows")
        if meeting.public_places is not None and confirmed.count() > meeting.public_places:
            problems.append(f"meeting {meeting.pk}: {confirmed.count()} places given out of {meeting.public_places}")
        last_confirmed = confirmed.aggregate(at=Max("created_at"))["at"]
        first_waiting = waiting.aggregate(at=Min("created_at"))["at"]
        if last_confirmed and first_waiting and first_waiting < last_confirmed:
            problems.append(f"meeting {meeting.pk}: a waiting registration came before a confirmed one")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="a quick check: " + repr(SIZES["small"]))
    for name, value in SIZES["full"].items():
        parser.add_argument(f"--{name}", type=int, default=None, help=f"default {value}")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--requests", type=int, default=None, help="agenda pages and feeds asked (default 300; 90 small)"
    )
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    size = dict(SIZES["small" if args.small else "full"])
    for name in size:
        if getattr(args, name) is not None:
            size[name] = getattr(args, name)
    requests_count = args.requests or (90 if args.small else 300)

    # As in production: the confirmation e-mails wait in the database for the worker.
    with database("agenda") as db:
        from django.conf import settings

        started = time.perf_counter()
        world = build(**size)
        print(f"Built {size} in {time.perf_counter() - started:.1f} s")
        requests = registrations(world["register_paths"], world["sessions"], settings.SESSION_COOKIE_NAME)
        with gunicorn(workers=args.workers, probe="/agenda/") as server:
            pages, feeds = agenda_queries(world, requests_count)
            timed_gets(server.port, pages[:10] + feeds[:5])  # warm the workers
            agenda_timings, agenda_errors = timed_gets(server.port, pages)
            ics_timings, ics_errors = timed_gets(server.port, feeds)
            meter = CpuMeter(server, db.name)
            outcome = load(requests, clients=args.clients, port=server.port)
            server_cpu, database_cpu = meter.spent()
        timings, register_errors, statuses, seconds = outcome.timings, outcome.errors, outcome.statuses, outcome.seconds
        problems = integrity(world["targets"])

    errors = agenda_errors + ics_errors + register_errors
    agenda_p95 = percentile(agenda_timings, 0.95) * 1000
    ics_p95 = percentile(ics_timings, 0.95) * 1000
    rate = len(timings) / seconds if seconds else 0.0
    register_p95 = percentile(timings, 0.95) * 1000
    print(
        f"\nAgenda: {len(agenda_timings)} pages, p50 {percentile(agenda_timings, 0.5) * 1000:.1f} ms, p95 {agenda_p95:.1f} ms, errors {agenda_errors}"
    )
    print(
        f"agenda.ics: {len(ics_timings)} feeds, p50 {percentile(ics_timings, 0.5) * 1000:.1f} ms, p95 {ics_p95:.1f} ms, errors {ics_errors}"
    )
    print(
        f"Registrations: {len(timings)} in {seconds:.1f} s, {rate:.1f}/s, p50 {percentile(timings, 0.5) * 1000:.1f} ms, "
        f"p95 {register_p95:.1f} ms, {args.clients} clients, statuses {statuses}, errors {register_errors}"
    )
    if timings:
        per = 1000 * (server_cpu + database_cpu + outcome.client_cpu) / len(timings)
        print(
            f"  CPU per registration: gunicorn {1000 * server_cpu / len(timings):.1f} ms, PostgreSQL backends "
            f"{1000 * database_cpu / len(timings):.1f} ms, load generator {1000 * outcome.client_cpu / len(timings):.1f} ms"
            f" = {per:.1f} ms: {os.cpu_count()} idle cores would give about "
            f"{1000 * (os.cpu_count() or 1) / per:.0f} registrations/s (this machine is shared: see the load)"
        )
    print(
        "Integrity: "
        + (
            "ok (places never exceeded, counters = rows, waiting lists in order)"
            if not problems
            else "FAILED: " + "; ".join(problems[:10])
        )
    )
    print(f"Load average {' '.join(f'{n:.2f}' for n in os.getloadavg())} (the machine is shared)")
    print("Targets: agenda and ics p95 < 200 ms; >= 100 registrations/s, p95 < 300 ms; 0 errors; integrity ok.")
    print(
        f"RESULT agenda_p95_ms={agenda_p95:.1f} ics_p95_ms={ics_p95:.1f} register_per_s={rate:.1f} "
        f"register_p95_ms={register_p95:.1f} errors={errors} integrity={'ok' if not problems else 'failed'}"
    )


if __name__ == "__main__":
    main()
