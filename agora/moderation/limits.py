"""Posting limits per account: how many comments, ideas, messages or
reports one person may post in a time window.

    from agora.moderation.limits import check_posting_rate

    @transaction.atomic
    def post_comment(*, actor, ...):
        require(actor, ...)
        check_posting_rate(actor, "comment")   # raises PostingLimitReached (a ValidationError)
        ...

`check_posting_rate` counts the post and raises when a limit is reached; a
refused attempt is not counted, and when the caller's transaction rolls back
the count rolls back with it. Limits come from `settings.AGORA_POSTING_LIMITS`
({kind: [(max posts, window in seconds), ...]}), merged over DEFAULT_LIMITS;
a kind with no rule is not limited. Counters are database rows
(PostingCounter) updated with F() under the row lock, so several app servers
count together and concurrent posts are not lost.
"""

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from agora.core import formats
from agora.moderation.models import PostingCounter
from agora.permissions import ALLOWED, Decision, deny

DEFAULT_LIMITS: dict[str, list[tuple[int, int]]] = {
    "comment": [(5, 60), (60, 3600)],
    "idea": [(5, 3600), (20, 86400)],
    "debate": [(3, 3600), (10, 86400)],
    "meeting": [(3, 3600), (10, 86400)],
    "message": [(10, 60), (100, 3600)],
    "conversation": [(10, 3600), (30, 86400)],
    "report": [(10, 600), (50, 86400)],
}


class PostingLimitReached(ValidationError):
    """A ValidationError whose message says when the person can post again."""

    def __init__(self, retry_at: datetime):
        self.retry_at = retry_at
        super().__init__(retry_message(retry_at), code="posting_limit")


def limits_for(kind: str) -> list[tuple[int, int]]:
    configured = getattr(settings, "AGORA_POSTING_LIMITS", None) or {}
    rules = configured.get(kind, DEFAULT_LIMITS.get(kind, []))
    return [(int(count), int(seconds)) for count, seconds in rules or []]


def retry_message(retry_at: datetime) -> str:
    local = timezone.localtime(retry_at)
    now = timezone.now()
    when = formats.time(local)
    if local.date() != timezone.localtime(now).date():
        when = formats.long_datetime(local)
    return _("You have posted a lot in a short time. You can post again at %(when)s (in %(delay)s).") % {
        "when": when,
        "delay": timeuntil(retry_at, now),
    }


def _window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=dt_timezone.utc)


def _increment(user, kind: str, seconds: int, start: datetime) -> int:
    rows = PostingCounter.objects.filter(user=user, kind=kind, window_seconds=seconds, window_start=start)
    if not rows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                PostingCounter.objects.create(user=user, kind=kind, window_seconds=seconds, window_start=start, count=1)
        except IntegrityError:  # another process opened the window at the same moment
            rows.update(count=F("count") + 1)
        else:
            # A new window: forget this person's finished windows of this kind.
            PostingCounter.objects.filter(user=user, kind=kind, window_seconds=seconds, window_start__lt=start).delete()
    return rows.values_list("count", flat=True).get()


def check_posting_rate(user, kind: str, *, now: datetime | None = None) -> None:
    """Count one post of `kind` by `user`; raise PostingLimitReached (nothing
    counted) when it would go over a limit."""
    rules = limits_for(kind)
    if not rules or not getattr(user, "is_authenticated", False):
        return
    now = now or timezone.now()
    with transaction.atomic():
        retry_at = None
        for limit, seconds in rules:
            start = _window_start(now, seconds)
            if _increment(user, kind, seconds, start) > limit:
                end = start + timedelta(seconds=seconds)
                retry_at = max(retry_at, end) if retry_at else end
        if retry_at:
            raise PostingLimitReached(retry_at)  # rolls the counts of this attempt back


def posting_rate_decision(user, kind: str, *, now: datetime | None = None) -> Decision:
    """Read-only: may the person post one more `kind` now? For pages that
    show the limit before the form is filled in."""
    rules = limits_for(kind)
    if not rules or not getattr(user, "is_authenticated", False):
        return ALLOWED
    now = now or timezone.now()
    retry_at = None
    counts = {
        (row.window_seconds, row.window_start): row.count for row in PostingCounter.objects.filter(user=user, kind=kind)
    }
    for limit, seconds in rules:
        start = _window_start(now, seconds)
        if counts.get((seconds, start), 0) >= limit:
            end = start + timedelta(seconds=seconds)
            retry_at = max(retry_at, end) if retry_at else end
    return deny(retry_message(retry_at)) if retry_at else ALLOWED
