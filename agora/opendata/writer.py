"""The open-data zips of an organization, written as the rows come.

One pass over the organization's public components writes the zip of the whole
organization and the zip of each component at the same time: for each table
(`OpenDataTable` of the manifests, in the registry's order) one CSV entry is
open in the organization's zip and one in the zip of the component being read,
and each row is written to both as the component's hook yields it. Nothing is
kept but the ids of the resources written (for their comments): memory stays
bounded whatever the number of rows, the CSVs are deflated into files on disk.

Only public content: spaces any visitor may read (`Space.objects.readable_by_anyone()`),
published components of those spaces (each hook gives nothing for a component
that is not public, and never a draft, a hidden resource or personal data), the
comments moderation did not hide on the resources the tables list.

The writer never imports a component: it reads the manifests through the
registry (tables, `open_data_files` for files given as they are, such as the
pabulib files of published budgets)."""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agora.comments.models import Comment
from agora.components.models import Component
from agora.components.registry import OpenDataTable, registry
from agora.core.csvfiles import safe_cell
from agora.core.models import Organization
from agora.core.translations import translated
from agora.opendata.models import LICENCE_URLS, Licence
from agora.spaces.models import Space

# The columns the writer puts before a table's own (the space and component of each row).
PLACE_COLUMNS = (
    ("space_id", gettext_lazy("Number of the participatory space")),
    ("space", gettext_lazy("Name of the participatory space in its address")),
    ("component_id", gettext_lazy("Number of the component")),
    ("component", gettext_lazy("Type of component (proposals, budgets, meetings ...)")),
)
SPACES = OpenDataTable(
    "spaces",
    gettext_lazy("Participatory spaces (processes and assemblies)"),
    rows="",
    columns=(
        ("id", gettext_lazy("Number of the space")),
        ("kind", gettext_lazy("process or assembly")),
        ("slug", gettext_lazy("Name of the space in its address")),
        ("title", gettext_lazy("Title, per language")),
        ("subtitle", gettext_lazy("Subtitle, per language")),
        ("short_description", gettext_lazy("Short description, per language")),
        ("start_date", gettext_lazy("Start date (ISO 8601)")),
        ("end_date", gettext_lazy("End date (ISO 8601)")),
        ("published_at", gettext_lazy("Publication date and time (ISO 8601)")),
        ("url", gettext_lazy("Address of the space")),
    ),
    translated=("title", "subtitle", "short_description"),
)
COMMENTS = OpenDataTable(
    "comments",
    gettext_lazy("Comments on the resources of the other files"),
    rows="",
    columns=(
        ("id", gettext_lazy("Number of the comment")),
        ("resource", gettext_lazy("The file of the resource commented on (ideas, projects, debates ...)")),
        ("resource_id", gettext_lazy("Number of the resource commented on, in that file")),
        ("parent_id", gettext_lazy("Number of the comment answered, for a reply")),
        ("depth", gettext_lazy("0 for a comment, 1 or 2 for a reply")),
        ("author", gettext_lazy("The author's public name, or the organization for an official answer")),
        ("official", gettext_lazy("Official answer of the organization")),
        ("alignment", gettext_lazy("Position taken: for, against, neutral, or empty")),
        ("body", gettext_lazy("Text of the comment")),
        ("up", gettext_lazy("Votes for the comment")),
        ("down", gettext_lazy("Votes against the comment")),
        ("created_at", gettext_lazy("Date and time of the comment (ISO 8601)")),
        ("edited_at", gettext_lazy("Date and time of its last edit (ISO 8601), if edited")),
    ),
)
ALIGNMENTS = {-1: "against", 0: "neutral", 1: "for"}
LIST_SEPARATOR = " "


@dataclass
class Archive:
    """One zip being written: the organization's (`component` None) or a component's."""

    path: Path
    component: Component | None
    rows: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    _zip: zipfile.ZipFile | None = None

    def open(self) -> None:
        self._zip = zipfile.ZipFile(self.path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)

    @property
    def zip(self) -> zipfile.ZipFile:
        assert self._zip is not None, "open() first"
        return self._zip

    def close(self) -> None:
        self.zip.close()


class CsvEntry:
    """One CSV file inside a zip, written row by row (UTF-8, comma, every cell through
    the formula guard, `agora.core.csvfiles.safe_cell`)."""

    def __init__(self, archive: Archive, name: str, header: list[str]):
        self.archive, self.name = archive, name
        self._raw = archive.zip.open(name, "w", force_zip64=True)
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8", newline="", write_through=False)
        self._writer = csv.writer(self._text)
        self._writer.writerow(header)
        archive.files.append(name)
        archive.rows[name.removesuffix(".csv")] = 0

    def write(self, cells: list) -> None:
        self._writer.writerow([safe_cell(cell) for cell in cells])
        self.archive.rows[self.name.removesuffix(".csv")] += 1

    def close(self) -> None:
        self._text.flush()
        self._text.detach()
        self._raw.close()


class Columns:
    """A table's columns as the CSV has them: the place columns (unless left out), then
    the table's, a translated one made into one column per language ("title_fr")."""

    def __init__(self, table: OpenDataTable, languages: list[str], *, place: bool):
        self.table, self.languages, self.place = table, languages, place
        self.translated = set(table.translated)

    def header(self) -> list[str]:
        names = [name for name, _meaning in PLACE_COLUMNS] if self.place else []
        for name in self.table.column_names:
            if name in self.translated:
                names.extend(f"{name}_{language}" for language in self.languages)
            else:
                names.append(name)
        return names

    def dictionary(self) -> list[tuple[str, str]]:
        """(column, what it holds) for the README, in the order of the header."""
        entries = [(name, str(meaning)) for name, meaning in PLACE_COLUMNS] if self.place else []
        for name, meaning in self.table.columns:
            if name in self.translated:
                for language in self.languages:
                    entries.append(
                        (
                            f"{name}_{language}",
                            _("%(meaning)s (in %(language)s)")
                            % {
                                "meaning": meaning,
                                "language": language,
                            },
                        )
                    )
            else:
                entries.append((name, str(meaning)))
        return entries

    def cells(self, row: dict, place: list) -> list:
        cells = list(place) if self.place else []
        default = self.languages[0]
        for name in self.table.column_names:
            value = row.get(name)
            if name in self.translated:
                if isinstance(value, dict):
                    cells.extend(value.get(language) or "" for language in self.languages)
                else:  # a plain text is in the organization's default language
                    cells.extend(plain(value) if language == default else "" for language in self.languages)
            else:
                cells.append(translated(value) if isinstance(value, dict) else plain(value))
        return cells


def plain(value: Any) -> Any:
    """A cell: lists of ids joined by spaces, booleans as true/false, dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal | str):
        return value
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def public_components(organization: Organization) -> list[Component]:
    """The published components, of a registered type, of the organization's public spaces."""
    spaces = Space.objects.readable_by_anyone().filter(organization=organization)
    components = (
        Component.objects.published()
        .filter(space__in=spaces)
        .select_related("space__organization")
        .order_by("space__weight", "space_id", "weight", "id")
    )
    return [component for component in components if component.manifest is not None and component.is_public]


def _place(component: Component) -> list:
    return [component.space_id, component.space.slug, component.pk, component.manifest_name]


def _space_rows(organization: Organization) -> Iterable[dict]:
    for space in (
        Space.objects.readable_by_anyone().filter(organization=organization).order_by("weight", "id").iterator()
    ):
        yield {
            "id": space.pk,
            "kind": space.kind,
            "slug": space.slug,
            "title": dict(space.title or {}),
            "subtitle": dict(space.subtitle or {}),
            "short_description": dict(space.short_description or {}),
            "start_date": space.start_date,
            "end_date": space.end_date,
            "published_at": space.published_at,
            "url": space.get_absolute_url(),
        }


def write_archives(organization: Organization, folder: Path, *, licence: str = Licence.ETALAB) -> list[Archive]:
    """Write the organization's zip and one per public component into `folder`; the
    archives written, the organization's first."""
    languages = organization.languages
    components = public_components(organization)
    whole = Archive(folder / "open-data.zip", None)
    own = {component.pk: Archive(folder / f"component-{component.pk}.zip", component) for component in components}
    archives = [whole, *own.values()]
    for archive in archives:
        archive.open()
    dictionary: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    try:
        with translation.override(organization.default_language):
            # The spaces: the organization's file only.
            columns = Columns(SPACES, languages, place=False)
            entry = CsvEntry(whole, "spaces.csv", columns.header())
            for row in _space_rows(organization):
                entry.write(columns.cells(row, []))
            entry.close()
            dictionary["spaces"] = (str(SPACES.label), columns.dictionary())

            listed: dict[tuple[int, str], set[int]] = {}  # (component, model label) -> ids written
            table_of_model: dict[str, str] = {}
            for manifest in registry.all():
                mine = [component for component in components if component.manifest_name == manifest.name]
                for table in manifest.open_data:
                    columns = Columns(table, languages, place=True)
                    header = columns.header()
                    dictionary[table.name] = (str(table.label), columns.dictionary())
                    entry = CsvEntry(whole, f"{table.name}.csv", header)
                    rows_of = manifest.hook(table.rows)
                    assert rows_of is not None
                    if table.model:
                        table_of_model[table.model] = table.name
                    for component in mine:
                        place = _place(component)
                        ids = listed.setdefault((component.pk, table.model), set()) if table.model else None
                        part = CsvEntry(own[component.pk], f"{table.name}.csv", header)
                        for row in rows_of(component):
                            cells = columns.cells(row, place)
                            entry.write(cells)
                            part.write(cells)
                            if ids is not None:
                                ids.add(row["id"])
                        part.close()
                    entry.close()

            _write_comments(components, listed, table_of_model, whole, own, languages)
            dictionary["comments"] = (str(COMMENTS.label), Columns(COMMENTS, languages, place=True).dictionary())

            for component in components:
                files_of = component.manifest.hook(component.manifest.open_data_files)
                if files_of is None:
                    continue
                for filename, content in files_of(component):
                    data = content.encode("utf-8") if isinstance(content, str) else content
                    name = f"{component.manifest_name}/{component.pk}/{filename}"
                    for archive in (whole, own[component.pk]):
                        archive.zip.writestr(name, data)
                        archive.files.append(name)
                    del data

            for archive in archives:
                _write_readme(organization, archive, dictionary, licence)
    finally:
        for archive in archives:
            archive.close()
    return archives


def _write_comments(
    components: list[Component],
    listed: dict[tuple[int, str], set[int]],
    table_of_model: dict[str, str],
    whole: Archive,
    own: dict[int, Archive],
    languages: list[str],
) -> None:
    columns = Columns(COMMENTS, languages, place=True)
    header = columns.header()
    entry = CsvEntry(whole, "comments.csv", header)
    types = {label: ContentType.objects.get_for_model(apps.get_model(label)) for label in table_of_model if label}
    for component in components:
        place = _place(component)
        part = CsvEntry(own[component.pk], "comments.csv", header)
        organization_name = component.space.organization.name
        for label, content_type in types.items():
            ids = listed.get((component.pk, label))
            if not ids:
                continue
            comments = (
                Comment.objects.visible()
                .filter(component=component, content_type=content_type, deleted_at__isnull=True)
                .select_related("author")
                .order_by("pk")
            )
            for comment in comments.iterator(chunk_size=2000):
                if comment.object_id not in ids:
                    continue
                author = (
                    organization_name if comment.official else (comment.author.public_name if comment.author else "")
                )
                row = {
                    "id": comment.pk,
                    "resource": table_of_model[label],
                    "resource_id": comment.object_id,
                    "parent_id": comment.parent_id,
                    "depth": comment.depth,
                    "author": author,
                    "official": comment.official,
                    "alignment": ALIGNMENTS.get(comment.alignment) if comment.alignment is not None else None,
                    "body": comment.body,
                    "up": comment.up_count,
                    "down": comment.down_count,
                    "created_at": comment.created_at,
                    "edited_at": comment.edited_at,
                }
                cells = columns.cells(row, place)
                entry.write(cells)
                part.write(cells)
        part.close()
    entry.close()


def _write_readme(
    organization: Organization, archive: Archive, dictionary: dict[str, tuple[str, list[tuple[str, str]]]], licence
) -> None:
    """README.md (what the zip holds, the dictionary of every column of its CSVs, the
    licence) and LICENCE.txt, in the organization's default language."""
    licence = Licence(licence)
    lines = [
        f"# {_('Open data of %(organization)s') % {'organization': organization.name}}",
        "",
    ]
    if archive.component is not None:
        lines += [
            _("The public data of one component: %(component)s (%(space)s).")
            % {"component": archive.component, "space": translated(archive.component.space.title)},
            "",
        ]
    lines += [
        _(
            "Built on %(date)s. Only public content: nothing unpublished, private, hidden by moderation or in draft, and no personal data beyond the public names shown on the site."
        )
        % {"date": timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")},
        "",
        _("Licence: %(licence)s, %(url)s (LICENCE.txt).") % {"licence": licence.label, "url": LICENCE_URLS[licence]},
        "",
        _(
            "CSV files in UTF-8, separated by commas, one header line. A cell that a spreadsheet would run as a formula starts with an apostrophe. Lists of numbers are separated by spaces; dates follow ISO 8601; true and false are written so."
        ),
        "",
    ]
    for name in archive.files:
        if not name.endswith(".csv"):
            continue
        table = name.removesuffix(".csv")
        label, columns = dictionary[table]
        lines += [
            f"## {name}",
            "",
            f"{label}. "
            + ngettext("%(count)s row.", "%(count)s rows.", archive.rows.get(table, 0))
            % {"count": archive.rows.get(table, 0)},
            "",
        ]
        lines += [_("| column | what it holds |"), "|---|---|"]
        lines += [f"| `{column}` | {meaning} |" for column, meaning in columns]
        lines.append("")
    others = [name for name in archive.files if not name.endswith(".csv")]
    if others:
        lines += [f"## {_('Other files')}", ""]
        lines += [
            _(
                "The pabulib files (.pb, pabulib.org) of the published counts of participatory budgets: the anonymised ballots each count was made from, in the folder of their component; anyone recounts them."
            )
        ]
        lines += [""] + [f"- `{name}`" for name in others] + [""]
    archive.zip.writestr("README.md", "\n".join(lines))
    archive.zip.writestr(
        "LICENCE.txt",
        f"{licence.label}\n{LICENCE_URLS[licence]}\n\n"
        + _("Producer: %(organization)s") % {"organization": organization.name}
        + "\n",
    )
