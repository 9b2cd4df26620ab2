"""Signature storm: distinct verified residents sign ONE initiative over HTTP,
32 at a time, against the real stack (gunicorn + PostgreSQL on loopback): the
hot row of agora.components.initiatives (the initiative's count).

    .venv/bin/python bench/signatures.py [--signers 2000] [--clients 32] [--workers 8] [--small]

With DATABASE_URL=postgres://... that database is dropped and re-created
(never point it at real data); without it a throw-away PostgreSQL cluster is
started in a temporary directory (bench/_http_load.py) and removed at the end.

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
import os
import random
import string
import time
from urllib.parse import urlencode

from _http_load import HOST, THREADS, WORKERS, CpuMeter, database, form_headers, gunicorn, load, percentile


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


def signatures(path, sessions, session_cookie):
    """One POST per signer (bodies and headers built before the clock starts); a quarter sign publicly."""
    alphabet = string.ascii_letters + string.digits
    rng = random.Random(2026)
    todo = []
    for n, session in enumerate(sessions):
        csrf = "".join(rng.choice(alphabet) for _ in range(32))
        fields = [("csrfmiddlewaretoken", csrf)] + ([("public", "on")] if n % 4 == 0 else [])
        todo.append(("POST", path, urlencode(fields).encode(), form_headers(session_cookie, session, csrf)))
    return todo


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

    # As in production: confirmations and notifications are queued for the worker (not started here).
    with database("signatures") as db:
        from django.conf import settings
        from django.urls import reverse

        started = time.perf_counter()
        component, initiative, first, sessions = build(args.signers)
        print(f"Built {args.signers} verified signers with sessions in {time.perf_counter() - started:.1f} s")
        path = reverse("initiatives:sign", kwargs={**component.url_kwargs(), "initiative_id": initiative.pk})
        requests = signatures(path, sessions, settings.SESSION_COOKIE_NAME)
        with gunicorn(workers=args.workers, threads=args.threads, probe=component.get_absolute_url()) as server:
            meter = CpuMeter(server, db.name)
            outcome = load(requests, clients=args.clients, port=server.port)
            server_cpu, database_cpu = meter.spent()
        timings, errors, statuses, seconds = outcome.timings, outcome.errors, outcome.statuses, outcome.seconds
        figures, problems = check(initiative, first, len(timings))

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
        client_cpu = outcome.client_cpu
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
