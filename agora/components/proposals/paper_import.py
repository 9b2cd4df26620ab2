"""Importing a CSV or XLSX file of ideas that residents gave on paper, at a
desk or at a meeting: every line is checked before anything is created
(`upload` keeps the rows for the preview), then `apply` creates the ideas,
all of them or none, through the service that creates one
(services._enter: the same checks and log as an idea typed in).

Columns (the first line names them; English or French names):
  title / titre                   required
  body / description              required
  author_name / nom               the resident's name as on the form (shown publicly)
  email / e-mail / courriel       optional: the e-mail of the resident's account here
                                  (then the idea is theirs; a name is not needed)
  channel / canal                 paper (default), desk, meeting (papier, guichet, réunion)
  category / catégorie            a category's name, as in the idea form
  scope / quartier                a district's code or name
  address / adresse, latitude, longitude
  <custom field code>             one column per custom field of the form
"""

import hashlib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.selectors import people_of
from agora.actionlog.services import trace
from agora.components.proposals import selectors, services
from agora.components.proposals.models import IdeaImport, Proposal
from agora.components.selectors import for_write
from agora.core.csvfiles import CsvImportError, read_table
from agora.core.translations import translated
from agora.permissions import can, require
from agora.taxonomy.models import Category, Scope

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024

ALIASES = {
    "titre": "title",
    "description": "body",
    "texte": "body",
    "nom": "author_name",
    "name": "author_name",
    "auteur": "author_name",
    "author": "author_name",
    "e-mail": "email",
    "courriel": "email",
    "mail": "email",
    "canal": "channel",
    "catégorie": "category",
    "categorie": "category",
    "quartier": "scope",
    "territoire": "scope",
    "scope_code": "scope",
    "adresse": "address",
}
CHANNELS = {
    "": Proposal.Channel.PAPER,
    "paper": Proposal.Channel.PAPER,
    "papier": Proposal.Channel.PAPER,
    "formulaire papier": Proposal.Channel.PAPER,
    "paper form": Proposal.Channel.PAPER,
    "desk": Proposal.Channel.DESK,
    "guichet": Proposal.Channel.DESK,
    "meeting": Proposal.Channel.MEETING,
    "réunion": Proposal.Channel.MEETING,
    "reunion": Proposal.Channel.MEETING,
}
YES = {"1", "yes", "oui", "true", "vrai", "y", "o", "x"}
NO = {"", "0", "no", "non", "false", "faux", "n"}
OWN_COLUMNS = {
    "title",
    "body",
    "author_name",
    "email",
    "channel",
    "category",
    "scope",
    "address",
    "latitude",
    "longitude",
}


class IdeaImportError(CsvImportError):
    """The file of ideas was refused; `errors` lists (line number, reason)."""


@dataclass
class PlannedProposal:
    line: int
    fields: dict = field(default_factory=dict)  # keyword arguments of services._enter

    @property
    def author_label(self) -> str:
        author = self.fields.get("author")
        return author.public_name if author is not None else self.fields.get("author_name", "")


def _key(text: str) -> str:
    """A name compared without case, accents or surrounding spaces."""
    decomposed = unicodedata.normalize("NFKD", (text or "").strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def read_rows(data: bytes, filename: str = "") -> list[tuple[int, dict]]:
    """The file's lines as [(line number, {column: text})], column names mapped to
    their English form; empty lines dropped."""
    if len(data) > MAX_BYTES:
        raise IdeaImportError([(0, _("The file is larger than 5 MB: split it."))])
    header, table = read_table(data, filename, IdeaImportError, max_rows=MAX_ROWS)
    names = [ALIASES.get(name, name) for name in header]
    twice = sorted({name for name in names if name and names.count(name) > 1})
    if twice:
        raise IdeaImportError(
            [
                (
                    1,
                    _(
                        "These columns are named twice (in English and in French, perhaps): "
                        "%(columns)s. Keep one of each."
                    )
                    % {"columns": ", ".join(twice)},
                )
            ]
        )
    if "title" not in names or "body" not in names:
        raise IdeaImportError(
            [
                (
                    1,
                    _(
                        "The first line must name the columns, at least “title” and “body” "
                        "(or “titre” and “description”)."
                    ),
                )
            ]
        )
    rows = []
    for line, row in table:
        mapped = {ALIASES.get(name, name): value for name, value in row.items()}
        if any(mapped.values()):
            rows.append((line, mapped))
    if not rows:
        raise IdeaImportError([(0, _("The file has no idea."))])
    return rows


def _decimal(text):
    text = (text or "").replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value.quantize(Decimal("0.000001"))


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


def plan(component, rows) -> list[PlannedProposal]:
    """Check every line against the component as the idea form would, and return
    what will be created; IdeaImportError with every wrong line otherwise."""
    organization = component.space.organization
    custom_keys = {custom.key for custom in selectors.custom_fields(component)}
    columns = set().union(*(row.keys() for _line, row in rows)) if rows else set()
    unknown = sorted(columns - OWN_COLUMNS - custom_keys)
    if unknown:
        raise IdeaImportError([(1, _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})])
    categories: dict = {}
    category: Category | None
    scope: Scope | None
    for category in selectors.offered_categories(component):
        categories.setdefault(_key(translated(category.name)), category)
        for name in (category.name or {}).values():
            categories.setdefault(_key(name), category)
    scopes: dict = {}
    for scope in selectors.offered_scopes(component):
        if scope.code:
            scopes.setdefault(_key(scope.code), scope)
        for name in (scope.name or {}).values():
            scopes.setdefault(_key(name), scope)
    emails = {row.get("email", "").lower() for _line, row in rows} - {""}
    accounts = {}
    if emails:
        found = people_of(organization).annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
        accounts = {user.email.lower(): user for user in found}
    checkboxes = {custom.key for custom in selectors.custom_fields(component) if custom.kind == custom.Kind.CHECKBOX}
    existing = set(
        Proposal.objects.filter(component=component).exclude(status=Proposal.Status.DRAFT).values_list("title", "body")
    )
    errors: list = []
    planned: list = []
    seen: dict = {}
    for line, row in rows:
        problems = []
        channel = CHANNELS.get(_key(row.get("channel", "")))
        if channel is None:
            problems.append(_("the channel “%(value)s” is not paper, desk or meeting") % {"value": row.get("channel")})
        author, email = None, row.get("email", "").lower()
        if email:
            author = accounts.get(email)
            if author is None:
                problems.append(_("no participant of this organization has the e-mail %(email)s") % {"email": email})
            else:
                decision = can(author, "participate", organization)
                if not decision:
                    problems.append(
                        _("the account %(email)s cannot take part here: %(reason)s")
                        % {"email": email, "reason": decision.reason}
                    )
        elif not row.get("author_name"):
            problems.append(_("the resident's name is empty (column “author_name”)"))
        category = scope = None
        if row.get("category"):
            category = categories.get(_key(row["category"]))
            if category is None:
                problems.append(_("unknown category “%(value)s”") % {"value": row["category"]})
        if row.get("scope"):
            scope = scopes.get(_key(row["scope"]))
            if scope is None:
                problems.append(_("unknown district “%(value)s”") % {"value": row["scope"]})
        position = {}
        for name in ("latitude", "longitude"):
            try:
                position[name] = _decimal(row.get(name, ""))
            except ValueError:
                problems.append(
                    _("the %(column)s “%(value)s” is not a number") % {"column": name, "value": row.get(name)}
                )
                position[name] = None
        custom_values = {}
        for key in custom_keys:
            value = row.get(key, "")
            if key in checkboxes:
                if _key(value) in YES:
                    value = True
                elif _key(value) in NO:
                    continue
                else:
                    problems.append(
                        _("“%(column)s” must be yes or no, not “%(value)s”") % {"column": key, "value": value}
                    )
                    continue
            if value != "":
                custom_values[key] = value
        fields = {
            "channel": channel,
            "author": author,
            "author_name": "" if author else row.get("author_name", ""),
            "title": row.get("title", ""),
            "body": row.get("body", ""),
            "category": category,
            "scope": scope,
            "address": row.get("address", ""),
            **position,
            "custom_values": custom_values,
        }
        try:
            cleaned = services.clean_fields(
                component,
                **{
                    name: fields[name]
                    for name in ("title", "body", "category", "scope", "address", "latitude", "longitude")
                },
            )
            services.clean_custom_values(component, fields["custom_values"])
        except ValidationError as error:
            problems.extend(_messages(error))
        else:
            pair = (cleaned["title"], cleaned["body"])
            if pair in existing:
                problems.append(_("an idea with this title and description is already published here"))
            elif pair in seen:
                problems.append(_("the same idea is on line %(line)s") % {"line": seen[pair]})
            else:
                seen[pair] = line
        if problems:
            errors.append((line, "; ".join(problems)))
            continue
        planned.append(PlannedProposal(line=line, fields=fields))
    if errors:
        raise IdeaImportError(sorted(errors))
    return planned


# --- the write paths ---------------------------------------------------------------------


def upload(*, actor, component, data: bytes, filename: str = ""):
    """Read a CSV or XLSX file of ideas and keep it for the officer's preview:
    returns (stored import, plan). Nothing is created yet; a file with any wrong
    line is refused with the lines and reasons (IdeaImportError)."""
    require(actor, "proposals.enter_on_behalf", component)
    rows = read_rows(data, filename)
    planned = plan(component, rows)
    with transaction.atomic():
        stored = IdeaImport.objects.create(
            component=component,
            uploaded_by=actor,
            filename=(filename or "")[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            rows=[[line, row] for line, row in rows],
        )
        trace(
            actor,
            "proposals.ideas_import_preview",
            component,
            component=component,
            data={"import": stored.pk, "filename": stored.filename, "sha256": stored.sha256, "rows": len(planned)},
        )
    return stored, planned


def apply(*, actor, idea_import, base_url: str | None = None) -> list[Proposal]:
    """Create every idea of a previewed file, or none: one transaction, the rows
    checked again against the component as it is now (a category removed since the
    preview refuses the file). A file is applied once."""
    with transaction.atomic():
        stored = IdeaImport.objects.select_for_update().get(pk=idea_import.pk)
        component = for_write(stored.component)
        require(actor, "proposals.enter_on_behalf", component)
        if stored.applied_at is not None:
            raise ValidationError(_("This file has already been imported."))
        planned = plan(component, [(line, row) for line, row in stored.rows])
        created = []
        for item in planned:
            try:
                proposal = services._enter(
                    actor, component, **item.fields, log_data={"import": stored.pk, "line": item.line}
                )
            except ValidationError as error:  # changed since the preview: the whole file is refused
                raise IdeaImportError([(item.line, " ".join(error.messages))]) from None
            services._send_confirmation(proposal, base_url)
            created.append(proposal)
        stored.applied_at, stored.applied_rows = timezone.now(), len(created)
        stored.save(update_fields=["applied_at", "applied_rows"])
        trace(
            actor,
            "proposals.ideas_imported",
            component,
            component=component,
            data={
                "import": stored.pk,
                "filename": stored.filename,
                "sha256": stored.sha256,
                "rows": len(created),
                "uploaded_by": stored.uploaded_by_id,
            },
        )
    return created
