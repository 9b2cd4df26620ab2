"""The analysis in the background worker (django-tasks): queued once for the votes
of a few seconds (services.request_recompute), never run by a page."""

import logging

from django_tasks import task

from agora.components.opinions import computing
from agora.components.opinions.models import Conversation

logger = logging.getLogger(__name__)


@task()
def recompute_task(conversation_id: int) -> str:
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return "gone"
    # Votes cast from now on ask for the next computation.
    computing.clear_request(conversation_id)
    try:
        result = computing.compute(conversation)
    except Exception:
        logger.exception("The analysis of opinion map %s failed", conversation_id)
        return "failed"
    return f"k={result.data.get('k')} in {result.seconds}s"
