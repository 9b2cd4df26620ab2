"""Newsletter to N opted-in recipients through the real worker processes
(`manage.py db_worker`, django-tasks-db) and a real SMTP server on loopback
(aiosmtpd). When half the recipients have been handed to the outbox, every
worker is killed (SIGKILL) and started again: every recipient must still get
exactly one e-mail.

    .venv/bin/python bench/newsletter.py [--recipients 50000] [--workers 2] [--small]

With DATABASE_URL=postgres://... that database is dropped and re-created
(never point it at real data); without it a throw-away PostgreSQL cluster is
started in a temporary directory (as bench/vote_storm.py does).

What runs:
- this process makes the organization and N people who accepted the newsletter
  (half in French, half in English), a newsletter of four blocks, and sends it
  through newsletters.services.send as the organization's administrator: the
  status becomes "sending" and the sending task is queued;
- `--workers` db_worker processes run it: the recipients are listed, then
  batches are handed to the outbox (one row per person, keyed), whose
  delivery tasks the same workers run, over SMTP to the relay;
- at `--kill-at` (0.5) of the recipients handed to the outbox, every worker is
  killed with SIGKILL (their tasks stay RUNNING, their outbox rows leased) and
  started again at once; the cron jobs stand-ins, `send_newsletters --loop 2`
  and `send_outbox --loop 2`, take up the abandoned sending and rows
  (AGORA_NEWSLETTER_STALE_SECONDS=5, AGORA_OUTBOX_LEASE_SECONDS=15 for the run);
- the relay (aiosmtpd, in this process) counts every message it accepts by
  Message-ID (derived from the outbox key: one per recipient).

The run ends when the newsletter is sent and no e-mail of it is waiting or
being sent any more. A newsletter's e-mail is sent at most once: the one a
killed worker was handing to the relay (at most one per worker) is left
"possibly sent" after its lease, not sent again by itself (the officer may
send it again from the newsletter's page). So:

duplicates    messages the relay accepted more than once (must be 0);
possibly_sent e-mails left "possibly sent" (at most one per killed worker);
              the details say how many of them the relay had in fact accepted;
missing       recipients the relay never received an e-mail for (those of
              the "possibly sent" it had not accepted: what the officer's
              "send again" is for).

per_s is the recipients divided by the time from the officer's click to the
last e-mail accepted (kill and restart included); max_rss_mb the largest peak
resident memory (VmHWM) of any worker process.

Last line: RESULT recipients=<n> sent=<n> duplicates=<n> per_s=<n> max_rss_mb=<n> possibly_sent=<n> missing=<n>"""

import argparse
import collections
import os
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


class CountingHandler:
    """aiosmtpd handler: counts accepted messages by Message-ID."""

    def __init__(self):
        self.received: collections.Counter = collections.Counter()
        self.last_at = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        content = envelope.original_content or envelope.content or b""
        message_id = "?"
        for line in content.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
                break
        with self.lock:
            self.received[message_id] += 1
            self.last_at = time.monotonic()
        return "250 Message accepted for delivery"


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def build(recipients: int):
    """The organization, its administrator, N people who accepted the newsletter, the newsletter."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from agora.accounts.models import Membership, User
    from agora.core.models import Organization, TermsVersion
    from agora.core.translations import tr
    from agora.newsletters.models import Block, Newsletter
    from agora.spaces.models import Role

    organization = Organization.objects.create(
        name="Bench", host=HOST, available_languages=["fr", "en"], sender_email="lettre@bench.example"
    )
    TermsVersion.objects.create(organization=organization, version=1, body={"fr": "ok"})
    admin = User.objects.create_user(email="admin@bench.example", password="x", nickname="admin")
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    Membership.objects.create(user=admin, organization=organization, accepted_terms_version=1)
    Role.objects.create(user=admin, organization=organization, name=Role.Name.ORGANIZATION_ADMIN)
    now = timezone.now()
    chunk = 5000
    for start in range(0, recipients, chunk):
        users = User.objects.bulk_create(
            [
                User(
                    email=f"reader{index}@bench.example",
                    nickname=f"reader{index}",
                    language="en" if index % 2 else "fr",
                    password="!",
                )
                for index in range(start, min(start + chunk, recipients))
            ]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
        )
        Membership.objects.bulk_create(
            [
                Membership(user=user, organization=organization, accepted_terms_version=1, newsletter_consent_at=now)
                for user in users
            ]
        )
    newsletter = Newsletter.objects.create(
        organization=organization, subject=tr("Les nouvelles du mois", "This month's news"), created_by=admin
    )
    Block.objects.create(
        newsletter=newsletter,
        kind=Block.Kind.TEXT,
        position=1,
        text=tr(
            "<p>Le <strong>budget participatif</strong> est ouvert : déposez vos idées jusqu'au 15.</p>" * 4,
            "<p>The <strong>participatory budget</strong> is open: file your ideas until the 15th.</p>" * 4,
        ),
    )
    Block.objects.create(
        newsletter=newsletter, kind=Block.Kind.BUTTON, position=2, text=tr("Déposer", "File"), url="/processes/"
    )
    return admin, newsletter


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500, help="recipients handed to the outbox per transaction")
    parser.add_argument("--kill-at", type=float, default=0.5, help="share handed to the outbox when workers die")
    parser.add_argument("--deadline", type=float, default=1800.0, help="seconds to wait for every e-mail")
    parser.add_argument("--small", action="store_true", help="2,000 recipients (a check that runs in a minute)")
    args = parser.parse_args()
    if args.small:
        args.recipients = 2_000

    stop_cluster = None
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        url, stop_cluster = _throwaway_cluster()
        os.environ["DATABASE_URL"] = url
        print(f"Throw-away PostgreSQL cluster at {urlparse(url).netloc}")
    elif not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database this script may drop and re-create.")
    smtp_port = _free_port()
    processes: list[subprocess.Popen] = []
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
                "AGORA_EMAIL_TIMEOUT": "5",
                "AGORA_OUTBOX_LEASE_SECONDS": "15",
                "AGORA_OUTBOX_RETRY_SECONDS": "1",
                "AGORA_NEWSLETTER_STALE_SECONDS": "5",
                "AGORA_NEWSLETTER_BATCH": str(args.batch),
            }
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from aiosmtpd.controller import Controller
        from django.core.management import call_command
        from django.db import connections

        from agora.newsletters import services
        from agora.newsletters.models import Newsletter, Recipient
        from agora.outbox.models import OutgoingEmail

        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        built = time.monotonic()
        admin, newsletter = build(args.recipients)
        print(f"{args.recipients} opted-in recipients made in {time.monotonic() - built:.1f} s")

        handler = CountingHandler()
        relay = Controller(handler, hostname=HOST, port=smtp_port)
        relay.start()
        python = str(ROOT / ".venv" / "bin" / "python")

        def start(command):
            process = subprocess.Popen([python, "manage.py", *command], cwd=ROOT, env=os.environ.copy())
            processes.append(process)
            return process

        def worker():
            return start(["db_worker", "--interval", "0.1", "--no-startup-delay", "--verbosity", "0", "--no-reload"])

        workers = [worker() for _ in range(args.workers)]
        peaks: dict[int, float] = {}
        watching = [True]

        def watch():
            while watching[0]:
                for process in list(workers):
                    peaks[process.pid] = max(peaks.get(process.pid, 0.0), peak_rss_mb(process.pid))
                time.sleep(0.2)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        time.sleep(2)  # the workers are up
        started = time.monotonic()
        services.send(actor=admin, newsletter=newsletter)  # the officer's click: the task is queued
        killed_at = None
        total = args.recipients
        while time.monotonic() - started < args.deadline:
            queued = Recipient.objects.filter(newsletter=newsletter).exclude(state=Recipient.State.PENDING).count()
            if killed_at is None and queued >= args.kill_at * total:
                for process in workers:
                    peaks[process.pid] = max(peaks.get(process.pid, 0.0), peak_rss_mb(process.pid))
                    process.send_signal(signal.SIGKILL)
                for process in workers:
                    process.wait()
                killed_at = (queued, len(handler.received), time.monotonic() - started)
                workers[:] = [worker() for _ in range(args.workers)]
                start(["send_newsletters", "--loop", "2", "--verbosity", "0"])
                start(["send_outbox", "--loop", "2", "--verbosity", "0"])
            done = Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.SENT).exists()
            unsettled = OutgoingEmail.objects.filter(
                kind="newsletter", state__in=[OutgoingEmail.State.PENDING, OutgoingEmail.State.SENDING]
            ).exists()
            if done and not unsettled:
                break
            time.sleep(0.25)
        time.sleep(1)  # anything still in flight
        seconds = (handler.last_at or time.monotonic()) - started
        watching[0] = False
        states = collections.Counter(
            OutgoingEmail.objects.filter(kind="newsletter").values_list("state", flat=True).iterator()
        )
        expected = set(OutgoingEmail.objects.filter(kind="newsletter").values_list("message_id", flat=True).iterator())
        unsure = set(
            OutgoingEmail.objects.filter(kind="newsletter", state=OutgoingEmail.State.UNSURE).values_list(
                "message_id", flat=True
            )
        )
        newsletter.refresh_from_db()
        from django_tasks_db.models import DBTaskResult

        abandoned = DBTaskResult.objects.filter(status="RUNNING").count()
        connections.close_all()
        relay.stop()
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

    received = {key: count for key, count in handler.received.items() if key in expected}
    duplicates = sum(count - 1 for count in received.values())
    strays = sum(count for key, count in handler.received.items() if key not in expected)
    missing = len(expected - set(received))
    unsure_received = len(unsure & set(received))
    max_rss = max(peaks.values(), default=0.0)
    print(
        f"\nnewsletter {newsletter.status}, {newsletter.recipient_count} recipients listed, "
        f"{len(expected)} outbox rows ({dict(states)})"
    )
    if killed_at:
        print(
            f"  {args.workers} workers killed (SIGKILL) at {killed_at[0]} handed to the outbox, {killed_at[1]} "
            f"e-mails received, {killed_at[2]:.1f} s in; started again with the cron stand-ins"
        )
    print(
        f"  {len(received)} distinct e-mails received in {seconds:.1f} s ({sum(received.values())} messages, "
        f"{strays} unexpected); {abandoned} task(s) left RUNNING by the killed workers"
    )
    print(
        f"  {len(unsure)} e-mail(s) left possibly sent (handed to the relay by a killed worker), of which the relay "
        f"had accepted {unsure_received}; {missing} recipient(s) without an e-mail (the officer's 'send again')"
    )
    print(f"  peak memory of a worker: {max_rss:.0f} MB")
    per_s = len(received) / seconds if seconds > 0 else 0
    print(
        f"RESULT recipients={args.recipients} sent={len(received)} duplicates={duplicates} "
        f"per_s={per_s:.0f} max_rss_mb={max_rss:.0f} possibly_sent={len(unsure)} missing={missing}"
    )


if __name__ == "__main__":
    main()
