"""Delivering the outbox: claim rows with a lease, hand each to the relay, mark.

    claim  -> one conditional UPDATE (state, lease, token): only one process
              wins a row, on PostgreSQL (rows picked with SKIP LOCKED) and on
              SQLite alike;
    hand   -> `handed_at` committed just before the message goes to the relay
              (in the same statement as the previous row's mark, so it costs
              no commit of its own): the one row whose outcome a crash can
              leave unknown is recognisable;
    send   -> one SMTP transaction per row, through Django's e-mail backend;
    mark   -> "sent" right after the relay accepted the message;
    error  -> transient (refused connection, timeout, disconnection, 4xx): back
              to "pending" with an exponential back-off; permanent (5xx):
              "failed", shown in the back-office with a "retry" button.

A worker that dies leaves its claimed rows "sending". When their lease
expires, the rows it had not handed to the relay are due again (they were not
sent); the one it had handed (accepted or not: the relay's answer was lost
with the worker) is
  - sent again for an ordinary row (at least once: a receipt must arrive; the
    same Message-ID lets receiving servers and officers recognise a copy),
  - set aside as "possibly sent" for an `at_most_once` row (a newsletter's):
    never sent again by itself; an officer may send it again, knowing it may
    be a second copy (`settle_abandoned`, run by `deliver_due`).
A connection that breaks or times out while the relay has an at-most-once
row's message (no SMTP answer: the relay may have taken it) is the same
uncertainty: "possibly sent". A refusal with an SMTP code is not.

`send_outbox` (scheduled every minute) settles abandoned rows and sends every
due row.

The delivery task is defined here, next to what it runs, because delivering
queues it again for the rows to retry."""

import logging
import random
import smtplib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from agora.outbox.models import OutboxGuard, OutgoingEmail

logger = logging.getLogger(__name__)

CLAIM_BATCH = 20  # rows claimed at once: the lease must cover sending all of them


def lease_seconds() -> int:
    return getattr(settings, "AGORA_OUTBOX_LEASE_SECONDS", 300)


def retry_seconds() -> int:
    return getattr(settings, "AGORA_OUTBOX_RETRY_SECONDS", 60)


def max_attempts() -> int:
    return getattr(settings, "AGORA_OUTBOX_MAX_ATTEMPTS", 12)


RETRY_CAP_SECONDS = 3600


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... times the base delay (capped at an hour), plus up to 25 %
    of jitter so that a relay coming back is not hit by every row at once."""
    seconds = min(retry_seconds() * 2 ** max(0, attempts - 1), RETRY_CAP_SECONDS)
    return timedelta(seconds=seconds * (1 + random.random() / 4))  # noqa: S311 (not a secret)


def due(now) -> Q:
    """Rows to send now: pending and due, or left "sending" by a worker that
    died (lease expired), unless it had handed an at-most-once row to the relay
    (that one is "possibly sent", see `settle_abandoned`)."""
    State = OutgoingEmail.State
    return Q(state=State.PENDING, next_attempt_at__lte=now) | Q(
        Q(handed_at__isnull=True) | Q(at_most_once=False), state=State.SENDING, lease_until__lt=now
    )


def abandoned_unsure(now) -> Q:
    """At-most-once rows a dead worker had handed to the relay: perhaps received."""
    return Q(state=OutgoingEmail.State.SENDING, lease_until__lt=now, handed_at__isnull=False, at_most_once=True)


def settle_abandoned(now=None) -> int:
    """Set aside as "possibly sent" the at-most-once rows whose worker died
    after handing them to the relay (lease expired). Their claim token stays:
    a worker that was only slow still records the relay's answer. Returns how
    many rows were set aside."""
    now = now or timezone.now()
    count = OutgoingEmail.objects.filter(abandoned_unsure(now)).update(
        state=OutgoingEmail.State.UNSURE,
        last_error="the worker stopped after handing the e-mail to the relay, before recording its answer: "
        "perhaps received; not sent again by itself",
    )
    if count:
        logger.warning("%s e-mail(s) possibly sent (their worker died while handing them): not sent again", count)
    return count


# --- the restore guard ------------------------------------------------------------


def database_fingerprint() -> str:
    """What names this database: on PostgreSQL the cluster's system identifier,
    the timeline (moves on a point-in-time recovery or a promoted replica) and
    the database's oid (a new one for a dump restored into a fresh database).
    Empty on SQLite (demo): there `manage.py after_restore` is the only guard."""
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        try:
            with transaction.atomic():
                cursor.execute(
                    "SELECT s.system_identifier, c.timeline_id, d.oid FROM pg_control_system() s, "
                    "pg_control_checkpoint() c, pg_database d WHERE d.datname = current_database()"
                )
                row = cursor.fetchone()
        except Exception:  # noqa: BLE001 - functions refused to this role: the database oid alone
            cursor.execute("SELECT '', 0, oid FROM pg_database WHERE datname = current_database()")
            row = cursor.fetchone()
    return "{}:{}:{}".format(*row)


def guard() -> OutboxGuard:
    found = OutboxGuard.objects.filter(pk=1).first()
    if found is None:
        found, _created = OutboxGuard.objects.get_or_create(pk=1, defaults={"fingerprint": database_fingerprint()})
    return found


def is_held() -> bool:
    """Held by an officer (after_restore) or because this is not the database
    the outbox was released on: then every unsent row is held, once."""
    current = guard()
    if current.held:
        return True
    fingerprint = database_fingerprint()
    if current.fingerprint and fingerprint and fingerprint != current.fingerprint:
        hold(reason="the database is not the one the outbox was released on (restored, recovered or moved)")
        return True
    return False


def hold(*, reason: str) -> int:
    """Stop sending and set aside every row that may already have been sent
    (pending or sending). Returns the number of rows held."""
    with transaction.atomic():
        guard()
        OutboxGuard.objects.filter(pk=1).update(held=True, held_at=timezone.now(), reason=reason[:200])
        count = OutgoingEmail.objects.filter(
            state__in=[OutgoingEmail.State.PENDING, OutgoingEmail.State.SENDING]
        ).update(state=OutgoingEmail.State.HELD, lease_until=None, claim_token="")
    logger.warning("Outbox held (%s): %s e-mail(s) set aside", reason, count)
    return count


# --- claim, send, mark --------------------------------------------------------------


def _claim(candidates, now, limit=CLAIM_BATCH) -> list[OutgoingEmail]:
    token = uuid.uuid4().hex
    try:
        with transaction.atomic():
            pks = list(
                candidates.filter(due(now))
                .select_for_update(skip_locked=True)
                .order_by("next_attempt_at", "pk")
                .values_list("pk", flat=True)[:limit]
            )
            if not pks:
                return []
            # The due() condition again in the UPDATE: on SQLite (no row locks) two
            # processes may select the same rows, only one UPDATE finds them due.
            OutgoingEmail.objects.filter(pk__in=pks).filter(due(now)).update(
                state=OutgoingEmail.State.SENDING,
                lease_until=now + timedelta(seconds=lease_seconds()),
                claim_token=token,
                attempts=F("attempts") + 1,
                handed_at=None,
            )
    except OperationalError:  # SQLite: another process is writing; its rows are its own
        logger.info("Outbox claim skipped: database busy")
        return []
    return list(OutgoingEmail.objects.filter(claim_token=token, state=OutgoingEmail.State.SENDING).order_by("pk"))


def as_message(row: OutgoingEmail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        row.subject,
        row.body_text,
        row.sender,
        [row.recipient],
        headers={**row.headers, "Message-ID": row.message_id},
        connection=connection,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    return message


def is_permanent(error: BaseException) -> bool:
    """5xx answers of the relay are final (unknown recipient, rejected
    content); refused connections, timeouts, 4xx and anything else are
    tried again later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False  # the relay's credentials: fix the configuration, the message is fine
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


def _hand(row, now, margin) -> bool:
    """Record that `row` is about to be handed to the relay, if this worker still holds it with at least `margin` of
    lease left, so that nobody else has taken it over while the relay is slow.
    Returns whether it may be sent."""
    return bool(
        OutgoingEmail.objects.filter(
            pk=row.pk, claim_token=row.claim_token, state=OutgoingEmail.State.SENDING, lease_until__gt=now + margin
        ).update(handed_at=now)
    )


def is_answer(error: BaseException) -> bool:
    """Whether the relay answered with a refusal (an SMTP code: it did not take
    the message), rather than the connection breaking or timing out (smtplib
    reports a timeout waiting for the answer as a disconnection) with the
    message perhaps taken."""
    return isinstance(error, (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused))


def _mark_sent(row, now):
    # From "sending", or from "possibly sent" when a slow worker's answer comes after its lease.
    OutgoingEmail.objects.filter(pk=row.pk, claim_token=row.claim_token).update(
        state=OutgoingEmail.State.SENT, sent_at=now, lease_until=None, last_error="", handed_at=None
    )


def _mark_sent_and_hand(row, following, now, margin) -> bool:
    """`_mark_sent(row)` and `_hand(following)` in one statement, so one
    commit per e-mail as marking alone (two statements in a transaction cost
    three round trips to the database: twice the time of the SMTP exchange
    with a relay on the same network). Returns whether `following` was handed."""
    if following is None:
        _mark_sent(row, now)
        return False
    table = OutgoingEmail._meta.db_table
    at = connection.ops.adapt_datetimefield_value(now)
    limit = connection.ops.adapt_datetimefield_value(now + margin)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET "  # noqa: S608 - the table's name is ours, every value a parameter
            "state = CASE WHEN id = %s THEN %s ELSE state END, "
            "sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END, "
            "lease_until = CASE WHEN id = %s THEN NULL ELSE lease_until END, "
            "last_error = CASE WHEN id = %s THEN '' ELSE last_error END, "
            "handed_at = CASE WHEN id = %s THEN NULL ELSE %s END "
            "WHERE (id = %s AND claim_token = %s) "
            "OR (id = %s AND claim_token = %s AND state = %s AND lease_until > %s) "
            "RETURNING id",
            [
                *(row.pk, OutgoingEmail.State.SENT.value, row.pk, at, row.pk, row.pk, row.pk, at),
                *(row.pk, row.claim_token, following.pk, following.claim_token),
                *(OutgoingEmail.State.SENDING.value, limit),
            ],
        )
        return any(pk == following.pk for (pk,) in cursor.fetchall())


def _mark_unsure(row, error, now) -> OutgoingEmail.State:
    text = f"{type(error).__name__}: {error}"[:2000]
    logger.warning("E-mail %s possibly sent (no answer from the relay): not sent again by itself", row.key)
    OutgoingEmail.objects.filter(pk=row.pk, claim_token=row.claim_token).update(
        state=OutgoingEmail.State.UNSURE,
        lease_until=None,
        last_error=f"no answer from the relay, perhaps received: {text}",
    )
    row.state = OutgoingEmail.State.UNSURE
    return row.state


def _mark_failure(row, error, now, *, in_hand: bool = False) -> OutgoingEmail.State:
    """Record a failed attempt. `in_hand`: the error came while the relay had
    the message (not while connecting)."""
    text = f"{type(error).__name__}: {error}"[:2000]
    if in_hand and row.at_most_once and not is_answer(error):
        # The connection broke or timed out while the relay had the message: it may have taken it.
        return _mark_unsure(row, error, now)
    if is_permanent(error) or row.attempts >= max_attempts():
        state, next_at = OutgoingEmail.State.FAILED, row.next_attempt_at
        logger.error("E-mail %s failed for good after %s attempt(s): %s", row.key, row.attempts, text)
    else:
        state, next_at = OutgoingEmail.State.PENDING, now + backoff(row.attempts)
        logger.warning("E-mail %s not sent (attempt %s), retried at %s: %s", row.key, row.attempts, next_at, text)
    OutgoingEmail.objects.filter(pk=row.pk, claim_token=row.claim_token).update(
        state=state, next_attempt_at=next_at, lease_until=None, last_error=text, handed_at=None
    )
    row.state, row.next_attempt_at = state, next_at
    return state


def _close_quietly(mail_connection):
    try:
        mail_connection.close()
    except Exception:  # noqa: BLE001 - a dead connection
        pass


CONNECTION_ERRORS = (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


def _give_back(rows, next_at) -> None:
    """Rows claimed but not tried: pending again, the attempt not counted."""
    for row in rows:
        OutgoingEmail.objects.filter(pk=row.pk, claim_token=row.claim_token).update(
            state=OutgoingEmail.State.PENDING, next_attempt_at=next_at, lease_until=None, attempts=F("attempts") - 1
        )
        row.next_attempt_at = next_at


def _send_rows(rows) -> tuple[int, list[OutgoingEmail]]:
    """Send claimed rows over one relay connection. Returns (sent, rows to
    retry). When the relay cannot be reached, the rest of the batch waits
    with the row that failed; a row is only handed to the relay while its
    lease has time left for a slow relay, so that nobody else has taken it
    over. Each row's mark and the next row's `handed_at` are one statement:
    one commit per e-mail, as many as marking alone."""
    mail_connection = get_connection()
    # Time a slow relay may take over one message (a few timeouts), at most half the lease.
    margin = timedelta(seconds=min(4 * (getattr(settings, "EMAIL_TIMEOUT", None) or 30), lease_seconds() / 2))
    opened, handed, sent, retry = False, False, 0, []
    for index, row in enumerate(rows):
        error: Exception | None = None
        in_hand = False  # whether the error (if any) came while the relay had the message
        if not opened:
            try:
                mail_connection.open()  # before handing: a relay out of reach has received nothing
                opened = True
            except Exception as refused:  # noqa: BLE001 - recorded on the row
                error = refused
        if error is None and not handed:
            handed = _hand(row, timezone.now(), margin)
            if not handed:  # the lease runs short (or was taken over): the rest goes back
                _give_back(rows[index:], timezone.now())
                retry.extend(rows[index:])
                break
        if error is None:
            try:
                mail_connection.send_messages([as_message(row, mail_connection)])
            except Exception as failed:  # noqa: BLE001 - every error is recorded on the row
                error, in_hand = failed, True
        if error is None:
            following = rows[index + 1] if index + 1 < len(rows) else None
            handed = _mark_sent_and_hand(row, following, timezone.now(), margin)
            sent += 1
            continue
        _close_quietly(mail_connection)
        opened = handed = False
        if _mark_failure(row, error, timezone.now(), in_hand=in_hand) == OutgoingEmail.State.PENDING:
            retry.append(row)
            if isinstance(error, CONNECTION_ERRORS):
                _give_back(rows[index + 1 :], row.next_attempt_at)
                retry.extend(rows[index + 1 :])
                break
    if opened:
        _close_quietly(mail_connection)
    return sent, retry


def _schedule_retries(rows) -> None:
    """With a backend that can run a task later (django-tasks-db's run_after),
    the retry is queued at its time; otherwise `send_outbox` finds it due."""
    if not rows or not deliver_task.get_backend().supports_defer:
        return
    # One task for the lot, when the last of them is due.
    deliver_task.using(run_after=max(row.next_attempt_at for row in rows)).enqueue([row.pk for row in rows])


def deliver(ids, *, now=None) -> int:
    """Send the due rows among `ids` (the delivery task). Returns how many went out."""
    ids = list(ids)
    if not ids or is_held():
        return 0
    sent = 0
    for start in range(0, len(ids), CLAIM_BATCH):
        rows = _claim(OutgoingEmail.objects.filter(pk__in=ids[start : start + CLAIM_BATCH]), now or timezone.now())
        if rows:
            count, retry = _send_rows(rows)
            sent += count
            _schedule_retries(retry)
    return sent


@task()
def deliver_task(ids: list) -> int:
    """The delivery task (django-tasks): send the given outbox rows."""
    return deliver(ids)


def deliver_due(*, now=None, limit: int | None = None) -> int:
    """Send every due row: new ones whose task has not run, retries whose time
    has come, rows whose lease expired (a worker died), after setting aside the
    at-most-once rows that worker had handed to the relay (`settle_abandoned`).
    `manage.py send_outbox`."""
    if is_held():
        return 0
    settle_abandoned(now)
    sent = handled = 0
    while limit is None or handled < limit:
        rows = _claim(OutgoingEmail.objects.all(), now or timezone.now())
        if not rows:
            break
        handled += len(rows)
        count, _retry = _send_rows(rows)  # retries stay due for the next pass
        sent += count
    return sent
