"""Backups (issue 24, section 6): a dump taken during a vote storm restores
into a fresh database whose integrity check passes, and the restored outbox
e-mails nobody a second time (PostgreSQL, pg_dump / pg_restore)."""

import glob
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from agora.components.budgets import services
from agora.outbox.delivery import deliver_due, guard
from agora.outbox.models import OutgoingEmail
from agora.testing.concurrency import in_parallel, requires_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
postgres_only = requires_postgres()
ROOT = Path(__file__).resolve().parents[4]


def _binary(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    if not found[-1]:
        pytest.fail(f"{name} is needed for the backup test (PostgreSQL client binaries)")
    return found[-1]


def _url(name):
    params = connection.settings_dict
    return f"postgres://{params['USER']}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{name}"


def _manage(database_url, *arguments):
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "AGORA_TASK_BACKEND": "django_tasks_db.backend.DatabaseBackend",
        "AGORA_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_dump_taken_during_a_vote_storm_restores_intact_and_sends_no_receipt_twice(
    settings, budget, projects, voters, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}  # receipts wait for a worker
    # Production has the guard row from migration outbox 0002 on; the flush after an
    # earlier transactional test removed it, so write it again before the dump.
    guard()
    people = voters(30)
    name = connection.settings_dict["NAME"]
    dump = tmp_path / "storm.dump"
    started, done, lock = threading.Event(), [0], threading.Lock()

    def vote(person, n):
        time.sleep(n * 0.05)  # a storm over a second and a half
        ballot = services.cast_ballot(
            actor=person, budget=budget, choices={projects[n % 5].pk: 1, projects[(n + 1) % 5].pk: 1}
        )
        with lock:
            done[0] += 1
            if done[0] == 10:
                started.set()  # the backup starts while the others vote
        return ballot

    def backup():
        started.wait(timeout=30)
        return subprocess.run(
            [_binary("pg_dump"), "-Fc", "-f", str(dump), _url(name)], capture_output=True, text=True, timeout=120
        )

    outcomes = in_parallel([backup] + [lambda person=person, n=n: vote(person, n) for n, person in enumerate(people)])
    assert outcomes[0].returncode == 0, outcomes[0].stderr
    assert all(not isinstance(outcome, Exception) for outcome in outcomes[1:]), outcomes
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_due() == 30  # the worker sends every receipt after the dump was taken
    assert OutgoingEmail.objects.filter(state=OutgoingEmail.State.SENT).count() == 30

    restored = f"{name}_restored"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        result = subprocess.run(
            [_binary("pg_restore"), "--no-owner", "-d", _url(restored), str(dump)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        with psycopg.connect(_url(restored)) as copy:
            ballots = copy.execute("SELECT count(*) FROM budgets_ballot").fetchone()[0]
            waiting = copy.execute("SELECT count(*) FROM outbox_outgoingemail WHERE state = 'pending'").fetchone()[0]
        assert 10 <= ballots <= 30 and waiting == ballots  # taken mid-storm, receipts not yet sent

        check = _manage(_url(restored), "check_budget_integrity")
        assert check.returncode == 0 and "integrity ok" in check.stdout, check.stderr
        # The restored outbox is another database's: it is held, nothing is e-mailed again.
        sent = _manage(_url(restored), "send_outbox")
        assert sent.returncode == 0, sent.stderr
        assert "Subject:" not in sent.stdout
        with psycopg.connect(_url(restored)) as copy:
            states = dict(copy.execute("SELECT state, count(*) FROM outbox_outgoingemail GROUP BY state").fetchall())
        assert states.get("held") == waiting and "pending" not in states
        listing = _manage(_url(restored), "release_outbox", "--list")
        assert listing.stdout.count("budgets.receipt:") == waiting
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
