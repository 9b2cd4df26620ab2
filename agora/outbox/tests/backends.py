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
