"""Copying a space for its next edition (agora.spaces.copying): the statuses
of the follow-up, not the results (each edition follows its own winners)."""

from agora.components.accountability.models import Status


def copy_configuration(source, copy) -> None:
    Status.objects.bulk_create(
        [
            Status(
                component=copy,
                token=status.token,
                name=status.name,
                description=status.description,
                progress=status.progress,
                weight=status.weight,
            )
            for status in Status.objects.filter(component=source)
        ]
    )
