"""Database timeouts and keepalives set by the application on every
PostgreSQL connection (agora/db_options.py): a transaction left open by a
killed worker is ended by the server with its locks, and long jobs run by
manage.py are not cut by the web's statement timeout."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from agora.db_options import postgres_options

ROOT = Path(__file__).resolve().parents[3]


def flags(options) -> dict:
    words = options["options"].split()
    return dict(words[i + 1].split("=", 1) for i in range(0, len(words), 2) if words[i] == "-c")


def test_web_processes_get_timeouts_and_keepalives(monkeypatch):
    options = postgres_options(command=False)
    assert flags(options) == {
        "statement_timeout": "30s",
        "lock_timeout": "10s",
        "idle_in_transaction_session_timeout": "20s",
        "tcp_keepalives_idle": "60",
        "tcp_keepalives_interval": "10",
        "tcp_keepalives_count": "3",
    }
    assert (
        options["keepalives"],
        options["keepalives_idle"],
        options["keepalives_interval"],
        options["keepalives_count"],
        options["connect_timeout"],
    ) == (1, 30, 10, 3, 5)


def test_commands_have_no_statement_timeout_but_idle_transactions_still_end():
    found = flags(postgres_options(command=True))
    assert found["statement_timeout"] == "0" and found["lock_timeout"] == "0"
    assert found["idle_in_transaction_session_timeout"] == "10min"


def test_everything_comes_from_the_environment_and_keeps_what_the_url_gave(monkeypatch):
    monkeypatch.setenv("AGORA_DB_STATEMENT_TIMEOUT", "2min")
    monkeypatch.setenv("AGORA_DB_COMMAND_STATEMENT_TIMEOUT", "1h")
    monkeypatch.setenv("AGORA_DB_KEEPALIVES_IDLE", "15")
    options = postgres_options(command=False, given={"options": "-c search_path=agora", "sslmode": "require"})
    assert options["options"].startswith("-c search_path=agora ")
    assert flags(options)["statement_timeout"] == "2min" and options["sslmode"] == "require"
    assert options["keepalives_idle"] == 15
    assert flags(postgres_options(command=True))["statement_timeout"] == "1h"


def test_behind_pgbouncer_the_startup_options_can_be_left_to_the_role(monkeypatch):
    monkeypatch.setenv("AGORA_DB_STARTUP_OPTIONS", "0")
    options = postgres_options(command=False)
    assert "options" not in options and options["keepalives"] == 1


@pytest.mark.postgres
def test_the_server_applies_them(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    with connection.cursor() as cursor:
        shown = {}
        for name in ("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout", "tcp_keepalives_idle"):
            cursor.execute(f"SHOW {name}")
            shown[name] = cursor.fetchone()[0]
    assert shown == {
        "statement_timeout": "30s",
        "lock_timeout": "10s",
        "idle_in_transaction_session_timeout": "20s",
        "tcp_keepalives_idle": "60",
    }


@pytest.mark.postgres
def test_manage_py_commands_run_without_statement_timeout(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    script = (
        "from django.db import connection\n"
        "c = connection.cursor(); c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    )
    environment = {key: value for key, value in os.environ.items() if key != "AGORA_PROCESS"}
    found = connection.settings_dict  # the test database
    environment["DATABASE_URL"] = (
        f"postgres://{found['USER']}:{found['PASSWORD']}@{found['HOST']}:{found['PORT']}/{found['NAME']}"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "0"
