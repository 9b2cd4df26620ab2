"""Every write of the debates component: permission, transaction, action log
and notices (agora.actionlog.services.trace)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.actionlog.services import Notice, trace
from agora.components.debates.models import Debate, DebateLike, DebateUpdate
from agora.components.models import Component
from agora.components.selectors import for_write
from agora.core.sanitize import clean_translated_html, plain_text_to_html
from agora.follows.services import add_follow
from agora.moderation.limits import check_posting_rate
from agora.permissions import require
from agora.statistics import api as statistics
from agora.taxonomy.models import Category, Scope

TITLE_MAX = 150
DESCRIPTION_MIN, DESCRIPTION_MAX = 15, 3000

NEW_DEBATE, INFORMATION_ADDED, CLOSED = "debates.new_debate", "debates.information_added", "debates.closed"


def _has_text(value: dict) -> bool:
    return any(strip_tags(text or "").strip() for text in (value or {}).values())


def _check_dates(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")})


def _check_taxonomy(component: Component, category: Category | None, scope: Scope | None) -> None:
    organization_id = component.space.organization_id
    if category is not None and category.organization_id != organization_id:
        raise ValidationError({"category": _("Choose one of the categories offered.")})
    if scope is not None and scope.organization_id != organization_id:
        raise ValidationError({"scope": _("Choose one of the scopes offered.")})


def insert_debate(
    *,
    component: Component,
    title: dict,
    description: dict,
    instructions: dict | None = None,
    official: bool = True,
    author: User | None = None,
    category: Category | None = None,
    scope: Scope | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> Debate:
    """The write itself, without permission or log: for the services below and
    the demo seed (which runs with no person)."""
    if not _has_text(title):
        raise ValidationError({"title": _("Give the debate a title.")})
    _check_dates(starts_at, ends_at)
    _check_taxonomy(component, category, scope)
    return Debate.objects.create(
        component=component,
        title={code: text.strip() for code, text in title.items() if text},
        description=clean_translated_html(description),
        instructions=clean_translated_html(instructions or {}),
        official=official,
        author=author,
        category=category,
        scope=scope,
        starts_at=starts_at,
        ends_at=ends_at,
    )


def _announce(actor: User, debate: Debate) -> None:
    """The public activity and the followers of the space (and of the author)."""
    trace(
        actor,
        "debates.debate_created",
        debate,
        component=debate.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"official": debate.official},
        notify=[
            Notice(NEW_DEBATE, followers=True, actor=None if debate.official else actor, url=debate.get_absolute_url())
        ],
    )


@transaction.atomic
def create_official_debate(
    *,
    actor: User,
    component: Component,
    title: dict,
    description: dict,
    instructions: dict | None = None,
    category: Category | None = None,
    scope: Scope | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> Debate:
    require(actor, "debates.manage", component)
    debate = insert_debate(
        component=component,
        title=title,
        description=description,
        instructions=instructions,
        official=True,
        author=actor,
        category=category,
        scope=scope,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    _announce(actor, debate)
    return debate


@transaction.atomic
def create_debate(
    *,
    actor: User,
    component: Component,
    title: str,
    description: str,
    category: Category | None = None,
    scope: Scope | None = None,
) -> Debate:
    """A participant opens a debate (when the component allows it): plain
    text, in the language of the page. The author follows it."""
    # Whether participants may open debates is what is committed now, not what the page loaded.
    component = for_write(component)
    require(actor, "debates.create", component)
    title, description = (title or "").strip(), (description or "").strip()
    _check_participant_texts(title, description)
    check_posting_rate(actor, "debate")
    language = _page_language(component)
    debate = insert_debate(
        component=component,
        title={language: title},
        description={language: plain_text_to_html(description)},
        official=False,
        author=actor,
        category=category,
        scope=scope,
    )
    add_follow(user=actor, target=debate)
    _announce(actor, debate)
    statistics.record(kind=statistics.DEBATE, component=component, person=actor)
    return debate


def _check_participant_texts(title: str, description: str) -> None:
    errors = {}
    if not title:
        errors["title"] = _("Give the debate a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("A title has at most %(limit)s characters.") % {"limit": TITLE_MAX}
    if len(description) < DESCRIPTION_MIN:
        errors["description"] = _("Say what the debate is about in at least %(limit)s characters.") % {
            "limit": DESCRIPTION_MIN
        }
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("A description has at most %(limit)s characters.") % {"limit": DESCRIPTION_MAX}
    if errors:
        raise ValidationError(errors)


def _page_language(component: Component) -> str:
    organization = component.space.organization
    language = (get_language() or "").split("-")[0]
    return language if language in organization.languages else organization.default_language


@transaction.atomic
def update_debate(
    *,
    actor: User,
    debate: Debate,
    title: str,
    description: str,
    category: Category | None = None,
    scope: Scope | None = None,
) -> Debate:
    """The participant who opened a debate edits it while it is not closed
    (rules: `debates.edit`), in plain text, in the language of the page. The
    row is locked: a close and an edit at once apply one after the other, and
    the edit of a debate closed meanwhile is refused."""
    locked = Debate.objects.select_for_update().select_related("component__space__organization").get(pk=debate.pk)
    require(actor, "debates.edit", locked)
    title, description = (title or "").strip(), (description or "").strip()
    _check_participant_texts(title, description)
    _check_taxonomy(locked.component, category, scope)
    language = _page_language(locked.component)
    locked.title = {language: title}
    locked.description = {language: plain_text_to_html(description)}
    locked.category, locked.scope = category, scope
    locked.save(update_fields=["title", "description", "category", "scope", "updated_at"])
    trace(actor, "debates.debate_updated", locked, component=locked.component, data={"by": "author"})
    return locked


def like(*, actor: User, debate: Debate) -> bool:
    """`actor` likes `debate`; False when they already did (a second click, two
    tabs: the unique constraint keeps one like)."""
    with transaction.atomic():
        fresh = Debate.objects.select_related("component__space__organization").get(pk=debate.pk)
        require(actor, "debates.like", fresh)
        try:
            with transaction.atomic():
                DebateLike.objects.create(debate=fresh, person=actor)
        except IntegrityError:
            return False
        trace(actor, "debates.liked", fresh, component=fresh.component)
    return True


def unlike(*, actor: User, debate: Debate) -> bool:
    """`actor` takes their like back; False when there was none."""
    with transaction.atomic():
        fresh = Debate.objects.select_related("component__space__organization").get(pk=debate.pk)
        require(actor, "debates.unlike", fresh)
        removed, _kinds = DebateLike.objects.filter(debate=fresh, person=actor).delete()
        if removed:
            trace(actor, "debates.unliked", fresh, component=fresh.component)
    return bool(removed)


@transaction.atomic
def update_official_debate(
    *,
    actor: User,
    debate: Debate,
    title: dict,
    description: dict,
    instructions: dict,
    category: Category | None = None,
    scope: Scope | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> Debate:
    require(actor, "debates.manage", debate.component)
    stored = Debate.objects.select_for_update().get(pk=debate.pk)
    if not stored.official:
        raise ValidationError(_("A debate a participant opened is theirs: it cannot be edited here."))
    if not _has_text(title):
        raise ValidationError({"title": _("Give the debate a title.")})
    _check_dates(starts_at, ends_at)
    _check_taxonomy(stored.component, category, scope)
    debate.title = {code: text.strip() for code, text in title.items() if text}
    debate.description = clean_translated_html(description)
    debate.instructions = clean_translated_html(instructions or {})
    debate.category, debate.scope, debate.starts_at, debate.ends_at = category, scope, starts_at, ends_at
    debate.official, debate.author_id = True, stored.author_id
    debate.closed_at, debate.closed_by_id, debate.conclusions = (
        stored.closed_at,
        stored.closed_by_id,
        stored.conclusions,
    )
    debate.save()
    trace(actor, "debates.debate_updated", debate, component=debate.component)
    return debate


@transaction.atomic
def add_information(*, actor: User, debate: Debate, body: dict) -> DebateUpdate:
    """An information update of the organization; the debate's followers are told."""
    require(actor, "debates.manage", debate.component)
    if not _has_text(body):
        raise ValidationError({"body": _("Write the information to add.")})
    update = DebateUpdate.objects.create(debate=debate, body=clean_translated_html(body), author=actor)
    trace(
        actor,
        "debates.information_added",
        debate,
        component=debate.component,
        visibility=ActionLog.Visibility.PUBLIC,
        notify=[
            Notice(
                INFORMATION_ADDED,
                followers=True,
                space_followers=False,
                actor=None,
                url=f"{debate.get_absolute_url()}#update-{update.pk}",
            )
        ],
    )
    return update


@transaction.atomic
def delete_information(*, actor: User, update: DebateUpdate) -> None:
    require(actor, "debates.manage", update.debate.component)
    trace(actor, "debates.information_deleted", update.debate, component=update.debate.component)
    update.delete()


@transaction.atomic
def close_debate(*, actor: User, debate: Debate, conclusions: dict) -> Debate:
    """The organization or the author closes the debate with conclusions: it
    stays readable, takes no new comment, and its followers are told."""
    locked = Debate.objects.select_for_update().select_related("component__space__organization").get(pk=debate.pk)
    require(actor, "debates.close", locked)
    if not _has_text(conclusions):
        raise ValidationError({"conclusions": _("Write the conclusions of the debate.")})
    locked.conclusions = clean_translated_html(conclusions)
    locked.closed_at = timezone.now()
    locked.closed_by = actor
    locked.save(update_fields=["conclusions", "closed_at", "closed_by", "updated_at"])
    trace(
        actor,
        "debates.debate_closed",
        locked,
        component=locked.component,
        visibility=ActionLog.Visibility.PUBLIC,
        notify=[Notice(CLOSED, followers=True, space_followers=False, actor=None, url=locked.get_absolute_url())],
    )
    debate.conclusions, debate.closed_at, debate.closed_by = locked.conclusions, locked.closed_at, actor
    return locked
