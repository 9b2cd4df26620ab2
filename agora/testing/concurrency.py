"""Helpers of the tests that prove an invariant under real parallel
transactions (PostgreSQL only; SQLite serialises writers and proves nothing):

    pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
    postgres_only = requires_postgres()          # an autouse fixture in the module

    slow_down(monkeypatch, services, "_check")   # widen the race window
    outcomes = in_parallel([lambda: ..., lambda: ...])

`in_parallel` starts every call at the same moment (a barrier), each in its own
thread with its own database connection (closed at the end), and returns, in
the order of the calls, what each returned or the exception it raised."""

import threading
import time

import pytest
from django.db import close_old_connections, connection


def requires_postgres():
    """An autouse fixture that skips the module's tests on other databases."""

    @pytest.fixture(autouse=True)
    def _postgres_only():
        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (parallel transactions)")

    return _postgres_only


def slow_down(monkeypatch, owner, name: str, seconds: float = 0.2) -> None:
    """Make `owner.name` pause after it returns: without the lock or constraint
    under test, every parallel request would read the same state in that window."""
    original = getattr(owner, name)

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(seconds)
        return result

    monkeypatch.setattr(owner, name, slow)


def in_parallel(calls) -> list:
    outcomes = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - handed to the test
            outcomes[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
