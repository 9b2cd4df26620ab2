"""Signature storm: distinct verified residents sign ONE initiative over HTTP,
32 at a time, against the real stack (gunicorn + PostgreSQL on loopback): the
hot row of agora.components.initiatives (the initiative's count).

    .venv/bin/python bench/signatures.py [--signers 2000] [--clients 32] [--workers 8] [--small]

With DATABASE_URL=postgres://... that database is dropped and re-created
(never point it at real data); without it a throw-away PostgreSQL cluster is
started in a temporary directory (bench/vote_storm.py's) and removed at the end.

The signers are created directly in the database (confirmed e-mail, accepted
terms, an active "census" verification with a date of birth) with a session
each; the initiative's type asks for the census verification and an age of 16
on the day, so every signature goes through the eligibility checks. The first
tier's threshold is half the signers (it is reached in the middle of the
storm), the second is out of reach. Each client thread POSTs the sign form; a
signature counts as recorded on the redirect that follows success.

Prints signatures/s, p50/p95 latency, errors, and the integrity check: the
count = the signature rows = the signers acknowledged, the first tier reached
exactly once (one row, one log line), one confirmation e-mail per signature.
Last line: RESULT signatures_per_s=<n> p95_ms=<n> errors=<n> integrity=<ok|failed>
Target: >= 100 signatures/s, p95 < 300 ms, no error, integrity ok (2-core machine)."""

import argparse
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

from vote_storm import (
    HOST,
    THREADS,
    WORKERS,
    _children_of,
    _cpu_seconds,
    _free_port,
    _reset_database,
    _throwaway_cluster,
    percentile,
)

ROOT = Path(__file__).resolve().parent.parent


def build(signers: int):
    """Organization, an assembly with an initiatives component, a type with two
    tiers, one initiative admitted (collecting), the signers and their sessions."""
    import datetime

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from agora.accounts.models import Membership, User
    from agora.components.initiatives import services
    from agora.components.initiatives.models import Initiative, InitiativeType, Tier
    from agora.components.models import Component
    from agora.core.models import Organization, TermsVersion
    from agora.spaces.models import Phase, Role, Space
    from agora.verifications.models import Verification

    organization = Organization.objects.create(name="Bench", host=HOST, available_languages=["fr", "en"])
    TermsVersion.objects.create(organization=organization, version=1, body={"fr": "ok"})
    space = Space.objects.create(
        organization=organization,
        kind="assembly",
        slug="interpellation",
        title={"fr": "Interpellation"},
        published_at=timezone.now(),
    )
    phase = Phase.objects.create(space=space, title={"fr": "Collecte"}, is_active=True)
    component = Component.objects.create(
        space=space,
        manifest_name="initiatives",
        name={"fr": "Initiatives"},
        published_at=timezone.now(),
        phase_settings={str(phase.pk): {"signing_enabled": True}},
    )
    kind = InitiativeType.objects.create(
        component=component,
        title={"fr": "Interpellation"},
        population=40000,
        sign_rule={"methods": ["census"], "min_age": 16},
    )
    first = max(1, signers // 2)
    Tier.objects.create(type=kind, position=1, threshold=first, window_days=30, kind=Tier.Kind.MEDIATION)
    Tier.objects.create(type=kind, position=2, threshold=signers * 10, window_days=120, kind=Tier.Kind.WORKSHOP)
    officer = User.objects.create(email="officer@example.org", nickname="officer", name="Agent", password="!")
    Role.objects.create(user=officer, organization=organization, name=Role.Name.ORGANIZATION_ADMIN)
    initiative = Initiative.objects.create(
        component=component,
        type=kind,
        title="Ouvrir les cours d'école le week-end",
        body="<p>Trois cours d'école ouvertes aux familles le week-end.</p>",
        author=officer,
        state=Initiative.State.SUBMITTED,
        submitted_at=timezone.now(),
    )
    initiative = services.decide_admissibility(actor=officer, initiative=initiative, admissible=True)

    people = User.objects.bulk_create(
        [
            User(email=f"signer{n}@example.org", nickname=f"signer{n}", name=f"Signataire {n}", password="!")
            for n in range(signers)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    Membership.objects.bulk_create(
        [
            Membership(user=u, organization=organization, accepted_terms_version=1, accepted_terms_at=now)
            for u in people
        ],
        batch_size=1000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in people], batch_size=1000
    )
    Verification.objects.bulk_create(
        [
            Verification(
                organization=organization,
                user=u,
                method="census",
                status=Verification.Status.ACTIVE,
                birth_date=datetime.date(1960, 1, 1) + datetime.timedelta(days=n % 10000),
                decided_at=now,
            )
            for n, u in enumerate(people)
        ],
        batch_size=1000,
    )
    backend = settings.AUTHENTICATION_BACKENDS[0]
    rows, sessions = [], []
    for user in people:
        store = SessionStore()
        key = store._get_new_session_key()  # type: ignore[attr-defined]  # the db backend's, as Django's own login
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: user.get_session_auth_hash()}
        rows.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=now + datetime.timedelta(days=1))
        )
        sessions.append(key)
    Session.objects.bulk_create(rows, batch_size=1000)
    return component, initiative, first, sessions


def storm(path, sessions, clients, port, session_cookie, queue):
    """Second process: `clients` threads share the signers, one POST each (bodies
    and headers built before the clock starts, connections kept open)."""
    timings, errors, statuses = [], [0], {}
    lock = threading.Lock()
    alphabet = string.ascii_letters + string.digits
    rng = random.Random(2026)
    todo = []
    for n, session in enumerate(sessions):
        csrf = "".join(rng.choice(alphabet) for _ in range(32))
        fields = [("csrfmiddlewaretoken", csrf)] + ([("public", "on")] if n % 4 == 0 else [])
        todo.append(
            (
                urlencode(fields).encode(),
                {
                    "Host": HOST,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"{session_cookie}={session}; csrftoken={csrf}",
                },
            )
        )
    todo.reverse()

    def client():
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        mine = []
        while True:
            with lock:
                if not todo:
                    break
                body, headers = todo.pop()
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
    threads = [threading.Thread(target=client) for _n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((timings, errors[0], statuses, time.perf_counter() - started, time.process_time()))


def check(initiative, first: int, acknowledged: int) -> tuple[dict, list[str]]:
    from django_tasks_db.models import DBTaskResult

    from agora.actionlog.models import ActionLog
    from agora.components.initiatives.models import Initiative, InitiativeTier, Signature
    from agora.outbox.models import OutgoingEmail

    stored = Initiative.objects.get(pk=initiative.pk)
    rows = Signature.objects.filter(initiative=initiative).count()
    distinct = Signature.objects.filter(initiative=initiative).values("user").distinct().count()
    tier = InitiativeTier.objects.get(initiative=initiative, position=1)
    reached_logs = ActionLog.objects.filter(verb="initiatives.tier_reached", target_id=str(initiative.pk)).count()
    # The confirmations are queued for the worker (not started here): one task per signature.
    mails = DBTaskResult.objects.filter(task_path__endswith="initiatives.services.confirmation_task").count()
    mails += OutgoingEmail.objects.filter(kind="initiatives.signed").count()
    figures = {
        "count": stored.signature_count,
        "rows": rows,
        "distinct": distinct,
        "reached_logs": reached_logs,
        "mails": mails,
        "reached_count": tier.reached_count,
    }
    problems = []
    if stored.signature_count != rows:
        problems.append(f"count {stored.signature_count} != {rows} rows")
    if rows != distinct:
        problems.append(f"{rows} rows for {distinct} signers")
    if rows != acknowledged:
        problems.append(f"{rows} rows stored, {acknowledged} acknowledged")
    if acknowledged >= first and (tier.reached_at is None or reached_logs != 1 or tier.reached_count != first):
        problems.append(f"first tier: reached_at={tier.reached_at}, count={tier.reached_count}, logs={reached_logs}")
    if mails != rows:
        problems.append(f"{mails} confirmation e-mails queued for {rows} signatures")
    return figures, problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--signers", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--small", action="store_true", help="a quick check: 200 signers, 8 clients, 4 workers")
    args = parser.parse_args()
    if args.small:
        args.signers, args.clients, args.workers = 200, 8, 4

    stop_cluster = None
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        url, stop_cluster = _throwaway_cluster()
        os.environ["DATABASE_URL"] = url
        print(f"Throw-away PostgreSQL cluster at {urlparse(url).netloc}")
    elif not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database this script may drop and re-create.")
    static_root = tempfile.mkdtemp(prefix="agora-signatures-static-")
    server = None
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
                # As in production: confirmations and notifications are queued for the worker (not started here).
                "AGORA_TASK_BACKEND": "django_tasks_db.backend.DatabaseBackend",
            }
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        started = time.perf_counter()
        component, initiative, first, sessions = build(args.signers)
        print(f"Built {args.signers} verified signers with sessions in {time.perf_counter() - started:.1f} s")
        from django.db import connections
        from django.urls import reverse

        connections.close_all()
        path = reverse("initiatives:sign", kwargs={**component.url_kwargs(), "initiative_id": initiative.pk})
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
            ]
            + (["--worker-class", "gthread", "--threads", str(args.threads)] if args.threads > 1 else []),
            cwd=ROOT,
            env=os.environ.copy(),
        )
        for _ in range(150):
            try:
                probe = http.client.HTTPConnection(HOST, port, timeout=2)
                probe.request("GET", component.get_absolute_url(), headers={"Host": HOST})
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        database = urlparse(url).path.lstrip("/")

        def database_backend(_entry, command):
            return command.startswith("postgres: ") and f" {database} " in command

        def measure():
            return _cpu_seconds(_children_of(server.pid)), _cpu_seconds(database_backend)

        cpu_before = measure()
        queue = multiprocessing.Queue()
        runner = multiprocessing.Process(
            target=storm, args=(path, sessions, args.clients, port, settings.SESSION_COOKIE_NAME, queue)
        )
        runner.start()
        timings, errors, statuses, seconds, client_cpu = queue.get()
        cpu_after = measure()
        runner.join()
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        shutil.rmtree(static_root, ignore_errors=True)

    try:
        figures, problems = check(initiative, first, len(timings))
        from django.db import connections

        connections.close_all()
    finally:
        if stop_cluster is not None:
            stop_cluster()

    rate = len(timings) / seconds if seconds else 0.0
    p50, p95 = percentile(timings, 0.5) * 1000, percentile(timings, 0.95) * 1000
    print(
        f"\n{args.signers} signers, {args.clients} concurrent clients (second process) on one initiative, "
        f"gunicorn {args.workers} workers x {args.threads} threads, {seconds:.1f} s, "
        f"load average {' '.join(f'{n:.2f}' for n in os.getloadavg())}"
    )
    print(f"  HTTP statuses: {statuses}")
    print(
        f"  signatures: {len(timings)}   {rate:.1f} signatures/s   p50 {p50:.1f} ms   p95 {p95:.1f} ms   errors {errors}"
    )
    print(
        f"  count {figures['count']}, rows {figures['rows']}, distinct signers {figures['distinct']}, first tier "
        f"({first}) reached at count {figures['reached_count']}, logged {figures['reached_logs']} time(s), "
        f"confirmations queued {figures['mails']}"
    )
    print("  integrity: " + ("ok" if not problems else "FAILED: " + "; ".join(problems)))
    if timings:
        server_cpu, database_cpu = (after - before for after, before in zip(cpu_after, cpu_before))
        print(
            f"  CPU per signature: gunicorn {1000 * server_cpu / len(timings):.1f} ms, PostgreSQL backends "
            f"{1000 * database_cpu / len(timings):.1f} ms, load generator {1000 * client_cpu / len(timings):.1f} ms"
        )
    print("Target: >= 100 signatures/s, p95 < 300 ms, 0 errors, integrity ok.")
    print(
        f"RESULT signatures_per_s={rate:.1f} p95_ms={p95:.1f} errors={errors} "
        f"integrity={'ok' if not problems else 'failed'}"
    )


if __name__ == "__main__":
    main()
