"""Mail reliability: N ballot receipts through the real worker processes
(`manage.py db_worker`, django-tasks-db) and a real SMTP server, while the
relay refuses connections for a while and workers are killed (SIGKILL)
mid-run. Every receipt must arrive exactly once.

    .venv/bin/python bench/mail_reliability.py [--receipts 1000] [--workers 2] [--kills 8] [--outage 5]

With DATABASE_URL=postgres://... that database is dropped and re-created
(never point it at real data); without it a throw-away PostgreSQL cluster is
started in a temporary directory (as bench/vote_storm.py does).

What runs:
- this process first casts the N ballots through budgets.services.cast_ballot
  (the receipt is an outbox row of the ballot's transaction, with its delivery
  task), then starts the delivery:
- `--workers` db_worker processes deliver; every 2.5 s the oldest is killed
  with SIGKILL and started again (`--kills` times), leaving its task RUNNING
  and its outbox rows leased;
- `manage.py send_outbox --loop 5`, from 8 s on, stands for the every-minute
  cron job: it sends retries when they are due and rows whose lease expired;
- a small SMTP server (asyncio, in this process; 20 ms to accept a message)
  counts every message it accepts by Message-ID (derived from the idempotency
  key); 2 s after the delivery starts it stops listening for `--outage`
  seconds (connections refused).

Short lease and back-off for the run (AGORA_OUTBOX_LEASE_SECONDS=10,
AGORA_OUTBOX_RETRY_SECONDS=1, AGORA_EMAIL_TIMEOUT=2), so that it ends in a
minute or two; production uses 300 s and 60 s.

Last line: RESULT lost=<n> duplicates=<n>"""

import argparse
import asyncio
import collections
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _http_load import HOST  # noqa: E402
from _http_load import free_port as _free_port  # noqa: E402
from _http_load import reset_database as _reset_database  # noqa: E402
from _http_load import throwaway_cluster as _throwaway_cluster  # noqa: E402
from vote_storm import build  # noqa: E402


class CountingRelay:
    """A minimal SMTP server: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
    Counts accepted messages by Message-ID. `refuse(seconds)` closes the
    listening socket for that long (clients get "connection refused")."""

    def __init__(self, port, latency=0.0):
        self.port, self.latency = port, latency
        self.received = collections.Counter()
        self.loop = asyncio.new_event_loop()
        self.server = None
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self):
        self.thread.start()
        self._call(self._listen())

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    async def _listen(self):
        self.server = await asyncio.start_server(self._session, HOST, self.port, reuse_address=True)

    async def _close(self):
        self.server.close()
        await self.server.wait_closed()

    def refuse(self, seconds):
        self._call(self._close())
        time.sleep(seconds)
        self._call(self._listen())

    async def _session(self, reader, writer):
        def say(line):
            writer.write(line.encode() + b"\r\n")

        say("220 bench ESMTP")
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                verb = line.decode("ascii", "replace").strip().split(" ")[0].upper()
                if verb == "EHLO":
                    say("250-bench")
                    say("250 8BITMIME")
                elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                    say("250 OK")
                elif verb == "DATA":
                    say("354 go on")
                    await writer.drain()
                    lines = []
                    while True:
                        data = await reader.readline()
                        if not data or data in (b".\r\n", b".\n"):
                            break
                        lines.append(data)
                    message_id = next(
                        (
                            raw.split(b":", 1)[1].strip().decode()
                            for raw in lines
                            if raw.lower().startswith(b"message-id:")
                        ),
                        "?",
                    )
                    await asyncio.sleep(self.latency)  # a relay takes a moment to queue a message
                    self.received[message_id] += 1  # accepted: counted before the answer
                    say("250 queued")
                elif verb == "QUIT":
                    say("221 bye")
                    await writer.drain()
                    break
                else:
                    say("502 not implemented")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--receipts", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--outage", type=float, default=5.0, help="seconds the relay refuses connections")
    parser.add_argument("--latency", type=float, default=0.02, help="seconds the relay takes to accept a message")
    parser.add_argument("--deadline", type=float, default=240.0, help="seconds to wait for every receipt")
    args = parser.parse_args()

    stop_cluster = None
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        url, stop_cluster = _throwaway_cluster()
        os.environ["DATABASE_URL"] = url
        print(f"Throw-away PostgreSQL cluster at {urlparse(url).netloc}")
    elif not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database this script may drop and re-create.")
    smtp_port = _free_port()
    processes = []
    try:
        _reset_database(url)
        os.environ.update(
            {
                "AGORA_ALLOWED_HOSTS": HOST,
                "AGORA_DEBUG": "false",
                "DJANGO_SETTINGS_MODULE": "agora.settings",
                "AGORA_TASK_BACKEND": "django_tasks_db.backend.DatabaseBackend",
                "AGORA_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "AGORA_EMAIL_HOST": HOST,
                "AGORA_EMAIL_PORT": str(smtp_port),
                "AGORA_EMAIL_TIMEOUT": "2",
                "AGORA_OUTBOX_LEASE_SECONDS": "10",
                "AGORA_OUTBOX_RETRY_SECONDS": "1",
            }
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        component, budget, project_ids, _sessions, _eligibility = build(args.receipts)
        from django.db import connections

        from agora.accounts.models import User
        from agora.components.budgets.services import cast_ballot
        from agora.outbox.models import OutgoingEmail

        relay = CountingRelay(smtp_port, latency=args.latency)
        relay.start()
        python = str(ROOT / ".venv" / "bin" / "python")
        # The ballots first (a vote storm: the receipts wait in the outbox), then the
        # delivery, with the relay refusing connections and workers killed meanwhile.
        cast_started = time.monotonic()
        voters = list(User.objects.filter(email__startswith="voter").order_by("pk"))
        rng = random.Random(2026)
        for voter in voters:
            cast_ballot(actor=voter, budget=budget, choices={pk: 1 for pk in rng.sample(project_ids, 2)})
        cast_seconds = time.monotonic() - cast_started

        def worker():
            return subprocess.Popen(
                [
                    python,
                    "manage.py",
                    "db_worker",
                    "--interval",
                    "0.1",
                    "--no-startup-delay",
                    "--verbosity",
                    "0",
                    "--no-reload",
                ],
                cwd=ROOT,
                env=os.environ.copy(),
            )

        workers = [worker() for _ in range(args.workers)]
        processes.extend(workers)

        def sweeper():
            time.sleep(8)  # the cron job's first run comes once the workers are busy
            processes.append(
                subprocess.Popen([python, "manage.py", "send_outbox", "--loop", "5"], cwd=ROOT, env=os.environ.copy())
            )

        started = time.monotonic()
        kills = [0]

        def chaos():
            time.sleep(2)
            relay.refuse(args.outage)

        def killer():
            # The oldest worker (up for a few seconds: busy delivering, not starting up)
            # is killed every 2.5 s and started again.
            born = [time.monotonic()] * len(workers)
            while kills[0] < args.kills:
                time.sleep(2.5)
                index = born.index(min(born))
                workers[index].send_signal(signal.SIGKILL)
                workers[index].wait()
                kills[0] += 1
                workers[index], born[index] = worker(), time.monotonic()
                processes.append(workers[index])

        threads = [threading.Thread(target=chaos), threading.Thread(target=killer), threading.Thread(target=sweeper)]
        for thread in threads:
            thread.start()
        expected = set(OutgoingEmail.objects.filter(kind="budgets.receipt").values_list("message_id", flat=True))
        for thread in threads:
            thread.join()
        while time.monotonic() - started < args.deadline:
            if (
                expected <= set(relay.received)
                and not OutgoingEmail.objects.exclude(
                    state__in=[OutgoingEmail.State.SENT, OutgoingEmail.State.FAILED]
                ).exists()
            ):
                break
            time.sleep(0.5)
        seconds = time.monotonic() - started
        time.sleep(1)  # anything still in flight
        states = collections.Counter(OutgoingEmail.objects.values_list("state", flat=True))
        attempts = sum(OutgoingEmail.objects.values_list("attempts", flat=True))
        from django_tasks_db.models import DBTaskResult

        abandoned = DBTaskResult.objects.filter(status="RUNNING").count()
        connections.close_all()
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if stop_cluster is not None:
            stop_cluster()

    received = {key: count for key, count in relay.received.items() if key in expected}
    lost = len(expected - set(received))
    duplicates = sum(count - 1 for count in received.values())
    strays = sum(count for key, count in relay.received.items() if key not in expected)
    print(
        f"\n{len(expected)} receipts queued by {args.receipts} ballots in {cast_seconds:.1f} s, then delivered by "
        f"{args.workers} db_worker processes with {kills[0]} SIGKILLs (each restarted); "
        f"relay refused connections for {args.outage:.0f} s"
    )
    print(
        f"  delivered in {seconds:.1f} s: {len(received)} distinct receipts received, "
        f"{sum(received.values())} messages, {strays} unexpected"
    )
    print(
        f"  outbox: {dict(states)}; {attempts} attempts in all; "
        f"{abandoned} delivery task(s) left RUNNING by killed workers (their rows taken up after the lease)"
    )
    print(f"RESULT lost={lost} duplicates={duplicates}")


if __name__ == "__main__":
    main()
