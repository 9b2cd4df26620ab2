"""What the benches that load the real stack share (gunicorn + PostgreSQL on
loopback): a throw-away PostgreSQL cluster (or the database DATABASE_URL names,
dropped and re-created), Django set up as in production (the database task
backend: nothing a request queues runs inside it), gunicorn started with the
application preloaded, concurrent clients in a second process with their timings,
the CPU the server and the database spent, and percentiles.

    with database("vote-storm") as db:      # the cluster, the environment, django.setup(), migrate
        ... build the data (the ORM works here) ...
        with gunicorn(workers=8, probe="/") as port:
            cpu = CpuMeter(db.url)           # optional: CPU of gunicorn and of PostgreSQL
            outcome = load(requests, clients=32, port=port)
        ... check the data ...
    print(percentile(outcome.timings, 0.95))

`requests` are built before the clock starts (bodies and headers), as a list of
(method, path, body bytes or None, headers) sent in that order by `clients`
threads that keep their connection open; a request succeeds when its status is
`ok` (302: the redirect that follows a successful form)."""

from __future__ import annotations

import contextlib
import glob
import http.client
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# For 2 cores: sync workers (one request at a time each, no keep-alive), enough of
# them to overlap the waits on the database. Each request is a new connection
# taken from the shared accept queue by whichever worker is free, so 32 clients
# are served in turn; with threaded workers, keep-alive connections stay with the
# worker that accepted them and the slowest clients wait more than twice the
# median (measured: p95 = 3.5 x p50 with 2 workers x 16 threads).
WORKERS, THREADS = 8, 1

Request = tuple[str, str, bytes | None, dict[str, str]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))] if ordered else 0.0


def throwaway_cluster(name: str = "bench") -> tuple[str, Callable[[], None]]:
    """initdb + pg_ctl start in a temporary directory (like .ci/run); returns (url, stop)."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries:
        sys.exit("No DATABASE_URL and no PostgreSQL server binaries (/usr/lib/postgresql/*/bin): give DATABASE_URL.")
    bindir = Path(binaries[-1]).parent
    root = tempfile.mkdtemp(prefix=f"agora-{name}-pg-")
    port = free_port()
    as_postgres = os.geteuid() == 0
    if as_postgres:
        shutil.chown(root, "postgres")

    def run(command: list[str]) -> None:
        if as_postgres:
            command = ["su", "postgres", "-c", " ".join(command)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    run(
        [
            str(bindir / "initdb"),
            "-D",
            f"{root}/data",
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]
    )
    run(
        [
            str(bindir / "pg_ctl"),
            "-D",
            f"{root}/data",
            "-l",
            f"{root}/log",
            "-w",
            "-o",
            # PostgreSQL's default durability (fsync on): every acknowledged write is on disk
            f"'-p {port} -k {root} -c listen_addresses={HOST} -c max_connections=200'",
            "start",
        ]
    )

    def stop() -> None:
        try:
            run([str(bindir / "pg_ctl"), "-D", f"{root}/data", "-m", "fast", "stop"])
        finally:
            shutil.rmtree(root, ignore_errors=True)

    return f"postgres://postgres@{HOST}:{port}/agora_{name.replace('-', '_')}", stop


def reset_database(url: str) -> None:
    """Drop and create the database `url` names (never point it at real data)."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Database:
    url: str
    name: str
    static_root: str

    def settings(self) -> str:
        """PostgreSQL's durability settings, as the benches print them."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('fsync', 'synchronous_commit', 'full_page_writes') ORDER BY name"
            )
            return " ".join(f"{name}={value}" for name, value in cursor.fetchall())


@contextlib.contextmanager
def database(name: str, *, quiet: bool = False) -> Iterator[Database]:
    """A PostgreSQL database made for the bench (a throw-away cluster without
    DATABASE_URL), the environment of production (DEBUG off, plain static files,
    e-mails in memory, the database task backend: what a request queues waits for
    a worker that is not started), Django set up and migrated. At the end the
    connections are closed, the cluster stopped and the static folder removed."""
    stop_cluster = None
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        url, stop_cluster = throwaway_cluster(name)
        os.environ["DATABASE_URL"] = url
        if not quiet:
            print(f"Throw-away PostgreSQL cluster at {urlparse(url).netloc}")
    elif not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database this script may drop and re-create.")
    static_root = tempfile.mkdtemp(prefix=f"agora-{name}-static-")
    try:
        reset_database(url)
        os.environ.update(
            {
                "AGORA_STATIC_ROOT": static_root,
                "AGORA_ALLOWED_HOSTS": HOST,
                "AGORA_DEBUG": "false",
                "AGORA_SIMPLE_STATIC": "true",
                "DJANGO_SETTINGS_MODULE": "agora.settings",
                "AGORA_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "AGORA_TASK_BACKEND": "django_tasks_db.backend.DatabaseBackend",
            }
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        yield Database(url=url, name=urlparse(url).path.lstrip("/"), static_root=static_root)
    finally:
        if "django" in sys.modules and "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(static_root, ignore_errors=True)
        if stop_cluster is not None:
            stop_cluster()


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    @property
    def pid(self) -> int:
        return self.process.pid


@contextlib.contextmanager
def gunicorn(
    *, workers: int = WORKERS, threads: int = THREADS, probe: str = "/", extra: Sequence[str] = ()
) -> Iterator[Server]:
    """gunicorn serving agora.wsgi on a free port of the loopback (`.port`),
    workers forked with the application loaded (--preload), gthread workers when
    `threads` is above 1; ready once `probe` answers (whatever its status). The
    database connections of this process are closed first (forked workers must
    not share them)."""
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "agora.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--backlog",
            "256",
            "--preload",
        ]
        + (["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else [])
        + list(extra),
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        for _ in range(150):
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                connection.request("GET", probe, headers={"Host": HOST})
                connection.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        yield Server(server, port)
    finally:
        server.terminate()
        server.wait()


def form_headers(session_cookie: str, session: str, csrf: str) -> dict[str, str]:
    """The headers of a form POST by the person of `session` (any CSRF token: the cookie and the field agree)."""
    return {
        "Host": HOST,
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"{session_cookie}={session}; csrftoken={csrf}",
    }


@dataclass
class Outcome:
    timings: list[float] = field(default_factory=list)  # seconds of the requests that succeeded
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0  # from the first request to the last answer
    client_cpu: float = 0.0  # CPU of the load generator (its process)

    @property
    def rate(self) -> float:
        return len(self.timings) / self.seconds if self.seconds else 0.0


def _clients(requests: list[Request], clients: int, port: int, ok: int, queue) -> None:
    timings: list[float] = []
    errors, statuses = [0], {}  # type: tuple[list[int], dict[int, int]]
    lock = threading.Lock()
    todo = list(reversed(requests))

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        mine = []
        while True:
            with lock:
                if not todo:
                    break
                method, path, body, headers = todo.pop()
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
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
                if status == ok:
                    timings.append(elapsed)
                else:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(Outcome(timings, errors[0], statuses, time.perf_counter() - started, time.process_time()))


def load(requests: list[Request], *, clients: int, port: int, ok: int = 302) -> Outcome:
    """Send `requests` in their order from `clients` threads of a second process
    (the load generator shares the cores with the server: it spends little CPU)."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    runner = multiprocessing.Process(target=_clients, args=(requests, clients, port, ok, queue))
    runner.start()
    outcome = queue.get()
    runner.join()
    return outcome


def timed_gets(port: int, paths: Sequence[str], ok: int = 200) -> tuple[list[float], int]:
    """GET each path in turn on one connection: (timings of the answers `ok`, errors)."""
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
        if response.status == ok:
            timings.append(time.perf_counter() - started)
        else:
            errors += 1
    connection.close()
    return timings, errors


def cpu_seconds(match: Callable[[str, str], bool]) -> float:
    """User + system CPU of the processes whose /proc entry and command line
    `match` accepts (Linux /proc; 0 elsewhere)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for entry in glob.glob("/proc/[0-9]*"):
        try:
            with open(f"{entry}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode(errors="replace")
            if not match(entry, command):
                continue
            with open(f"{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, ValueError, IndexError):
            continue
    return total


def children_of(pid: int) -> Callable[[str, str], bool]:
    def match(entry: str, _command: str) -> bool:
        try:
            with open(f"{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
        return parent == pid or entry == f"/proc/{pid}"

    return match


class CpuMeter:
    """CPU spent by gunicorn (master and workers) and by the PostgreSQL backends of
    the bench's database since the meter was made: `spent()` -> (server, database)."""

    def __init__(self, server: Server, database_name: str):
        self.server_pid, self.database = server.pid, database_name
        self.before = self._now()

    def _backend(self, _entry: str, command: str) -> bool:
        return command.startswith("postgres: ") and f" {self.database} " in command

    def _now(self) -> tuple[float, float]:
        return cpu_seconds(children_of(self.server_pid)), cpu_seconds(self._backend)

    def spent(self) -> tuple[float, float]:
        after = self._now()
        return after[0] - self.before[0], after[1] - self.before[1]
