"""E-mail backends of the tests: a relay that refuses connections, or
answers a given SMTP error, while `failure` is set (otherwise Django's locmem
backend: messages land in django.core.mail.outbox)."""

from django.core.mail.backends.locmem import EmailBackend


class FlakyRelay(EmailBackend):
    failure: BaseException | None = None
    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        if type(self).failure is not None:
            raise type(self).failure
        return super().send_messages(messages)


class WorkerKilled(BaseException):
    """The worker process killed (SIGKILL): nothing after it runs, no `except Exception` catches it."""


class DyingRelay(EmailBackend):
    """The relay accepts every message (django.core.mail.outbox); the worker
    dies right after the relay accepted message number `die_after` (counted
    from the start of the test), before it can record the answer."""

    die_after: int | None = None
    accepted = 0

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        type(self).accepted += sent
        if type(self).die_after is not None and type(self).accepted >= type(self).die_after:
            type(self).die_after = None  # the worker started again is alive
            raise WorkerKilled("killed after the relay accepted the message")
        return sent
