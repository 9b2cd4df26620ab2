"""Writes on categories, scope types and scopes, and the CSV import of scopes."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, cast

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.services import log_action
from agora.core import images
from agora.core.csvfiles import CsvImportError, open_reader
from agora.core.models import Organization
from agora.core.sanitize import clean_translated_html
from agora.permissions import require
from agora.taxonomy.models import Category, Scope, ScopeType

# --- categories -------------------------------------------------------------------


def _check_category_parent(
    organization: Organization, parent: Category | None, category: Category | None = None
) -> None:
    if parent is None:
        return
    if parent.organization_id != organization.pk:
        raise ValidationError(_("This choice belongs to another organization."))
    if parent.parent_id is not None:
        raise ValidationError(_("A sub-category cannot have sub-categories: choose a main category as parent."))
    if category is not None:
        if parent.pk == category.pk:
            raise ValidationError(_("A category cannot be its own parent."))
        if category.children.exists():
            raise ValidationError(_("This category has sub-categories, so it cannot become a sub-category."))


def create_category(
    *,
    actor: User,
    organization: Organization,
    name: dict,
    description: dict | None = None,
    parent: Category | None = None,
    colour: str = "",
    weight: int = 0,
    image: File | None = None,
    image_alt: dict | None = None,
) -> Category:
    """`image`: the category's own picture, on the cards of what has no picture
    (checked by its content, stored upright and without metadata, with its
    smaller copies); `image_alt` describes it (required with an image)."""
    require(actor, "taxonomy.manage", organization)
    _check_category_parent(organization, parent)
    images.check_picture(image, image_alt)
    with transaction.atomic():
        category = Category(
            organization=organization,
            parent=parent,
            name=name,
            description=clean_translated_html(description or {}),
            colour=colour,
            weight=weight,
            image_alt=image_alt or {},
        )
        if image:
            category.image = images.clean_image(image)
        category.save()
        _make_variants(category, image)
        log_action(actor=actor, verb="category.create", target=category, organization=organization)
    return category


def _make_variants(category: Category, image: File | Literal[False] | None) -> None:
    if image:
        category.image_variants = images.make_variants(category.image.storage, category.image.name)
        category.save(update_fields=["image_variants"])


def update_category(
    *,
    actor: User,
    category: Category,
    name: dict,
    description: dict | None = None,
    parent: Category | None = None,
    colour: str = "",
    weight: int = 0,
    image: File | Literal[False] | None = None,
    image_alt: dict | None = None,
) -> Category:
    """`image`: None keeps the current image, False removes it, a file
    replaces it; `image_alt` None keeps the current description."""
    organization = category.organization
    require(actor, "taxonomy.manage", organization)
    _check_category_parent(organization, parent, category)
    with transaction.atomic():
        # The stored state: a bound ModelForm may already have changed `category`.
        stored = Category.objects.select_for_update().get(pk=category.pk)
        alt = stored.image_alt if image_alt is None else image_alt
        images.check_picture(image if image is not None else stored.image, alt)
        if image is not None:
            if stored.image:
                images.delete_image_after_commit(stored.image.storage, stored.image.name, stored.image_variants)
            category.image = images.clean_image(image) if image else ""
            category.image_variants = {}
        else:
            category.image, category.image_variants = stored.image.name, stored.image_variants
        category.name, category.description = name, clean_translated_html(description or {})
        category.parent, category.colour, category.weight = parent, colour, weight
        category.image_alt = alt or {}
        category.save()
        _make_variants(category, image)
        log_action(actor=actor, verb="category.update", target=category, organization=organization)
    return category


def delete_category(*, actor: User, category: Category) -> None:
    require(actor, "taxonomy.manage", category.organization)
    with transaction.atomic():
        log_action(actor=actor, verb="category.delete", target=category, organization=category.organization)
        for each in [category, *category.children.all()]:
            images.delete_image_after_commit(each.image.storage, each.image.name, each.image_variants)
        category.delete()


# --- scope types ----------------------------------------------------------------------


def create_scope_type(*, actor: User, organization: Organization, name: dict, plural: dict) -> ScopeType:
    require(actor, "taxonomy.manage", organization)
    with transaction.atomic():
        scope_type = ScopeType.objects.create(organization=organization, name=name, plural=plural)
        log_action(actor=actor, verb="scope_type.create", target=scope_type, organization=organization)
    return scope_type


def update_scope_type(*, actor: User, scope_type: ScopeType, name: dict, plural: dict) -> ScopeType:
    require(actor, "taxonomy.manage", scope_type.organization)
    with transaction.atomic():
        scope_type.name, scope_type.plural = name, plural
        scope_type.save()
        log_action(actor=actor, verb="scope_type.update", target=scope_type, organization=scope_type.organization)
    return scope_type


def delete_scope_type(*, actor: User, scope_type: ScopeType) -> None:
    require(actor, "taxonomy.manage", scope_type.organization)
    try:
        with transaction.atomic():
            log_action(actor=actor, verb="scope_type.delete", target=scope_type, organization=scope_type.organization)
            scope_type.delete()
    except ProtectedError:
        raise ValidationError(_("Scopes of this type exist: change their type or delete them first.")) from None


# --- scopes ----------------------------------------------------------------------------


def _check_scope(
    organization: Organization,
    *,
    code: str,
    scope_type: ScopeType | None,
    parent: Scope | None,
    scope: Scope | None = None,
) -> None:
    for related in (scope_type, parent):
        if related is not None and related.organization_id != organization.pk:
            raise ValidationError(_("This choice belongs to another organization."))
    duplicates = Scope.objects.filter(organization=organization, code=code)
    if scope is not None:
        duplicates = duplicates.exclude(pk=scope.pk)
    if duplicates.exists():
        raise ValidationError(_("Another scope already has the code %(code)s."), params={"code": code})
    ancestor = parent
    while ancestor is not None and scope is not None:
        if ancestor.pk == scope.pk:
            raise ValidationError(_("A scope cannot be inside itself."))
        ancestor = ancestor.parent


def create_scope(
    *,
    actor: User,
    organization: Organization,
    name: dict,
    code: str,
    scope_type: ScopeType | None = None,
    parent: Scope | None = None,
) -> Scope:
    require(actor, "taxonomy.manage", organization)
    code = code.strip()
    _check_scope(organization, code=code, scope_type=scope_type, parent=parent)
    with transaction.atomic():
        scope = Scope.objects.create(
            organization=organization, name=name, code=code, scope_type=scope_type, parent=parent
        )
        log_action(actor=actor, verb="scope.create", target=scope, organization=organization)
    return scope


def update_scope(
    *,
    actor: User,
    scope: Scope,
    name: dict,
    code: str,
    scope_type: ScopeType | None = None,
    parent: Scope | None = None,
) -> Scope:
    organization = scope.organization
    require(actor, "taxonomy.manage", organization)
    code = code.strip()
    _check_scope(organization, code=code, scope_type=scope_type, parent=parent, scope=scope)
    with transaction.atomic():
        scope.name, scope.code, scope.scope_type, scope.parent = name, code, scope_type, parent
        scope.save()
        log_action(actor=actor, verb="scope.update", target=scope, organization=organization)
    return scope


def delete_scope(*, actor: User, scope: Scope) -> None:
    require(actor, "taxonomy.manage", scope.organization)
    with transaction.atomic():
        log_action(actor=actor, verb="scope.delete", target=scope, organization=scope.organization)
        scope.delete()


# --- CSV import of scopes -------------------------------------------------------------

CSV_COLUMNS = ["code", "name_fr", "name_en", "type", "parent_code"]
CODE_MAX_LENGTH = cast(int, Scope._meta.get_field("code").max_length)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


class ScopeImportError(CsvImportError):
    """The scopes file was refused; `errors` lists (line number, reason)."""


def _read_rows(data: bytes | str) -> Iterator[tuple[int, dict[str, str]]]:
    reader, header = open_reader(data, ScopeImportError)
    missing = [name for name in CSV_COLUMNS if name not in header]
    if missing:
        raise ScopeImportError(
            [
                (
                    1,
                    _("Missing columns: %(columns)s. The first line must be: %(expected)s.")
                    % {"columns": ", ".join(missing), "expected": ",".join(CSV_COLUMNS)},
                )
            ]
        )
    reader.fieldnames = header
    for row in reader:
        yield reader.line_num, {key: (value or "").strip() for key, value in row.items() if key}


def _scope_types_by_name(organization: Organization) -> dict[str, ScopeType]:
    types: dict[str, ScopeType] = {}
    for scope_type in ScopeType.objects.filter(organization=organization):
        for text in list((scope_type.name or {}).values()) + list((scope_type.plural or {}).values()):
            if text:
                types.setdefault(text.strip().lower(), scope_type)
    return types


def import_scopes_csv(*, actor: User, organization: Organization, data: bytes | str) -> ImportResult:
    """Import scopes from CSV (columns code,name_fr,name_en,type,parent_code).

    Every row is checked first; if any is wrong nothing is imported and
    ScopeImportError lists the line numbers and reasons. Scopes are matched
    by code, so importing the same file again updates them (idempotent)."""
    require(actor, "taxonomy.manage", organization)
    types = _scope_types_by_name(organization)
    existing_codes = set(Scope.objects.filter(organization=organization).values_list("code", flat=True))
    errors: list = []
    rows: list = []
    seen: dict = {}
    for line, row in _read_rows(data):
        if not any(row.values()):
            continue
        code: str | None = row.get("code", "")
        problems = []
        if not code:
            problems.append(_("the code is empty"))
        elif len(code) > CODE_MAX_LENGTH:
            problems.append(_("the code is longer than %(max)s characters") % {"max": CODE_MAX_LENGTH})
        elif code in seen:
            problems.append(_("the code %(code)s is already on line %(line)s") % {"code": code, "line": seen[code]})
        if not (row.get("name_fr") or row.get("name_en")):
            problems.append(_("a name (name_fr or name_en) is required"))
        type_name = row.get("type", "")
        if type_name and type_name.lower() not in types:
            problems.append(_("unknown scope type “%(type)s” (create it first)") % {"type": type_name})
        parent_code = row.get("parent_code", "")
        if parent_code and parent_code == code:
            problems.append(_("a scope cannot be its own parent"))
        if problems:
            errors.append((line, "; ".join(problems)))
        if code and code not in seen:
            seen[code] = line
        rows.append((line, row))
    for line, row in rows:
        parent_code = row.get("parent_code", "")
        if parent_code and parent_code not in seen and parent_code not in existing_codes:
            errors.append(
                (
                    line,
                    _("the parent code %(code)s is neither in the file nor among the existing scopes")
                    % {"code": parent_code},
                )
            )
    parents = dict(
        Scope.objects.filter(organization=organization, parent__isnull=False).values_list("code", "parent__code")
    )
    parents.update({row["code"]: row.get("parent_code", "") for _line, row in rows if row.get("code")})
    for line, row in rows:
        chain: set[str] = set()
        code = row.get("code")
        while code and code not in chain:
            chain.add(code)
            code = parents.get(code)
        if code and row.get("parent_code") != row.get("code"):
            errors.append((line, _("the parents form a loop (%(code)s)") % {"code": code}))
    if not rows and not errors:
        errors.append((1, _("The file has no scope.")))
    if errors:
        raise ScopeImportError(sorted(errors))

    result = ImportResult()
    with transaction.atomic():
        by_code = {scope.code: scope for scope in Scope.objects.select_for_update().filter(organization=organization)}
        for _line, row in rows:
            name = {code: row[f"name_{code}"] for code in ("fr", "en") if row.get(f"name_{code}")}
            scope_type = types.get(row["type"].lower()) if row.get("type") else None
            scope = by_code.get(row["code"])
            if scope is None:
                by_code[row["code"]] = Scope.objects.create(
                    organization=organization, code=row["code"], name=name, scope_type=scope_type
                )
                result.created += 1
            else:
                if scope.name != name or scope.scope_type_id != (scope_type.pk if scope_type else None):
                    scope.name, scope.scope_type = name, scope_type
                    scope.save(update_fields=["name", "scope_type"])
                result.updated += 1
        for _line, row in rows:
            scope = by_code[row["code"]]
            parent = by_code.get(row["parent_code"]) if row.get("parent_code") else None
            if scope.parent_id != (parent.pk if parent else None):
                scope.parent = parent
                scope.save(update_fields=["parent"])
        log_action(
            actor=actor,
            verb="scope.import",
            target=None,
            organization=organization,
            data={"created": result.created, "updated": result.updated},
        )
    return result
