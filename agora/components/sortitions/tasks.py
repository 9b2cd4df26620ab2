"""The selection in the background worker (django-tasks), with its progress: the
distribution (LEXIMIN, maximin or legacy) and, for the comparison, the legacy
method's probabilities, stored with the distribution's hash, which is published
before the draw."""

import logging
import time

from django_tasks import task

from agora.components.sortitions.models import Draw
from agora.sortition import algorithms, pool

logger = logging.getLogger(__name__)
LEGACY_RUNS = 300


@task()
def compute(draw_id: int) -> str:
    draw = Draw.objects.filter(pk=draw_id).first()
    if draw is None or draw.state != Draw.State.PENDING:
        return "nothing to do"
    Draw.objects.filter(pk=draw_id).update(state=Draw.State.RUNNING, progress="", percent=0)
    last = [0.0]
    done = [0]

    def reporter(start: int, end: int) -> algorithms.Progress:
        """The engine's progress (a fraction, or negative when it cannot tell) mapped onto
        start..end %, written at most once a second and never backwards."""

        def progress(message: str, fraction: float) -> None:
            if fraction >= 0:
                done[0] = max(done[0], start + int((end - start) * min(fraction, 1.0)))
            if time.monotonic() - last[0] > 1.0:
                last[0] = time.monotonic()
                Draw.objects.filter(pk=draw_id).update(progress=message[:200], percent=done[0])

        return progress

    try:
        instance = pool.Instance.from_canonical(draw.pool, draw.quotas)
        only = draw.algorithm == "legacy"
        distribution = algorithms.select(instance, draw.algorithm, reporter(0, 99 if only else 90))
        legacy = distribution if only else algorithms.legacy(instance, reporter(90, 99), runs=LEGACY_RUNS)
    except Exception as exc:
        logger.exception("The sortition draw %s failed", draw_id)
        Draw.objects.filter(pk=draw_id).update(state=Draw.State.FAILED, error=str(exc)[:2000])
        return "failed"
    Draw.objects.filter(pk=draw_id).update(
        state=Draw.State.READY,
        progress="",
        percent=100,
        distribution=distribution.document(),
        distribution_sha256=distribution.sha256(),
        probabilities=distribution.probabilities(),
        legacy_probabilities=legacy.probabilities(),
        seconds=distribution.seconds,
    )
    return "ready"
