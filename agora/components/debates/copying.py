"""Copying a space for its next edition (agora.spaces.copying, the manifest's
`copy` hook): the organization's official debates come back as the questions
of the new edition (title, description, instructions, category, scope), open
and without dates: the officers date them (the copied space is unpublished
until they publish it). Never what people wrote: participants' debates,
comments, likes, follows, information updates, conclusions."""

from agora.components.debates.models import Debate


def copy_configuration(source, copy) -> None:
    official = Debate.objects.filter(component=source, official=True).order_by("created_at", "id")
    Debate.objects.bulk_create(
        [
            Debate(
                component=copy,
                title=debate.title,
                description=debate.description,
                instructions=debate.instructions,
                official=True,
                author_id=debate.author_id,
                category_id=debate.category_id,
                scope_id=debate.scope_id,
            )
            for debate in official
        ]
    )
