"""The benchmarks under bench/ keep running (they are how speed targets are
measured): each is started as a user would, on a small input. Their figures
are not checked here (timed tests are noise); their integrity verdicts are."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.db import connection

from agora.testing.shared_data import pabulib_file

ROOT = Path(__file__).resolve().parents[3]
SMALLEST_INSTANCE = "Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb"


def _run(args, env=None, timeout=300):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def test_the_tally_bench_counts_an_instance():
    pabulib_file(SMALLEST_INSTANCE)  # fails, never skips, without ../shared/data
    result = _run(["bench/tally.py", "--only", SMALLEST_INSTANCE, "--timeout", "120"])
    assert result.returncode == 0, result.stderr[-2000:]
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("RESULT instances=1 max_greedy_s="), result.stdout[-2000:]
    assert SMALLEST_INSTANCE in result.stdout


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_vote_storm_bench_runs_with_exact_integrity():
    if connection.vendor != "postgresql":
        pytest.skip("the vote storm runs against PostgreSQL")
    settings = connection.settings_dict
    name = f"agora_storm_smoke_{os.getpid()}"
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{name}"
    )
    try:
        result = _run(
            ["bench/vote_storm.py", "--voters", "40", "--clients", "4", "--workers", "2"], env={"DATABASE_URL": url}
        )
        assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-3000:])
        last = result.stdout.strip().splitlines()[-1]
        assert last.startswith("RESULT ballots_per_s=") and last.endswith("errors=0 integrity=ok"), result.stdout
    finally:
        import psycopg

        admin = urlparse(url)._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as admin_connection:
            admin_connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_survey_bench_runs_with_exact_integrity():
    if connection.vendor != "postgresql":
        pytest.skip("the survey bench runs against PostgreSQL")
    settings = connection.settings_dict
    name = f"agora_survey_smoke_{os.getpid()}"
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{name}"
    )
    try:
        result = _run(
            ["bench/survey.py", "--answers", "200", "--respondents", "20", "--clients", "4", "--workers", "2"],
            env={"DATABASE_URL": url},
        )
        assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-3000:])
        last = result.stdout.strip().splitlines()[-1]
        assert last.startswith("RESULT answers=200 results_p95_ms=") and last.endswith("errors=0 integrity=ok"), (
            result.stdout
        )
    finally:
        import psycopg

        admin = urlparse(url)._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as admin_connection:
            admin_connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
