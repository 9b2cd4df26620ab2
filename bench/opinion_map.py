"""Opinion map at scale (issue 23): one recomputation of the groups on a large
conversation, then votes over HTTP from concurrent voters (gunicorn + PostgreSQL).

    .venv/bin/python bench/opinion_map.py                      # 10,000 x 2,000, 1,000,000 votes, 32 voters
    .venv/bin/python bench/opinion_map.py --small              # a quick check (about a minute)
    .venv/bin/python bench/opinion_map.py --participants 10000 --statements 2000 --votes 1000000 --clients 32

With DATABASE_URL=postgres://... that database is dropped and re-created (never point
it at real data); without it a throw-away PostgreSQL cluster is started in a temporary
directory (bench/_http_load.py) and removed at the end.

1. The conversation is written straight into the database (COPY): participants in
   three camps voting on random statements, agree/disagree/pass by their camp.
2. One recomputation (agora.components.opinions.computing.compute, one update as the
   worker runs it: matrix from the database, PCA, clusters, repness, stored result)
   runs in a child process, which reports its time and its peak memory (RSS).
3. Voters with sessions POST votes to the voting page through gunicorn, `--clients` at
   a time (the no-JavaScript form: success is the redirect); the background task is
   queued in the database (django-tasks-db), as in production, never run in a request.

Last line: RESULT participants=<n> statements=<n> votes=<n> recompute_s=<n> rss_mb=<n> votes_per_s=<n> p95_ms=<n>
Targets: recompute < 15 s and < 1 GB; >= 200 votes/s and p95 < 200 ms with 32 voters."""

import argparse
import io
import json
import os
import random
import resource
import string
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _http_load import HOST, database, form_headers, gunicorn, load, percentile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 8


def build(participants: int, statements: int, votes: int, voters: int):
    """The conversation (COPY for the votes) and the voters with their sessions."""
    import datetime

    import numpy as np
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.utils import timezone

    from agora.accounts.models import Membership, User
    from agora.components.models import Component
    from agora.components.opinions.models import Conversation, Participant, Statement
    from agora.core.models import Organization, TermsVersion
    from agora.spaces.models import Phase, Space

    organization = Organization.objects.create(name="Bench", host=HOST, available_languages=["fr", "en"])
    TermsVersion.objects.create(organization=organization, version=1, body={"fr": "ok"})
    space = Space.objects.create(
        organization=organization, kind="process", slug="carte", title={"fr": "Carte"}, published_at=timezone.now()
    )
    phase = Phase.objects.create(space=space, title={"fr": "Votes"}, is_active=True)
    component = Component.objects.create(
        space=space,
        manifest_name="opinions",
        name={"fr": "Carte d'opinions"},
        published_at=timezone.now(),
        phase_settings={str(phase.pk): {"votes_enabled": True}},
    )
    conversation = Conversation.objects.create(component=component, question={"fr": "Quelle place pour la voiture ?"})
    made = Statement.objects.bulk_create(
        [
            Statement(conversation=conversation, text=f"Proposition {n}", seed=True, language="fr")
            for n in range(statements)
        ],
        batch_size=1000,
    )
    people = Participant.objects.bulk_create(
        [Participant(conversation=conversation, number=n + 1) for n in range(participants)], batch_size=2000
    )
    rng = np.random.default_rng(23)
    camps = rng.integers(0, 3, participants)
    views = rng.choice([-1, 1], size=(3, statements))
    # `votes` distinct (participant, statement) pairs, drawn without repeats
    cells = rng.choice(participants * statements, size=min(votes, participants * statements), replace=False)
    rows, cols = cells // statements, cells % statements
    roll = rng.random(len(cells))
    values = np.where(roll < 0.8, views[camps[rows], cols], np.where(roll < 0.92, -views[camps[rows], cols], 0))
    participant_ids = np.array([p.pk for p in people])
    statement_ids = np.array([s.pk for s in made])
    now = timezone.now().isoformat()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            "COPY opinions_vote (participant_id, statement_id, value, created_at, updated_at) FROM STDIN"
        ) as copy:
            for start in range(0, len(cells), 100_000):
                chunk = io.StringIO()
                for p, s, v in zip(
                    participant_ids[rows[start : start + 100_000]],
                    statement_ids[cols[start : start + 100_000]],
                    values[start : start + 100_000],
                ):
                    chunk.write(f"{p}\t{s}\t{v}\t{now}\t{now}\n")
                copy.write(chunk.getvalue())
        cursor.execute("ANALYZE opinions_vote")
    # voters (accounts with a session each), who join the conversation with their first vote
    users = User.objects.bulk_create(
        [
            User(email=f"voter{n}@example.org", nickname=f"voter{n}", name=f"Votant {n}", password="!")
            for n in range(voters)
        ],
        batch_size=1000,
    )
    stamp = timezone.now()
    Membership.objects.bulk_create(
        [
            Membership(user=u, organization=organization, accepted_terms_version=1, accepted_terms_at=stamp)
            for u in users
        ]
    )
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
    backend = settings.AUTHENTICATION_BACKENDS[0]
    sessions, rows_ = [], []
    for user in users:
        store = SessionStore()
        key = store._get_new_session_key()  # type: ignore[attr-defined]
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: user.get_session_auth_hash()}
        rows_.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=stamp + datetime.timedelta(days=1))
        )
        sessions.append(key)
    Session.objects.bulk_create(rows_)
    return component, conversation, [int(pk) for pk in statement_ids], sessions


def recompute_child(conversation_id: int) -> None:
    """In its own process: one update, its time and the process' peak RSS (JSON on stdout)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from agora.components.opinions import computing
    from agora.components.opinions.models import Conversation

    conversation = Conversation.objects.get(pk=conversation_id)
    started = time.perf_counter()
    result = computing.compute(conversation, replay=False)
    seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss_mb, "k": result.data.get("k"), "analysis_s": result.seconds}))


def votes_to_cast(path, statement_ids, sessions, per_voter, session_cookie):
    """Each voter POSTs `per_voter` votes on distinct statements, in a shuffled order
    (built before the clock starts); success is the redirect to the next statement."""
    alphabet = string.ascii_letters + string.digits
    rng = random.Random(23)
    todo = []
    for session in sessions:
        csrf = "".join(rng.choice(alphabet) for _ in range(32))
        headers = form_headers(session_cookie, session, csrf)
        for statement in rng.sample(statement_ids, per_voter):
            body = urlencode(
                [("csrfmiddlewaretoken", csrf), ("statement", statement), ("value", rng.choice(("1", "-1", "0")))]
            )
            todo.append(("POST", path, body.encode(), headers))
    rng.shuffle(todo)
    todo.reverse()  # sent from the end of the shuffled list, as before
    return todo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=2_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--voters", type=int, default=320, help="accounts voting over HTTP")
    parser.add_argument("--per-voter", type=int, default=20, help="votes each of them casts")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--small", action="store_true", help="1,000 x 200, 50,000 votes, 8 clients, 40 voters")
    parser.add_argument("--recompute-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.recompute_child:
        recompute_child(args.recompute_child)
        return
    if args.small:
        args.participants, args.statements, args.votes = 1_000, 200, 50_000
        args.clients, args.voters, args.per_voter = 8, 40, 10

    # As in production: the analysis is queued for the worker, never run in a request.
    with database("opinion-map"):
        from django.conf import settings
        from django.db import connections

        started = time.perf_counter()
        component, conversation, statement_ids, sessions = build(
            args.participants, args.statements, args.votes, args.voters
        )
        print(
            f"Built {args.participants} participants, {args.statements} statements, {args.votes} votes and "
            f"{args.voters} voters with sessions in {time.perf_counter() - started:.1f} s"
        )
        connections.close_all()
        child = subprocess.run(
            [sys.executable, __file__, "--recompute-child", str(conversation.pk)],
            cwd=ROOT,
            env=os.environ.copy(),
            capture_output=True,
            text=True,
            check=True,
        )
        recompute = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"One recomputation: {recompute['seconds']:.2f} s (analysis {recompute['analysis_s']:.2f} s), "
            f"peak RSS {recompute['rss_mb']:.0f} MB, {recompute['k']} groups"
        )
        requests = votes_to_cast(
            component.get_absolute_url() + "vote/",
            statement_ids,
            sessions,
            args.per_voter,
            settings.SESSION_COOKIE_NAME,
        )
        with gunicorn(workers=args.workers, probe=component.get_absolute_url()) as server:
            outcome = load(requests, clients=args.clients, port=server.port)
        timings, errors, statuses, seconds = outcome.timings, outcome.errors, outcome.statuses, outcome.seconds
        from agora.components.opinions.models import Vote

        stored = Vote.objects.filter(participant__user__isnull=False).count()
    rate = len(timings) / seconds if seconds else 0.0
    p50, p95 = percentile(timings, 0.5) * 1000, percentile(timings, 0.95) * 1000
    print(
        f"{args.voters} voters x {args.per_voter} votes, {args.clients} concurrent clients, gunicorn "
        f"{args.workers} workers, {seconds:.1f} s; statuses {statuses}; stored votes {stored}"
    )
    print(f"  {rate:.1f} votes/s   p50 {p50:.1f} ms   p95 {p95:.1f} ms   errors {errors}")
    print("Targets: recompute < 15 s and < 1 GB; >= 200 votes/s and p95 < 200 ms.")
    print(
        f"RESULT participants={args.participants} statements={args.statements} votes={args.votes} "
        f"recompute_s={recompute['seconds']:.2f} rss_mb={recompute['rss_mb']:.0f} votes_per_s={rate:.1f} "
        f"p95_ms={p95:.1f}"
    )


if __name__ == "__main__":
    main()
