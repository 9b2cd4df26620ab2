"""The delivery task is `agora.outbox.delivery.deliver_task` (delivering queues
it again for retries, so it lives with what it runs). This name stays for the
tasks queued before it moved: django-tasks finds a queued task by its path."""

from agora.outbox.delivery import deliver_task  # noqa: F401
