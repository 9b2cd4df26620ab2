"""The ideas' list and an idea page with 10,000 ideas in one component and
50,000 supports, served by gunicorn against PostgreSQL, loaded from a
second process over loopback, for anonymous visitors and then for logged-in
participants.

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/agora_bench_proposals \\
        .venv/bin/python bench/proposals_list.py [--seconds 20] [--threads 8] [--workers 8] [--participants 200]

A smoke run on a tiny data set: --ideas 200 --supporters 30 --supports-each 5 --participants 10 --seconds 2.

The database named in DATABASE_URL is dropped and re-created (never point
it at real data); with --reuse, a database this script built before is
kept (migrations are applied) and the slow build is skipped. Static files
are collected with the production storage (hashed names, compressed).
Each client thread is a visitor with its own cookies: it first asks every
URL once (the "first visits", timed apart: anonymous visitors' pages are
then mostly not yet in the page cache), then the clients browse at random
for --seconds. Prints the load average of the machine, requests/s and
p50/p95 per kind of page and the number of SQL queries per page (must not
grow with the page size).

Logged-in participants (what everyone sees during a vote, never served from
the page cache): --participants people are made ready to take part as in a
vote (a confirmed e-mail, a verification that meets the eligibility rule of
supports, unread notifications, a followed process, supports given, a draft
idea) and each gets a session in the bench's database; each request of the
second run carries the session cookie of one of them, drawn at random. The
same figures are printed for that run, with its SQL queries per page.

Targets, for each run: >= 100 requests/s overall and p95 < 200 ms on a 2-core
machine; logged in, at most 15 SQL queries per page. The last line sums both:

    RESULT anonymous_req_s=<n> anonymous_p95_ms=<n> logged_in_req_s=<n> logged_in_p95_ms=<n>
           logged_in_max_queries=<n> logged_in_max_queries_cold=<n> errors=<n> targets=<met|missed>
    (one line; "cold": right after a change of settings, which reloads each process's memo)"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def _reset_database(url: str):
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    import psycopg

    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def build(ideas: int, supporters: int, supports_each: int):
    from django.utils import timezone

    from agora.accounts.models import Membership, User
    from agora.components.models import Component
    from agora.components.proposals.models import ParticipantQuota, Proposal, ProposalState, Support
    from agora.components.proposals.text import search_text
    from agora.core.models import Organization, TermsVersion
    from agora.spaces.models import Space
    from agora.taxonomy.models import Category

    organization = Organization.objects.create(
        name="Bench", host=HOST, available_languages=["fr", "en"], default_language="fr"
    )
    TermsVersion.objects.create(organization=organization, version=1, body={"fr": "ok"})
    space = Space.objects.create(
        organization=organization, kind="process", slug="bench", title={"fr": "Bench"}, published_at=timezone.now()
    )
    component = Component.objects.create(
        space=space,
        manifest_name="proposals",
        name={"fr": "Idées"},
        published_at=timezone.now(),
        settings={"per_page": 12},
    )
    categories = [
        Category.objects.create(organization=organization, name={"fr": name})
        for name in ("Sport", "Culture", "Loisirs", "Écologie", "Sécurité")
    ]
    states = [ProposalState.objects.create(component=component, token=t, name={"fr": t}) for t in ("retenu", "etude")]
    authors = User.objects.bulk_create(
        [User(email=f"bench{n}@example.org", nickname=f"bench{n}", name=f"Personne {n}") for n in range(supporters)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, organization=organization, accepted_terms_version=1, accepted_terms_at=timezone.now())
            for u in authors
        ]
    )
    words = (
        "vélo piste arbre banc école parc jeux lumière marché bibliothèque gare rue place jardin eau "
        "sport musique fête quartier sécurité trottoir cantine compost verger"
    ).split()
    rng = random.Random(1)
    now = timezone.now()
    batch = []
    for n in range(ideas):
        title = " ".join(rng.sample(words, 4)).capitalize() + f" n°{n}"
        body = " ".join(rng.choice(words) for _ in range(120))
        batch.append(
            Proposal(
                component=component,
                author=authors[n % len(authors)],
                title=title,
                body=body,
                category=categories[n % 5],
                status="withdrawn" if n % 50 == 0 else "published",
                published_at=now,
                published_state=states[n % 2] if n % 3 == 0 else None,
                search_text=search_text(title, body),
                latitude=47.5 + rng.random() / 50 if n % 4 == 0 else None,
                longitude=1.1 + rng.random() / 50 if n % 4 == 0 else None,
            )
        )
    proposals = Proposal.objects.bulk_create(batch, batch_size=2000)
    # 0 to 9 comments on each idea (about 45,000), so that "most commented" sorts real rows.
    from django.contrib.contenttypes.models import ContentType

    from agora.comments.models import Comment

    idea_type = ContentType.objects.get_for_model(Proposal)
    Comment.objects.bulk_create(
        [
            Comment(
                content_type=idea_type,
                object_id=proposal.pk,
                organization=organization,
                space=space,
                component=component,
                author=authors[(proposal.pk + k) % len(authors)],
                body="Bonne idée",
            )
            for proposal in proposals
            for k in range(rng.randint(0, 9))
        ],
        batch_size=5000,
    )
    supports: list = []
    counts: dict = {}
    for index, user in enumerate(authors):
        for proposal in rng.sample(proposals, supports_each):
            supports.append(Support(proposal=proposal, component=component, user=user))
            counts[proposal.pk] = counts.get(proposal.pk, 0) + 1
    Support.objects.bulk_create(supports, batch_size=5000)
    for proposal in proposals:
        proposal.supports_count = counts.get(proposal.pk, 0)
    Proposal.objects.bulk_update(proposals, ["supports_count"], batch_size=2000)
    ParticipantQuota.objects.bulk_create(
        [ParticipantQuota(component=component, user=u, supports_count=supports_each) for u in authors]
    )
    return component


def participants(component, count: int) -> list[str]:
    """Session keys of `count` participants of the bench (the first authors),
    each ready to take part as during a vote; what they need is created if a
    previous run did not (so --reuse works), and each run makes new sessions."""
    from importlib import import_module

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from agora.accounts.models import User
    from agora.components.proposals.models import Proposal
    from agora.follows.models import Follow
    from agora.notifications.models import Notification
    from agora.verifications.models import EligibilityRule, EnabledMethod, Verification

    organization, space = component.space.organization, component.space
    people = list(User.objects.filter(email__startswith="bench", email__endswith="@example.org").order_by("id")[:count])
    EnabledMethod.objects.get_or_create(organization=organization, method="census")
    EligibilityRule.objects.get_or_create(
        component=component, action="support", defaults={"methods": ["census"], "min_age": 16}
    )
    space_type = ContentType.objects.get_for_model(space)
    now = timezone.now()
    done = set(
        Verification.objects.filter(organization=organization, user__in=people).values_list("user_id", flat=True)
    )
    fresh = [person for person in people if person.pk not in done]
    EmailAddress.objects.bulk_create([EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in fresh])
    Verification.objects.bulk_create(
        [
            Verification(
                organization=organization,
                user=p,
                method="census",
                status=Verification.Status.ACTIVE,
                birth_date=timezone.localdate().replace(year=1980),
                postal_code="41000",
                decided_at=now,
            )
            for p in fresh
        ]
    )
    Follow.objects.bulk_create([Follow(user=p, content_type=space_type, object_id=space.pk) for p in fresh])
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=p,
                organization=organization,
                event="follows.new_follower",
                actor=people[0],
                read_at=None if n % 2 else now,
            )
            for p in fresh
            for n in range(4)
        ]
    )
    Proposal.objects.bulk_create(
        [
            Proposal(
                component=component,
                author=p,
                title=f"Brouillon de {p.nickname}",
                body="Une idée en cours.",
                status=Proposal.Status.DRAFT,
            )
            for p in fresh
        ]
    )
    engine = import_module(settings.SESSION_ENGINE)
    keys = []
    for person in people:
        session = engine.SessionStore()
        session[SESSION_KEY] = str(person.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = person.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def existing(ideas: int):
    """The component a previous run built, if the database holds it whole."""
    from agora.components.models import Component
    from agora.components.proposals.models import Proposal

    component = Component.objects.filter(
        manifest_name="proposals", space__slug="bench", space__organization__host=HOST
    ).first()
    if (
        component is None
        or Proposal.objects.filter(component=component).exclude(status=Proposal.Status.DRAFT).count() != ideas
    ):
        return None
    return component


def sample(component):
    """About 200 published ideas spread over the component, and its categories."""
    from agora.components.proposals.models import Proposal
    from agora.taxonomy.models import Category

    ids = list(
        Proposal.objects.filter(component=component, status="published").order_by("id").values_list("id", flat=True)
    )
    categories = list(Category.objects.filter(organization=component.space.organization_id).order_by("id"))
    return ids[:: max(1, len(ids) // 200)], categories


def count_queries(component, proposal_id, session_key):
    """(status, SQL queries) of each kind of page, anonymous (second visit:
    from the page cache when it can be) and logged in as the first bench
    participant (never from the page cache), with the memo warm (supports
    and comments leave it warm) and, for the logged-in pages, right after a
    change of settings (a component, a phase, a category: cold memo)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from agora.core import pagecache

    base = component.get_absolute_url()
    result = {}
    for who in ("anonymous", "logged in", "logged in, right after a change of settings"):
        client = Client(HTTP_HOST=HOST)
        if who != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        for label, path in (
            ("list", base),
            ("list page 40", base + "?page=40"),
            ("list text search", base + "?q=velo+arbre"),
            ("list most commented", base + "?order=most_commented"),
            ("idea page", f"{base}{proposal_id}/"),
        ):
            client.get(path)
            if who.endswith("settings"):
                pagecache.bump_version()
            with CaptureQueriesContext(connection) as queries:
                status = client.get(path).status_code
            result[f"{label}, {who}"] = (status, len(queries))
    return result


def load(urls_by_kind, seconds, threads, port, queue, first_pass=False, sessions=(), session_cookie="sessionid"):
    """Runs in a second process: `threads` keep-alive clients for `seconds`.

    With `first_pass`, each client (a visitor with its own cookies) first asks
    every URL once, timed apart ("first visits": the page cache is cold for
    them), then all clients start the timed run together. With `sessions`,
    each request carries the session cookie of one of these logged-in
    participants, drawn at random."""
    timings = {kind: [] for kind in urls_by_kind}
    first_timings = []
    errors = [0]
    kinds = list(urls_by_kind)
    ready = threading.Barrier(threads)
    window = {}

    def client(seed):
        rng = random.Random(seed)
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        cookies = {}  # a browser's jar: the session (stable random order) and the CSRF cookie

        def fetch(path):
            nonlocal connection
            if sessions:
                cookies[session_cookie] = rng.choice(sessions)
            cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": HOST, **({"Cookie": cookie} if cookie else {})})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
                for header, value in response.getheaders():
                    if header.lower() == "set-cookie":
                        name, _, rest = value.split(";", 1)[0].partition("=")
                        cookies[name.strip()] = rest
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                return None
            return time.perf_counter() - started

        if first_pass:
            every = [path for kind in kinds for path in urls_by_kind[kind]]
            rng.shuffle(every)
            for path in [every[0]] + every:  # the first visit gets the session (seed) cookie
                elapsed = fetch(path)
                if elapsed is not None:
                    first_timings.append(elapsed)
        if ready.wait() == 0:
            window["stop"] = time.monotonic() + seconds
        ready.wait()
        while time.monotonic() < window["stop"]:
            kind = kinds[rng.randrange(len(kinds))]
            elapsed = fetch(rng.choice(urls_by_kind[kind]))
            if elapsed is not None:
                timings[kind].append(elapsed)
        connection.close()

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((timings, errors[0], first_timings))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))] if ordered else 0.0


def _run(urls, args, *, first_pass=False, sessions=(), session_cookie="sessionid") -> dict:
    """A warm-up then the timed run, in a second process."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    warm = multiprocessing.Process(target=load, args=(urls, 3, 2, args.port, queue, False, sessions, session_cookie))
    warm.start()
    queue.get()
    warm.join()
    load_before = os.getloadavg()
    runner = multiprocessing.Process(
        target=load, args=(urls, args.seconds, args.threads, args.port, queue, first_pass, sessions, session_cookie)
    )
    runner.start()
    timings, errors, first_visits = queue.get()
    runner.join()
    return {"timings": timings, "errors": errors, "first_visits": first_visits, "load": (load_before, os.getloadavg())}


def _report(title, run, args) -> tuple[float, float]:
    """Prints a run's figures; returns (requests/s, p95 in ms) of all its pages."""
    timings, first_visits = run["timings"], run["first_visits"]
    print(
        f"\n{title}: {args.threads} client threads (second process), gunicorn {args.workers} sync workers, "
        f"{args.seconds} s, errors: {run['errors']}"
    )
    if first_visits:
        print(
            f"  first visits: each client asked every URL once before the timed run ({len(first_visits)} "
            f"requests, most of them not yet in the page cache): p50 {percentile(first_visits, 0.5) * 1000:.1f} ms, "
            f"p95 {percentile(first_visits, 0.95) * 1000:.1f} ms"
        )
    before, after = run["load"]
    print(
        f"  machine: {os.cpu_count()} CPUs, load average (1 min) {before[0]:.2f} before the run, "
        f"{after[0]:.2f} after (includes this benchmark; other processes share the CPUs)"
    )
    for kind, values in timings.items():
        print(
            f"  {kind:32} {len(values) / args.seconds:7.1f} req/s   p50 {percentile(values, 0.5) * 1000:6.1f} ms"
            f"   p95 {percentile(values, 0.95) * 1000:6.1f} ms"
        )
    every = [t for values in timings.values() for t in values]
    rate, p95 = len(every) / args.seconds, percentile(every, 0.95) * 1000
    print(f"  {'all pages':32} {rate:7.1f} req/s   p50 {percentile(every, 0.5) * 1000:6.1f} ms   p95 {p95:6.1f} ms")
    return rate, p95


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--supporters", type=int, default=1_000)
    parser.add_argument("--supports-each", type=int, default=50)
    parser.add_argument(
        "--participants", type=int, default=200, help="logged-in participants of the second run (at most --supporters)"
    )
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=8, help="gunicorn sync workers (docs/deployment.md)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of a previous run when it holds the same data"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database this script may drop and re-create.")
    if not args.reuse:
        _reset_database(url)
    static_root = tempfile.mkdtemp(prefix="agora-bench-static-")
    os.environ.update(
        {
            "AGORA_STATIC_ROOT": static_root,
            "AGORA_ALLOWED_HOSTS": HOST,
            "AGORA_DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "agora.settings",
        }
    )
    os.environ.pop("AGORA_SIMPLE_STATIC", None)  # the production storage (manifest of hashed names)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    component = existing(args.ideas) if args.reuse else None
    if component is None:
        if args.reuse:
            from django.db import connections

            connections.close_all()
            _reset_database(url)
            call_command("migrate", verbosity=0, interactive=False)
            call_command("createcachetable", verbosity=0)
        started = time.perf_counter()
        component = build(args.ideas, args.supporters, args.supports_each)
        print(
            f"Built {args.ideas} ideas and {args.supporters * args.supports_each} supports "
            f"in {time.perf_counter() - started:.1f} s"
        )
    else:
        print(f"Reusing the {args.ideas} ideas of a previous run")
    sessions = participants(component, args.participants)
    print(f"{len(sessions)} logged-in participants (sessions in the bench's database)")
    sample_ids, categories = sample(component)
    counts = count_queries(component, sample_ids[0], sessions[0])
    print("SQL queries per page:", json.dumps(counts, ensure_ascii=False))
    from django.db import connections

    connections.close_all()

    base = component.get_absolute_url()
    urls = {
        "list (default random order)": [base, f"{base}?page=2", f"{base}?page=40"],
        "list (filters and orders)": [
            f"{base}?order=recent&page=7",
            f"{base}?order=most_supported",
            f"{base}?order=most_commented&page=3",
            f"{base}?category={categories[1].pk}&order=recent",
            f"{base}?status=withdrawn",
            f"{base}?q=velo+arbre",
            f"{base}?state=none&page=5",
        ],
        "idea page": [f"{base}{pk}/" for pk in sample_ids],
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "agora.wsgi:application",
            "--bind",
            f"{HOST}:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "--preload",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        for _ in range(100):
            try:
                probe = http.client.HTTPConnection(HOST, args.port, timeout=2)
                probe.request("GET", base, headers={"Host": HOST})
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        anonymous = _run(urls, args, first_pass=True)
        logged_in = _run(urls, args, sessions=sessions, session_cookie=settings.SESSION_COOKIE_NAME)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(static_root, ignore_errors=True)
    anonymous_rate, anonymous_p95 = _report("Anonymous visitors (page cache)", anonymous, args)
    logged_in_rate, logged_in_p95 = _report(
        f"Logged-in participants ({len(sessions)}, never from the page cache)", logged_in, args
    )
    most = max(n for label, (_status, n) in counts.items() if label.endswith(", logged in"))
    cold = max(n for label, (_status, n) in counts.items() if label.endswith("change of settings"))
    print(f"  SQL queries per page, logged in: at most {most} (right after a change of settings, memo cold: {cold})")
    print("Targets: >= 100 req/s and p95 < 200 ms for each; logged in, <= 15 SQL queries per page.")
    errors = anonymous["errors"] + logged_in["errors"]
    met = (
        min(anonymous_rate, logged_in_rate) >= 100
        and max(anonymous_p95, logged_in_p95) < 200
        and most <= 15
        and not errors
    )
    print(
        f"RESULT anonymous_req_s={anonymous_rate:.1f} anonymous_p95_ms={anonymous_p95:.1f} "
        f"logged_in_req_s={logged_in_rate:.1f} logged_in_p95_ms={logged_in_p95:.1f} "
        f"logged_in_max_queries={most} logged_in_max_queries_cold={cold} errors={errors} "
        f"targets={'met' if met else 'missed'}"
    )


if __name__ == "__main__":
    main()
