"""The CSV files officers upload (scopes, census, answers, results ...) and
download (exports): one way to read them and one guard for spreadsheets.

Uploads are read all-or-nothing by the importers; this module decodes the
file (UTF-8, with or without the BOM spreadsheets add), finds the delimiter
(French spreadsheets write ";") and normalises the header. Errors carry the
line numbers the officer sees in their spreadsheet."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# A cell starting with one of these runs as a formula in spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Text a spreadsheet shows as text and never runs as a formula (a plain
    negative number stays a number)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        try:
            Decimal(text)
            return text
        except InvalidOperation:
            return "'" + text
    return text


@dataclass
class CsvImportError(Exception):
    """The file was refused; `errors` lists (line number, reason), line 0
    for the file as a whole. Each importer subclasses it with its own name."""

    errors: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self):
        return "; ".join(f"line {line}: {reason}" for line, reason in self.errors)


def decode(data: bytes | str, error_class=CsvImportError) -> str:
    """The text of an upload; a clear error when it is not UTF-8."""
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise error_class([(0, _("The file is not encoded in UTF-8: save it as “CSV UTF-8”."))]) from None
    return data.lstrip("\ufeff")


def open_reader(data: bytes | str, error_class=CsvImportError) -> tuple[csv.DictReader, list[str]]:
    """A DictReader over the upload (delimiter "," or ";", whichever the
    first line uses more) and its header, lower-cased and stripped. The
    reader's `line_num` is the line an officer sees in the spreadsheet."""
    text = decode(data, error_class)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    return reader, header
