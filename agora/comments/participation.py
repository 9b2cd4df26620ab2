"""Comments as participation statistics read them again (`manage.py
rebuild_statistics`): each comment participants wrote in a component, official
answers left out (agora.statistics.api.register_source)."""

from django.utils import timezone

from agora.comments.models import Comment
from agora.components.models import Component
from agora.statistics import api as statistics


def comments_of(organization):
    components = {component.pk: component for component in Component.objects.filter(space__organization=organization)}
    rows = (
        Comment.objects.filter(organization=organization, component__isnull=False, official=False)
        .values_list("component_id", "created_at", "author_id")
        .iterator(chunk_size=5000)
    )
    for component_id, created_at, author_id in rows:
        component = components.get(component_id)
        if component is not None:
            yield (
                component,
                statistics.Event(statistics.COMMENT, statistics.ONLINE, timezone.localdate(created_at), author_id),
            )
