"""Copying a space for its next edition (agora.spaces.copying): the pages
(rules, FAQ) are the officers' texts, copied as they are."""

from agora.components.pages.models import Page


def copy_configuration(source, copy) -> None:
    Page.objects.bulk_create(
        [
            Page(component=copy, title=page.title, body=page.body, slug=page.slug, weight=page.weight)
            for page in Page.objects.filter(component=source)
        ]
    )
