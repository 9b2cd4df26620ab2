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
    Draw.objects.filter(pk=draw_id).update(state=Draw.State.RUNNING, progress="")
    last = [0.0]

    def progress(message: str, fraction: float) -> None:
        if time.monotonic() - last[0] > 1.0:  # at most one write a second
            last[0] = time.monotonic()
            Draw.objects.filter(pk=draw_id).update(progress=message[:200])

    try:
        instance = pool.Instance.from_canonical(draw.pool, draw.quotas)
        distribution = algorithms.select(instance, draw.algorithm, progress)
        legacy = distribution if draw.algorithm == "legacy" else algorithms.legacy(instance, progress, runs=LEGACY_RUNS)
    except Exception as exc:
        logger.exception("The sortition draw %s failed", draw_id)
        Draw.objects.filter(pk=draw_id).update(state=Draw.State.FAILED, error=str(exc)[:2000])
        return "failed"
    Draw.objects.filter(pk=draw_id).update(
        state=Draw.State.READY,
        progress="",
        distribution=distribution.document(),
        distribution_sha256=distribution.sha256(),
        probabilities=distribution.probabilities(),
        legacy_probabilities=legacy.probabilities(),
        seconds=distribution.seconds,
    )
    return "ready"
