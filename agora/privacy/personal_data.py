"""Everything Agora stores about a person, as files of rows ("download my data").

Where it comes from:
- the apps below the components, in `agora.privacy.providers` (account, profile,
  e-mail addresses, memberships and consents, roles, comments and their votes,
  follows, notifications, conversations, reports, verifications' kept data,
  newsletters' consent and sends, the public desk's records);
- each component, through its manifest's `personal_data` hook: callable(person) ->
  iterable of (file name, rows), rows being dicts of plain values (or a
  `.values()` queryset), read from the component's own tables (ideas and
  supports, ballots' receipt codes without the choices, signatures,
  registrations, answers ...). The core never imports a component.

Another app may add its own with `register(folder, provider)` from its
`AppConfig.ready`. Every provider gives the person's data only: never another
person's (a conversation lists the other participants by their public name)."""

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agora.components.registry import registry
from agora.core.csvfiles import safe_cell
from agora.privacy import providers

Provider = Callable[[Any], Iterable[tuple[str, Iterable[Any]]]]
_registered: list[tuple[str, Provider]] = []


def register(folder: str, provider: Provider) -> None:
    if (folder, provider) not in _registered:
        _registered.append((folder, provider))


def sources() -> list[tuple[str, Provider]]:
    """(folder, provider) of everything that stores something about a person."""
    found: list[tuple[str, Provider]] = [
        ("account", providers.account),
        ("participation", providers.participation),
        ("newsletters", providers.newsletters),
        ("desk", providers.desk),
    ]
    found += _registered
    for manifest in registry.all():
        hook = manifest.hook(manifest.personal_data)
        if hook is not None:
            found.append((manifest.name, hook))
    return found


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def write_zip(person: Any, path: Path, *, language: str) -> dict[str, int]:
    """Write the person's zip at `path`: one CSV per file of each source, in its
    folder, and a README; {file: rows}."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for folder, provider in sources():
            for name, rows in provider(person):
                filename = f"{folder}/{name.removesuffix('.csv')}.csv"
                written = 0
                with archive.open(filename, "w", force_zip64=True) as raw:
                    text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                    writer = None
                    for row in rows:
                        if writer is None:
                            writer = csv.writer(text)
                            writer.writerow(list(row))
                        writer.writerow([safe_cell(cell(value)) for value in row.values()])
                        written += 1
                    text.flush()
                    text.detach()
                counts[filename] = written
        with translation.override(language):
            lines = [
                _("Your data on Agora, prepared on %(date)s for %(person)s.")
                % {"date": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "person": person.email},
                "",
                _(
                    "One CSV file (UTF-8, comma-separated) per kind of data, in the folder of the part of the "
                    "platform that keeps it. Your ballots are listed by their receipt code, never with your "
                    "choices: the secrecy of the vote holds even here. Empty files mean nothing of that kind."
                ),
                "",
                *[f"{name}: {count}" for name, count in counts.items()],
                "",
            ]
        archive.writestr("README.txt", "\n".join(lines))
    return counts
