"""SMS backends: settings.AGORA_SMS_BACKEND is the dotted path of one.

send_sms("+33612345678", "Your code: 123456")
"""

import json
import logging
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from agora.core.outgoing import OutgoingRequestError, safe_post

logger = logging.getLogger(__name__)


class SmsError(Exception):
    pass


class BaseBackend:
    def send(self, to: str, text: str) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """The demo: messages are written to the console."""

    def send(self, to, text):
        sys.stdout.write(f"SMS to {to}: {text}\n")
        sys.stdout.flush()


class FileBackend(BaseBackend):
    """One file per day in settings.AGORA_SMS_FILE_PATH."""

    _lock = threading.Lock()

    def send(self, to, text):
        folder = Path(settings.AGORA_SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"at": timezone.now().isoformat(), "to": to, "text": text}, ensure_ascii=False)
        with self._lock, open(folder / f"{timezone.localdate().isoformat()}.log", "a", encoding="utf-8") as out:
            out.write(line + "\n")


class LocmemBackend(BaseBackend):
    """Tests: messages are kept in `LocmemBackend.outbox`."""

    outbox: list[dict] = []

    def send(self, to, text):
        self.outbox.append({"to": to, "text": text})


class HttpGatewayBackend(BaseBackend):
    """Production: POST {"to", "from", "text"} as JSON to AGORA_SMS_GATEWAY_URL
    with a bearer token. Most gateways accept this shape or a thin proxy."""

    def send(self, to, text):
        if not settings.AGORA_SMS_GATEWAY_URL:
            raise SmsError("AGORA_SMS_GATEWAY_URL is not set")
        try:
            # Through the one outgoing guard (timeouts, size, no redirect to a private address);
            # the gateway's own host may be private: the operator configured it.
            safe_post(
                settings.AGORA_SMS_GATEWAY_URL,
                json={"to": to, "from": settings.AGORA_SMS_SENDER, "text": text},
                headers={"Authorization": f"Bearer {settings.AGORA_SMS_GATEWAY_TOKEN}"},
                operator_configured=True,
            )
        except OutgoingRequestError as error:
            logger.warning("SMS gateway error: %s", error)
            raise SmsError(str(error)) from error


def send_sms(to: str, text: str) -> None:
    import_string(settings.AGORA_SMS_BACKEND)().send(to, text)
