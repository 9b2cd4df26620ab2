"""Every write of the follow-up component: permission, transaction, action log.

Progress of sub-results: a result with children never keeps a progress of
its own; it is the plain mean of its children's (progress.parent_progress).
Every write that changes a child's progress, adds, moves or deletes a child
recomputes the ancestors in the same transaction, bottom-up, each ancestor
locked (SELECT ... FOR UPDATE) while its children are read, so parallel
edits of siblings cannot leave a stale mean behind.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.actionlog.services import trace
from agora.components.accountability import budgets_api, notifications
from agora.components.accountability.models import Milestone, MilestonePhoto, Result, Status
from agora.components.accountability.progress import clamp, parent_progress
from agora.components.budgets.api import Project
from agora.components.models import Component
from agora.components.proposals import api as proposals_api
from agora.core import images
from agora.core.sanitize import clean_translated_html, plain_text_to_html
from agora.core.translations import tr
from agora.core.validators import validate_image
from agora.permissions import require
from agora.taxonomy.models import Category, Scope

Proposal = proposals_api.Proposal

MANAGE = "accountability.manage"


# --- progress of parents --------------------------------------------------------------


def recompute_ancestors(parent_id: int | None) -> None:
    """Set every ancestor from `parent_id` up to the root to the mean of its
    children. Call inside the transaction that changed a child."""
    seen = set()
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        parent = Result.objects.select_for_update().filter(pk=parent_id).first()
        if parent is None:
            return
        value = parent_progress(Result.objects.filter(parent_id=parent_id).values_list("progress", flat=True))
        if value is not None and value != parent.progress:
            Result.objects.filter(pk=parent_id).update(progress=value)
        parent_id = parent.parent_id


def _has_children(result: Result) -> bool:
    return result.pk is not None and Result.objects.filter(parent_id=result.pk).exists()


# --- checks ---------------------------------------------------------------------------


def _to_progress(value: Decimal | int | float | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("The progress must be a number between 0 and 100."), code="progress") from None
    if not number.is_finite() or number < 0 or number > 100:
        raise ValidationError(_("The progress must be a number between 0 and 100."), code="progress")
    return clamp(number)


def _check_links(
    component: Component,
    *,
    category: Category | None,
    scope: Scope | None,
    status: Status | None,
    parent: Result | None,
    result: Result | None = None,
    proposals: Iterable[Proposal] = (),
    projects: Iterable[Project] = (),
) -> None:
    organization_id = component.space.organization_id
    for related in (category, scope):
        if related is not None and related.organization_id != organization_id:
            raise ValidationError(_("This choice belongs to another organization."))
    if status is not None and status.component_id != component.pk:
        raise ValidationError(_("This status belongs to another follow-up component."))
    if parent is not None:
        if parent.component_id != component.pk:
            raise ValidationError(_("The parent result belongs to another follow-up component."))
        ancestor: Result | None = parent
        steps = 0
        while ancestor is not None and steps < 1000:
            if result is not None and ancestor.pk == result.pk:
                raise ValidationError(_("A result cannot be inside itself or one of its sub-results."))
            ancestor = ancestor.parent
            steps += 1
    for proposal in proposals:
        if proposal.component.space.organization_id != organization_id:
            raise ValidationError(_("This idea belongs to another organization."))
    for project in projects:
        if project.component.space.organization_id != organization_id:
            raise ValidationError(_("This project belongs to another organization."))


def _check_dates(start_date: datetime.date | None, end_date: datetime.date | None) -> None:
    if start_date and end_date and end_date < start_date:
        raise ValidationError(_("The end date cannot be before the start date."), code="dates")


def _check_reference(component: Component, reference: str, result: Result | None = None) -> None:
    if not reference:
        return
    others = Result.objects.filter(component=component, reference=reference)
    if result is not None:
        others = others.exclude(pk=result.pk)
    if others.exists():
        raise ValidationError(
            _("Another result already has the reference %(reference)s."),
            params={"reference": reference},
            code="reference",
        )


# --- statuses -------------------------------------------------------------------------

DEFAULT_STATUSES = (
    ("en-etude", tr("En étude", "Being studied"), 10),
    ("travaux-en-cours", tr("Travaux en cours", "Works in progress"), 50),
    ("realise", tr("Réalisé", "Completed"), 100),
    ("abandonne", tr("Abandonné", "Abandoned"), None),
)


def insert_default_statuses(component: Component) -> list[Status]:
    """The four usual statuses, when the component has none (seeds, first use)."""
    if Status.objects.filter(component=component).exists():
        return []
    return [
        Status.objects.create(component=component, token=token, name=name, progress=progress, weight=position)
        for position, (token, name, progress) in enumerate(DEFAULT_STATUSES)
    ]


@transaction.atomic
def create_default_statuses(*, actor: User, component: Component) -> list[Status]:
    require(actor, MANAGE, component)
    statuses = insert_default_statuses(component)
    for status in statuses:
        trace(actor, "accountability.status_created", status, component=component)
    return statuses


def _check_status(component: Component, token: str, progress: int | None, status: Status | None = None) -> None:
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError(_("The progress must be a number between 0 and 100."), code="progress")
    others = Status.objects.filter(component=component, token=token)
    if status is not None:
        others = others.exclude(pk=status.pk)
    if others.exists():
        raise ValidationError(_("Another status already has the code %(code)s."), params={"code": token})


@transaction.atomic
def create_status(
    *,
    actor: User,
    component: Component,
    token: str,
    name: dict,
    description: dict | None = None,
    progress: int | None = None,
    weight: int = 0,
) -> Status:
    require(actor, MANAGE, component)
    _check_status(component, token, progress)
    status = Status.objects.create(
        component=component,
        token=token,
        name=name,
        description=clean_translated_html(description or {}),
        progress=progress,
        weight=weight,
    )
    trace(actor, "accountability.status_created", status, component=component)
    return status


@transaction.atomic
def update_status(
    *,
    actor: User,
    status: Status,
    token: str,
    name: dict,
    description: dict | None = None,
    progress: int | None = None,
    weight: int = 0,
) -> Status:
    """Changing a status's default progress does not change the results
    that already have it (their progress is theirs once set)."""
    require(actor, MANAGE, status.component)
    _check_status(status.component, token, progress, status)
    status.token, status.name, status.progress, status.weight = token, name, progress, weight
    status.description = clean_translated_html(description or {})
    status.save()
    trace(actor, "accountability.status_updated", status, component=status.component)
    return status


@transaction.atomic
def delete_status(*, actor: User, status: Status) -> None:
    """Results that had it keep their progress and have no status any more."""
    require(actor, MANAGE, status.component)
    trace(actor, "accountability.status_deleted", status, component=status.component)
    status.delete()


# --- results --------------------------------------------------------------------------


def insert_result(
    *,
    component: Component,
    title: dict,
    description: dict | None = None,
    category: Category | None = None,
    scope: Scope | None = None,
    address: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    status: Status | None = None,
    progress: Decimal | int | float | str | None = None,
    parent: Result | None = None,
    weight: int = 0,
    reference: str = "",
    proposals: Iterable[Proposal] = (),
    projects: Iterable[Project] = (),
) -> Result:
    """The write itself, without permission or log: for create_result, the
    imports and the demo seed. `progress` None takes the status's default."""
    if not any((title or {}).values()):
        raise ValidationError(_("A result needs a title."), code="title")
    _check_links(
        component, category=category, scope=scope, status=status, parent=parent, proposals=proposals, projects=projects
    )
    _check_dates(start_date, end_date)
    reference = (reference or "").strip()
    _check_reference(component, reference)
    value = _to_progress(progress)
    if value is None:
        value = clamp(status.progress) if status is not None and status.progress is not None else Decimal("0")
    result = Result.objects.create(
        component=component,
        title=title,
        description=clean_translated_html(description or {}),
        category=category,
        scope=scope,
        address=address or "",
        latitude=latitude,
        longitude=longitude,
        start_date=start_date,
        end_date=end_date,
        status=status,
        progress=value,
        parent=parent,
        weight=weight,
        reference=reference,
    )
    if proposals:
        result.proposals.set(proposals)
    if projects:
        result.projects.set(projects)
    recompute_ancestors(result.parent_id)
    return result


@transaction.atomic
def create_result(
    *,
    actor: User,
    component: Component,
    title: dict,
    description: dict | None = None,
    category: Category | None = None,
    scope: Scope | None = None,
    address: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    status: Status | None = None,
    progress: Decimal | int | float | str | None = None,
    parent: Result | None = None,
    weight: int = 0,
    reference: str = "",
    proposals: Iterable[Proposal] = (),
    projects: Iterable[Project] = (),
) -> Result:
    require(actor, MANAGE, component)
    result = insert_result(
        component=component,
        title=title,
        description=description,
        category=category,
        scope=scope,
        address=address,
        latitude=latitude,
        longitude=longitude,
        start_date=start_date,
        end_date=end_date,
        status=status,
        progress=progress,
        parent=parent,
        weight=weight,
        reference=reference,
        proposals=proposals,
        projects=projects,
    )
    trace(actor, "accountability.result_created", result, component=component, visibility=ActionLog.Visibility.PUBLIC)
    return result


@transaction.atomic
def update_result(
    *,
    actor: User,
    result: Result,
    title: dict,
    description: dict | None = None,
    category: Category | None = None,
    scope: Scope | None = None,
    address: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    status: Status | None = None,
    progress: Decimal | int | float | str | None = None,
    parent: Result | None = None,
    weight: int = 0,
    reference: str = "",
    proposals: Iterable[Proposal] | None = None,
    projects: Iterable[Project] | None = None,
) -> Result:
    """`progress` is ignored for a result with sub-results (it is computed).
    When the status changes to one with a default progress and the progress
    given is the one stored (the officer did not touch it), the status's
    default wins. `proposals`/`projects` None keep the links as they are."""
    component = result.component
    require(actor, MANAGE, component)
    stored = Result.objects.select_for_update().get(pk=result.pk)
    if not any((title or {}).values()):
        raise ValidationError(_("A result needs a title."), code="title")
    _check_links(
        component,
        category=category,
        scope=scope,
        status=status,
        parent=parent,
        result=stored,
        proposals=proposals or (),
        projects=projects or (),
    )
    _check_dates(start_date, end_date)
    reference = (reference or "").strip()
    _check_reference(component, reference, stored)
    value = _to_progress(progress)
    status_changed = (status.pk if status else None) != stored.status_id
    if (
        status_changed
        and status is not None
        and status.progress is not None
        and (value is None or value == stored.progress)
    ):
        value = clamp(status.progress)
    if value is None or _has_children(stored):
        value = stored.progress
    old_parent_id, old_status = stored.parent_id, stored.status
    result.title, result.description = title, clean_translated_html(description or {})
    result.category, result.scope, result.address = category, scope, address or ""
    result.latitude, result.longitude = latitude, longitude
    result.start_date, result.end_date = start_date, end_date
    result.status, result.progress, result.parent = status, value, parent
    result.weight, result.reference = weight, reference
    result.save()
    if proposals is not None:
        result.proposals.set(proposals)
    if projects is not None:
        result.projects.set(projects)
    recompute_ancestors(result.parent_id)
    if old_parent_id != result.parent_id:
        recompute_ancestors(old_parent_id)
    result.refresh_from_db(fields=["progress"])
    trace(actor, "accountability.result_updated", result, component=component)
    if status_changed:
        _status_changed(actor, result, old_status, status)
    return result


def _status_changed(actor: User, result: Result, old_status: Status | None, new_status: Status | None) -> None:
    trace(
        actor,
        "accountability.status_changed",
        result,
        component=result.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"from": str(old_status) if old_status else "", "to": str(new_status) if new_status else ""},
        notify=notifications.status_notices(actor, result, old_status, new_status),
    )


@transaction.atomic
def set_progress(*, actor: User, result: Result, progress: Decimal | int | float | str | None) -> Result:
    """Only for a result without sub-results."""
    require(actor, MANAGE, result.component)
    stored = Result.objects.select_for_update().get(pk=result.pk)
    if _has_children(stored):
        raise ValidationError(_("The progress of a result with sub-results is computed from them."))
    value = _to_progress(progress)
    if value is None:
        raise ValidationError(_("The progress must be a number between 0 and 100."), code="progress")
    Result.objects.filter(pk=stored.pk).update(progress=value)
    recompute_ancestors(stored.parent_id)
    result.progress = value
    trace(actor, "accountability.result_updated", result, component=result.component, data={"progress": str(value)})
    return result


@transaction.atomic
def move_result(*, actor: User, result: Result, parent: Result | None) -> Result:
    require(actor, MANAGE, result.component)
    stored = Result.objects.select_for_update().get(pk=result.pk)
    _check_links(result.component, category=None, scope=None, status=None, parent=parent, result=stored)
    old_parent_id = stored.parent_id
    Result.objects.filter(pk=stored.pk).update(parent=parent)
    result.parent = parent
    recompute_ancestors(parent.pk if parent else None)
    recompute_ancestors(old_parent_id)
    trace(actor, "accountability.result_moved", result, component=result.component)
    return result


@transaction.atomic
def delete_result(*, actor: User, result: Result) -> None:
    """Deletes its sub-results and milestones too; the parent's progress follows."""
    component = result.component
    require(actor, MANAGE, component)
    stored = Result.objects.select_for_update().get(pk=result.pk)
    photos = list(MilestonePhoto.objects.filter(milestone__result__in=_subtree_ids(stored)))
    trace(actor, "accountability.result_deleted", stored, component=component)
    stored.delete()
    for photo in photos:
        images.delete_image_after_commit(photo.image.storage, photo.image.name, photo.variants)
    recompute_ancestors(stored.parent_id)


def _subtree_ids(result: Result) -> list[int]:
    ids, frontier = [result.pk], [result.pk]
    while frontier:
        frontier = list(Result.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


@transaction.atomic
def bulk_change_status(*, actor: User, component: Component, results: Iterable[Result], status: Status) -> int:
    """Give `status` to every result listed; a leaf also takes the status's
    default progress when it has one. Returns how many changed."""
    require(actor, MANAGE, component)
    if status.component_id != component.pk:
        raise ValidationError(_("This status belongs to another follow-up component."))
    ids = [result.pk for result in results]
    changed, parents = 0, set()
    for stored in (
        Result.objects.select_for_update(of=("self",)).filter(component=component, pk__in=ids).select_related("status")
    ):
        if stored.status_id == status.pk:
            continue
        old_status = stored.status
        stored.status = status
        fields = ["status", "updated_at"]
        if status.progress is not None and not _has_children(stored):
            stored.progress = clamp(status.progress)
            fields.append("progress")
            parents.add(stored.parent_id)
        stored.save(update_fields=fields)
        stored.component = component
        _status_changed(actor, stored, old_status, status)
        changed += 1
    for parent_id in parents:
        recompute_ancestors(parent_id)
    if changed:
        trace(actor, "accountability.bulk_status_changed", status, component=component, data={"count": changed})
    return changed


# --- milestones and photos ------------------------------------------------------------


def _check_milestone(title: dict, date: datetime.date | None) -> None:
    if not any((title or {}).values()):
        raise ValidationError(_("A milestone needs a title."), code="title")
    if date is None:
        raise ValidationError(_("A milestone needs a date."), code="date")


def insert_milestone(*, result: Result, date: datetime.date, title: dict, description: dict | None = None) -> Milestone:
    _check_milestone(title, date)
    return Milestone.objects.create(
        result=result, date=date, title=title, description=clean_translated_html(description or {})
    )


@transaction.atomic
def create_milestone(
    *, actor: User, result: Result, date: datetime.date, title: dict, description: dict | None = None
) -> Milestone:
    require(actor, MANAGE, result.component)
    milestone = insert_milestone(result=result, date=date, title=title, description=description)
    trace(
        actor,
        "accountability.milestone_created",
        milestone,
        component=result.component,
        visibility=ActionLog.Visibility.PUBLIC,
    )
    return milestone


@transaction.atomic
def update_milestone(
    *, actor: User, milestone: Milestone, date: datetime.date, title: dict, description: dict | None = None
) -> Milestone:
    component = milestone.result.component
    require(actor, MANAGE, component)
    _check_milestone(title, date)
    milestone.date, milestone.title = date, title
    milestone.description = clean_translated_html(description or {})
    milestone.save()
    trace(actor, "accountability.milestone_updated", milestone, component=component)
    return milestone


@transaction.atomic
def delete_milestone(*, actor: User, milestone: Milestone) -> None:
    component = milestone.result.component
    require(actor, MANAGE, component)
    trace(actor, "accountability.milestone_deleted", milestone, component=component)
    for photo in milestone.photos.all():
        images.delete_image_after_commit(photo.image.storage, photo.image.name, photo.variants)
    milestone.delete()


def _check_photo(image: File | None, alt: dict) -> None:
    if not image:
        raise ValidationError(_("Choose a photo."), code="image")
    if isinstance(image, UploadedFile):
        validate_image(image)
    if not any((text or "").strip() for text in (alt or {}).values()):
        raise ValidationError(_("Describe the photo for people who cannot see it."), code="alt")


def insert_photo(*, milestone: Milestone, image: File, alt: dict, weight: int = 0) -> MilestonePhoto:
    _check_photo(image, alt)
    photo = MilestonePhoto(milestone=milestone, alt=alt, weight=weight)
    # Upright and without its metadata (agora.core.images); copies made once it is stored.
    photo.image = images.clean_image(image)
    photo.save()
    photo.variants = images.make_variants(photo.image.storage, photo.image.name)
    photo.save(update_fields=["variants"])
    return photo


@transaction.atomic
def add_photo(*, actor: User, milestone: Milestone, image: File, alt: dict, weight: int = 0) -> MilestonePhoto:
    component = milestone.result.component
    require(actor, MANAGE, component)
    photo = insert_photo(milestone=milestone, image=image, alt=alt, weight=weight)
    trace(actor, "accountability.photo_added", photo, component=component)
    return photo


@transaction.atomic
def update_photo(*, actor: User, photo: MilestonePhoto, alt: dict, weight: int = 0) -> MilestonePhoto:
    component = photo.milestone.result.component
    require(actor, MANAGE, component)
    _check_photo(photo.image, alt)
    photo.alt, photo.weight = alt, weight
    photo.save()
    trace(actor, "accountability.photo_updated", photo, component=component)
    return photo


@transaction.atomic
def delete_photo(*, actor: User, photo: MilestonePhoto) -> None:
    component = photo.milestone.result.component
    require(actor, MANAGE, component)
    trace(actor, "accountability.photo_deleted", photo, component=component)
    images.delete_image_after_commit(photo.image.storage, photo.image.name, photo.variants)
    photo.delete()


# --- import from ideas and budget projects ----------------------------------------------


def importable_proposals(component: Component, source: Component) -> QuerySet[Proposal]:
    """Accepted ideas (published answer) of `source` not yet linked to a
    result of `component`."""
    return (
        proposals_api.accepted_ideas(component=source)
        .published()
        .exclude(follow_up__component=component)
        .select_related("category", "scope", "component__space")
        .order_by("id")
    )


def _check_source(component: Component, source: Component, manifest_name: str) -> None:
    if source.manifest_name != manifest_name or source.space.organization_id != component.space.organization_id:
        raise ValidationError(_("Choose a component of this organization."))


@transaction.atomic
def import_proposals(
    *, actor: User, component: Component, source: Component, status: Status | None = None
) -> list[Result]:
    """One result per accepted idea of `source` (a proposals component),
    linked to it, unless a result of this component already comes from it
    (importing twice creates nothing new)."""
    require(actor, MANAGE, component)
    _check_source(component, source, "proposals")
    if status is not None and status.component_id != component.pk:
        raise ValidationError(_("This status belongs to another follow-up component."))
    created: list = []
    for proposal in importable_proposals(component, source).select_for_update(of=("self",)):
        title = {code: proposal.title for code in component.space.organization.languages} or {"fr": proposal.title}
        created.append(
            insert_result(
                component=component,
                title=title,
                description={code: plain_text_to_html(proposal.body) for code in title},
                category=proposal.category,
                scope=proposal.scope,
                address=proposal.address,
                latitude=proposal.latitude,
                longitude=proposal.longitude,
                status=status,
                weight=len(created),
                proposals=[proposal],
            )
        )
    if created:
        trace(
            actor,
            "accountability.imported",
            component,
            component=component,
            data={"source": source.pk, "kind": "proposals", "count": len(created)},
        )
    return created


def importable_projects(component: Component, source: Component) -> QuerySet[Project]:
    """Selected projects of the budgets of `source` (a budgets component) not
    yet linked to a result of `component`."""
    return budgets_api.selected_projects(source).exclude(follow_up__component=component)


@transaction.atomic
def import_projects(
    *, actor: User, component: Component, source: Component, status: Status | None = None
) -> list[Result]:
    require(actor, MANAGE, component)
    _check_source(component, source, "budgets")
    if status is not None and status.component_id != component.pk:
        raise ValidationError(_("This status belongs to another follow-up component."))
    created: list = []
    for project in importable_projects(component, source):
        fields = budgets_api.result_fields_of(project, component.space.organization.languages)
        created.append(
            insert_result(
                component=component,
                status=status,
                weight=len(created),
                projects=[project],
                proposals=budgets_api.proposals_of(project),
                **fields,
            )
        )
    if created:
        trace(
            actor,
            "accountability.imported",
            component,
            component=component,
            data={"source": source.pk, "kind": "budgets", "count": len(created)},
        )
    return created
