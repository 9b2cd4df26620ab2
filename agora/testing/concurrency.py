"""Helpers of the tests that prove an invariant under real parallel
transactions (PostgreSQL only; SQLite serialises writers and proves nothing):

    pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
    postgres_only = requires_postgres()          # an autouse fixture in the module

    slow_down(monkeypatch, services, "_check")   # widen the race window
    outcomes = in_parallel([lambda: ..., lambda: ...])

`in_parallel` starts every call at the same moment (a barrier), each in its own
thread with its own database connection (closed at the end), and returns, in
the order of the calls, what each returned or the exception it raised."""

import multiprocessing
import threading
import time
from contextlib import contextmanager

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connection, connections
from django.test import Client


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


# --- two app servers ------------------------------------------------------------------


class AppServer:
    """Another app server against the same database: a forked process with its
    own connections and its own per-process memo and caches, answering the
    requests sent to it through Django's test client. Use as a context manager
    in a `transaction=True` test (what the parent commits is what it sees):

        with AppServer() as other:
            status, html = other.request("get", url, user=participant)
    """

    def __init__(self, host: str = "testserver"):
        connections.close_all()  # never share the parent's sockets with the child
        context = multiprocessing.get_context("fork")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, host), daemon=True)
        self._process.start()

    def request(self, method: str, path: str, data=None, *, user=None, timeout: float = 60) -> tuple[int, str]:
        self._pipe.send((method, path, data or {}, getattr(user, "pk", None)))
        if not self._pipe.poll(timeout):
            raise TimeoutError(f"the other app server did not answer {method.upper()} {path}")
        answer = self._pipe.recv()
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def close(self) -> None:
        if self._process.is_alive():
            self._pipe.send(None)
            self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


_INHERITED: list = []  # sockets of the parent, never used nor closed by the child


def _serve(pipe, host):
    # The parent closes its connections before forking, yet after a browser test (whose
    # Playwright event loop keeps running in the parent's thread) this process still
    # finds an open connection of the parent's: drop it unused and unclosed (closing it
    # would end the parent's session on the shared socket; the child exits without
    # finalizers) so that the first query opens a connection of its own.
    for inherited in connections.all(initialized_only=True):
        if inherited.connection is not None:
            _INHERITED.append(inherited.connection)
            inherited.connection = None

    clients: dict = {}
    try:
        while (message := pipe.recv()) is not None:
            method, path, data, user_id = message
            try:
                client = clients.get(user_id)
                if client is None:
                    client = clients[user_id] = Client(HTTP_HOST=host, raise_request_exception=False)
                    client.cookies["django_language"] = "en"
                    if user_id is not None:
                        client.force_login(get_user_model().objects.get(pk=user_id))
                response = getattr(client, method)(path, data)
                pipe.send((response.status_code, response.content.decode()))
            except Exception as error:  # noqa: BLE001 - handed to the test
                pipe.send(RuntimeError(f"{type(error).__name__}: {error}"))
    finally:
        connections.close_all()


@contextmanager
def connection_lost_after_commit(using: str = "default"):
    """The database connection of the next transaction opened in the block
    is cut (pg_terminate_backend from another connection) right after its
    COMMIT, before anything else runs on it: a failover, a killed worker or a
    network cut at the worst moment."""
    connection_ = connections[using]
    armed = [True]

    def arm(execute, sql, params, many, context):
        if armed[0] and connection_.in_atomic_block:
            armed[0] = False
            pid = connection_.connection.info.backend_pid
            connection_.on_commit(lambda: _terminate(connection_, pid))
        return execute(sql, params, many, context)

    try:
        with connection_.execute_wrapper(arm):
            yield
    finally:
        connection_.close()  # the next query opens a new connection


def _terminate(connection_, pid: int) -> None:
    params = connection_.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 10
        while other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            if time.monotonic() > deadline:
                raise TimeoutError(f"backend {pid} still there")
            time.sleep(0.02)
