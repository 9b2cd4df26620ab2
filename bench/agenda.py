"""The agenda and the registrations under load, against the real stack
(gunicorn + PostgreSQL on loopback).

    .venv/bin/python bench/agenda.py            # 5,000 meetings over 50 spaces, 100,000 registrations,
                                                # then 2,000 people registering for 100 meetings, 32 clients
    .venv/bin/python bench/agenda.py --small    # a quick check (a few hundred meetings)

With DATABASE_URL=postgres://... that database is dropped and re-created
(never point it at real data); without it a throw-away PostgreSQL cluster is
started in a temporary directory (as bench/vote_storm.py does).

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
import http.client
import multiprocessing
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from vote_storm import HOST, _free_port, _reset_database, _throwaway_cluster, percentile  # noqa: E402

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


def timed_gets(port: int, paths: list[str]) -> tuple[list[float], int]:
    timings, errors = [], 0
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    for path in paths:
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Host": HOST})
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=60)
            continue
        if response.status == 200:
            timings.append(time.perf_counter() - started)
        else:
            errors += 1
    connection.close()
    return timings, errors


def storm(paths, sessions, clients, port, session_cookie, queue):
    """Second process: each person POSTs the registration of one target meeting."""
    timings, errors, statuses = [], [0], {}
    lock = threading.Lock()
    rng = random.Random(2026)
    alphabet = string.ascii_letters + string.digits
    targets = list(paths.values())
    todo = []
    for n, session in enumerate(sessions):
        csrf = "".join(rng.choice(alphabet) for _ in range(32))
        body = urlencode([("csrfmiddlewaretoken", csrf), ("accepted_terms", "on")]).encode()
        headers = {
            "Host": HOST,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{session_cookie}={session}; csrftoken={csrf}",
        }
        todo.append((targets[n % len(targets)], body, headers))
    rng.shuffle(todo)

    def client():
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        mine = []
        while True:
            with lock:
                if not todo:
                    break
                path, body, headers = todo.pop()
            started = time.perf_counter()
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
                continue
            mine.append((response.status, time.perf_counter() - started))
        connection.close()
        with lock:
            for status, elapsed in mine:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 302:
                    timings.append(elapsed)
                else:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((timings, errors[0], statuses, time.perf_counter() - started))


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
    requests = args.requests or (90 if args.small else 300)

    stop_cluster = None
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        url, stop_cluster = _throwaway_cluster()
        os.environ["DATABASE_URL"] = url
        print(f"Throw-away PostgreSQL cluster at {urlparse(url).netloc}")
    elif not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database this script may drop and re-create.")
    static_root = tempfile.mkdtemp(prefix="agora-agenda-static-")
    server = None
    problems: list[str] = []
    try:
        _reset_database(url)
        os.environ.update(
            {
                "AGORA_STATIC_ROOT": static_root,
                "AGORA_ALLOWED_HOSTS": HOST,
                "AGORA_DEBUG": "false",
                "AGORA_SIMPLE_STATIC": "true",
                "DJANGO_SETTINGS_MODULE": "agora.settings",
                "AGORA_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                # As in production: the confirmation e-mails wait in the database for the worker.
                "AGORA_TASK_BACKEND": "django_tasks_db.backend.DatabaseBackend",
            }
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        started = time.perf_counter()
        world = build(**size)
        print(f"Built {size} in {time.perf_counter() - started:.1f} s")
        connections.close_all()
        port = _free_port()
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "agora.wsgi:application",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
                "--backlog",
                "256",
                "--preload",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
        )
        for _ in range(150):
            try:
                probe = http.client.HTTPConnection(HOST, port, timeout=2)
                probe.request("GET", "/agenda/", headers={"Host": HOST})
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        pages, feeds = agenda_queries(world, requests)
        timed_gets(port, pages[:10] + feeds[:5])  # warm the workers
        agenda_timings, agenda_errors = timed_gets(port, pages)
        ics_timings, ics_errors = timed_gets(port, feeds)
        queue: multiprocessing.Queue = multiprocessing.Queue()
        runner = multiprocessing.Process(
            target=storm,
            args=(world["register_paths"], world["sessions"], args.clients, port, settings.SESSION_COOKIE_NAME, queue),
        )
        runner.start()
        timings, register_errors, statuses, seconds = queue.get()
        runner.join()
        problems = integrity(world["targets"])
        connections.close_all()
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        shutil.rmtree(static_root, ignore_errors=True)
        if stop_cluster is not None:
            stop_cluster()

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
