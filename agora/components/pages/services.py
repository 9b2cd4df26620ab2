"""Every write of the pages component: permission, transaction, action log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.services import trace
from agora.components.models import Component
from agora.components.pages.models import Page
from agora.core.sanitize import clean_translated_html
from agora.core.translations import translated
from agora.permissions import require


def _unique_slug(component: Component, wanted: str, title: dict, *, exclude_pk: int | None = None) -> str:
    others = Page.objects.filter(component=component).exclude(pk=exclude_pk)  # type: ignore[misc]  # pk=None excludes nothing
    if wanted:
        if others.filter(slug=wanted).exists():
            raise ValidationError(_("Another page of this component already uses this address."))
        return wanted
    base = slugify(translated(title, component.space.organization.default_language))[:70] or "page"
    slug, number = base, 2
    while others.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def insert_page(*, component: Component, title: dict, body: dict, slug: str = "") -> Page:
    """The write itself, without permission or log: for
    create_page and the demo seed (which runs with no person)."""
    last = Page.objects.filter(component=component).aggregate(last=Max("weight"))["last"]
    return Page.objects.create(
        component=component,
        title=title,
        body=clean_translated_html(body),
        slug=_unique_slug(component, slug, title),
        weight=0 if last is None else last + 1,
    )


@transaction.atomic
def create_page(*, actor: User, component: Component, title: dict, body: dict, slug: str = "") -> Page:
    require(actor, "component.manage", component)
    page = insert_page(component=component, title=title, body=body, slug=slug)
    trace(actor, "pages.page_created", page, component=page.component)
    return page


@transaction.atomic
def update_page(*, actor: User, page: Page, title: dict, body: dict, slug: str = "") -> Page:
    require(actor, "component.manage", page.component)
    page.title = title
    page.body = clean_translated_html(body)
    page.slug = _unique_slug(page.component, slug, title, exclude_pk=page.pk)
    page.save()
    trace(actor, "pages.page_updated", page, component=page.component)
    return page


@transaction.atomic
def delete_page(*, actor: User, page: Page) -> None:
    require(actor, "component.manage", page.component)
    trace(actor, "pages.page_deleted", page, component=page.component)
    page.delete()


@transaction.atomic
def move_page(*, actor: User, page: Page, direction: str) -> None:
    """Move a page one place up or down in its component's order."""
    require(actor, "component.manage", page.component)
    pages = list(Page.objects.select_for_update().filter(component=page.component).order_by("weight", "id"))
    position = next(i for i, p in enumerate(pages) if p.pk == page.pk)
    target = position - 1 if direction == "up" else position + 1
    if not 0 <= target < len(pages):
        return
    pages[position], pages[target] = pages[target], pages[position]
    for weight, each in enumerate(pages):
        if each.weight != weight:
            each.weight = weight
            each.save(update_fields=["weight"])
    trace(actor, "pages.page_moved", page, component=page.component)
