"""The CSV files officers upload (scopes, census, answers, results ...) and
download (exports): one way to read them and one guard for spreadsheets
(`safe_cell`, `safe_row`, `SafeWriter`), which every CSV and XLSX export uses.

Uploads are read all-or-nothing by the importers; this module decodes the
file (UTF-8, with or without the BOM spreadsheets add), finds the delimiter
(French spreadsheets write ";") and normalises the header. Errors carry the
line numbers the officer sees in their spreadsheet."""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

# A cell starting with one of these runs as a formula in spreadsheets (the full-width
# forms too: some spreadsheets read them as their ASCII twins).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# A plain number, which stays a number even when it starts with "-".
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?", re.ASCII)


def safe_cell(value):
    """The one formula guard of every CSV and XLSX file Agora writes: text a
    spreadsheet shows as text and never runs as a formula (prefixed with an
    apostrophe). Numbers, booleans and plain negative numbers written as text
    stay what they are; None becomes "". The importers remove the apostrophe
    again, so an export edited and imported back keeps its values."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):  # bool is an int: never a formula either
        return value
    text = str(value)
    # Spaces first: some spreadsheets trim them on import, then read what follows.
    if text.lstrip(" ").startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(values) -> list:
    """A row of an export with every cell through `safe_cell`."""
    return [safe_cell(value) for value in values]


class SafeWriter:
    """csv.writer whose every cell goes through `safe_cell`: what every CSV export uses.

    writer = SafeWriter(response)
    writer.writerow(["name", person_typed_name])
    """

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, values):
        return self._writer.writerow(safe_row(values))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


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


# --- tables officers upload as CSV or XLSX ------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"
# An .xlsx is a ZIP of XML files: refuse one that unpacks to more than this (a "ZIP
# bomb" of a few KB can unpack to gigabytes). openpyxl parses the XML with defusedxml.
XLSX_MAX_UNPACKED = 50 * 1024 * 1024


def _cell_text(value) -> str:
    """An XLSX cell as the text a CSV would hold: dates as YYYY-MM-DD, whole numbers
    without ".0", the apostrophe of an exported text cell removed (see safe_cell)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().removeprefix("'")


def _read_xlsx(data: bytes, error_class, max_rows: int):
    from openpyxl import load_workbook  # local: slow to import, and only XLSX uploads need it

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(member.file_size for member in archive.infolist()) > XLSX_MAX_UNPACKED:
            raise error_class([(0, _("The spreadsheet is too large once unpacked."))])
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except error_class:
        raise
    except Exception:  # noqa: BLE001 - any broken or foreign file: one message for the officer
        raise error_class(
            [(0, _("The file is not a spreadsheet Agora can read: save it as .xlsx or “CSV UTF-8”."))]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        header = [_cell_text(name).lower() for name in (first or ())]
        while header and not header[-1]:
            header.pop()
        table: list = []
        for line, values in enumerate(rows, start=2):
            if len(table) > max_rows:
                break
            cells = [_cell_text(value) for value in values]
            table.append(
                (
                    line,
                    {name: (cells[index] if index < len(cells) else "") for index, name in enumerate(header) if name},
                )
            )
    finally:
        workbook.close()
    return header, table


def read_table(data: bytes, filename: str = "", error_class=CsvImportError, *, max_rows: int = 5000):
    """The header (lower-cased names) and the rows [(line number, {name: text})] of an
    upload, CSV (UTF-8, "," or ";") or XLSX (the first sheet), whichever the content is
    (not the name). Values are stripped text, without the apostrophe an export adds
    before formula-like text. More than `max_rows` rows: refused as a whole."""
    if data[:4] == XLSX_MAGIC:
        header, table = _read_xlsx(data, error_class, max_rows)
    else:
        reader, header = open_reader(data, error_class)
        reader.fieldnames = header
        table = []
        for row in reader:
            if len(table) > max_rows:
                break
            table.append(
                (
                    reader.line_num,
                    {
                        name: (value or "").strip().removeprefix("'")
                        for name, value in row.items()
                        if name and isinstance(value, str)
                    },
                )
            )
    if len(table) > max_rows:
        raise error_class([(0, _("The file has more than %(max)s lines: split it.") % {"max": max_rows})])
    return header, table
