"""Reader and writer of pabulib ``.pb`` files (https://pabulib.org/format).

A file has three ``;``-separated sections::

    META
    key;value
    description;...
    budget;1000000
    vote_type;approval
    PROJECTS
    project_id;cost;name;category
    1;150000;Trees;green,environment
    VOTES
    voter_id;vote
    17;1,5,3

Everything is kept as the strings written in the file (ids exactly as written, minus
surrounding spaces, which is also what pabutools does), so that a file read and written
again reads back identical. :meth:`PbFile.to_election` turns it into an
:class:`~agora.tally.election.Election`.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Mapping
from fractions import Fraction

from .constraints import Decisions, decided
from .election import Election, Kind, Project, TallyError, cost_votes_draw_order, to_fraction
from .rules import greedy, mes

SECTIONS = ("meta", "projects", "votes")
# Agora's tie-breaking rule, as written in META tie_breaking (see PbFile.tie_order).
TIE_BREAKING = "lowest_cost,most_votes,draw"

VOTE_KINDS = {
    "approval": Kind.APPROVAL,
    "choose-1": Kind.APPROVAL,
    "cumulative": Kind.POINTS,
    "scoring": Kind.POINTS,
    "ordinal": Kind.RANKING,
}
KIND_VOTE_TYPE = {Kind.APPROVAL: "approval", Kind.POINTS: "cumulative", Kind.RANKING: "ordinal"}


class PabulibError(TallyError):
    """The text is not a readable pabulib file."""


class PbFile:
    """The content of a .pb file, every value kept as the string written in the file.

    ``votes`` is a list of dicts (column -> value). A file read by :func:`loads` keeps its
    VOTES lines unsplit until ``votes`` is first used, and :meth:`to_election` reads them
    directly: counting a large file never builds one dict per vote.
    """

    def __init__(
        self,
        meta: dict[str, str] | None = None,
        project_columns: list[str] | None = None,
        projects: list[dict[str, str]] | None = None,
        vote_columns: list[str] | None = None,
        votes: list[dict[str, str]] | None = None,
    ):
        self.meta = {} if meta is None else meta
        self.project_columns = [] if project_columns is None else project_columns
        self.projects = [] if projects is None else projects
        self.vote_columns = [] if vote_columns is None else vote_columns
        self._votes = [] if votes is None else votes
        self._vote_lines: list[str] | None = None  # raw VOTES lines, no quote character

    @property
    def votes(self) -> list[dict[str, str]]:
        if self._vote_lines is not None:
            header = self.vote_columns
            self._votes = [
                {header[i]: cell.strip() for i, cell in enumerate(line.split(";"))} for line in self._vote_lines
            ]
            self._vote_lines = None
        return self._votes

    @votes.setter
    def votes(self, value: list[dict[str, str]]) -> None:
        self._votes = value
        self._vote_lines = None

    def _fields(self):
        return (self.meta, self.project_columns, self.projects, self.vote_columns, self.votes)

    def __eq__(self, other):
        if not isinstance(other, PbFile):
            return NotImplemented
        return self._fields() == other._fields()

    def __repr__(self):
        return (
            f"PbFile(meta={self.meta!r}, project_columns={self.project_columns!r}, "
            f"projects=<{len(self.projects)}>, vote_columns={self.vote_columns!r}, votes=<{len(self.votes)}>)"
        )

    @property
    def id_column(self) -> str:
        if "project_id" in self.project_columns:
            return "project_id"
        if not self.project_columns:
            raise PabulibError("the PROJECTS section has no header")
        return self.project_columns[0]

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval").strip().lower()

    def min_score(self) -> Fraction:
        """META ``min_project_score_threshold``: projects scoring less are not
        eligible (0 when the file has none)."""
        text = self.meta.get("min_project_score_threshold", "").strip()
        if not text or text.lower() == "none":
            return Fraction(0)
        try:
            value = to_fraction(text, "min_project_score_threshold")
        except TallyError as exc:
            raise PabulibError(str(exc)) from None
        if value < 0:
            raise PabulibError("min_project_score_threshold is negative")
        return value

    def tie_order(self, election: Election) -> list[str] | None:
        """The tie-breaking order the file publishes, or None (then ties go to the
        smallest id, as pabutools). Agora writes META
        ``tie_breaking;lowest_cost,most_votes,draw`` and the drawn order as the
        PROJECTS column ``draw`` (1 = drawn first)."""
        rule = self.meta.get("tie_breaking", "").strip().lower()
        if not rule:
            return None
        if rule != TIE_BREAKING:
            raise PabulibError(f"unsupported tie_breaking {rule!r} (expected {TIE_BREAKING})")
        idc = self.id_column
        draw = []
        for row in self.projects:
            text = row.get("draw", "").strip()
            if not text.isdigit():
                raise PabulibError(f"project {row.get(idc, '')}: the draw column must be a whole number")
            draw.append((int(text), row.get(idc, "")))
        return cost_votes_draw_order(election, [pid for _position, pid in sorted(draw)])

    def decisions(self) -> Decisions:
        """The city's decisions on the count, written by Agora (agora.tally.constraints):
        META ``funded_by_decision`` and ``excluded_by_decision`` (project ids,
        comma-separated) and ``incompatible_projects`` (pairs ``a+b``, comma-separated).
        Empty when the file has none."""

        def ids(key):
            return [part.strip() for part in self.meta.get(key, "").split(",") if part.strip()]

        pairs = []
        for text in ids("incompatible_projects"):
            pair = [part.strip() for part in text.split("+")]
            if len(pair) != 2 or not all(pair):
                raise PabulibError(f"incompatible_projects: {text!r} is not a pair a+b")
            pairs.append(pair)
        try:
            return Decisions.of(ids("funded_by_decision"), ids("excluded_by_decision"), pairs)
        except TallyError as exc:
            raise PabulibError(str(exc)) from None

    def to_election(self) -> Election:
        """The election this file describes (projects, budget, ballots)."""
        kind = VOTE_KINDS.get(self.vote_type)
        if kind is None:
            raise PabulibError(f"unsupported vote_type {self.vote_type!r}")
        if "budget" not in self.meta:
            raise PabulibError("META has no budget")
        try:
            budget = to_fraction(self.meta["budget"], "budget")
        except TallyError as exc:
            raise PabulibError(str(exc)) from None
        idc = self.id_column
        projects = []
        for row in self.projects:
            pid = row.get(idc, "")
            if not pid:
                raise PabulibError("a project has no id")
            if "cost" not in row:
                raise PabulibError(f"project {pid} has no cost")
            cats = _list(row.get("category", row.get("categories", "")))
            targets = _list(row.get("target", row.get("targets", "")))
            name = row.get("name", "")
            try:
                projects.append(
                    Project(
                        id=pid,
                        cost=to_fraction(row["cost"], f"cost of project {pid}"),
                        name="" if name.lower() == "none" else name,
                        categories=tuple(cats),
                        targets=tuple(targets),
                    )
                )
            except TallyError as exc:
                raise PabulibError(str(exc)) from None
        try:
            election = Election(projects=projects, budget=budget, ballots=(), kind=kind)
        except PabulibError:
            raise
        except TallyError as exc:
            raise PabulibError(str(exc)) from None
        # Identical votes are read and checked once; the Election shares one ballot object
        # between them (ballots are immutable in practice: frozensets, tuples, fresh dicts).
        cache: dict = {}
        ballots: list = []
        append = ballots.append
        known = frozenset(election.by_id)
        numbers: dict[str, Fraction] = {}
        for number, key in enumerate(self._vote_keys(kind == Kind.POINTS), start=1):
            ballot = cache.get(key)
            if ballot is None:
                ballot = _fast_ballot(kind, key, known, numbers)
                if ballot is None:  # unusual spelling or invalid: the general (checking) path
                    ballot = self._ballot(election, kind, key, number)
                cache[key] = ballot
            append(ballot)
        election.ballots = ballots
        return election

    def _vote_keys(self, points: bool):
        """The vote string of every vote ((vote, points) pairs when ``points``), in file order."""
        header = self.vote_columns
        if self._vote_lines is None:
            if points:
                return [(row.get("vote", ""), row.get("points", "")) for row in self._votes]
            return [row.get("vote", "") for row in self._votes]
        lines = self._vote_lines
        vi = header.index("vote") if "vote" in header else -1
        if vi < 0:
            return [("", "") if points else ""] * len(lines)
        column = _column(lines, vi)
        if not points:
            return column
        if "points" not in header:
            return [(vote, "") for vote in column]
        return list(zip(column, _column(lines, header.index("points"))))

    @staticmethod
    def _ballot(election: Election, kind: str, key, number: int):
        vote, pts = key if kind == Kind.POINTS else (key, "")
        ids = _list(vote)
        try:
            if kind != Kind.POINTS:
                return election._clean_ballot(tuple(ids), number - 1)
            points = _list(pts)
            if len(points) != len(ids):
                raise PabulibError(f"vote {number}: {len(ids)} projects but {len(points)} points")
            ballot: dict[str, Fraction] = {}
            for pid, p in zip(ids, points):
                ballot[pid] = ballot.get(pid, 0) + to_fraction(p, f"points in vote {number}")
            return election._clean_ballot(ballot, number - 1)
        except PabulibError:
            raise
        except TallyError as exc:
            raise PabulibError(str(exc)) from None


_EMPTY: frozenset = frozenset()


# META rule -> (rule, completion) of agora.tally.
FILE_RULES = {
    "greedy": ("greedy", "none"),
    "greedy-threshold": ("greedy", "none"),
    "equalshares": ("mes", "none"),
    "equalshares/add1": ("mes", "add1"),
}


def recount(pb: PbFile, rule: str | None = None, completion: str | None = None, election: Election | None = None):
    """Count a file as it says: its META ``min_project_score_threshold``,
    ``tie_breaking`` and the city's decisions (``PbFile.decisions``) always apply;
    ``rule`` ("greedy" or "mes", default: the file's META rule) and ``completion``
    (MES: "none" or "add1", default: the file's, else add1)."""
    election = pb.to_election() if election is None else election
    min_score, order = pb.min_score(), pb.tie_order(election)
    if rule is None:
        named = pb.meta.get("rule", "greedy").strip().lower()
        if named not in FILE_RULES:
            raise PabulibError(f"the file's rule {named!r} is not one Agora counts (greedy or mes)")
        rule, file_completion = FILE_RULES[named]
        completion = completion or file_completion
    if rule == "greedy":

        def count(counted):
            return greedy(counted, min_score=min_score, tie_order=order)
    else:

        def count(counted):
            return mes(counted, completion or "add1", min_score=min_score, tie_order=order)

    return decided(election, count, pb.decisions())


def _column(lines: list[str], index: int) -> list[str]:
    """Cell ``index`` of every ';'-separated line ("" when the line is shorter)."""
    if index == 0:
        return [line.partition(";")[0] for line in lines]
    top = index + 1
    return [cells[index] if len(cells) > index else "" for cells in (line.split(";", top) for line in lines)]


def _fast_ballot(kind: str, key, known: frozenset, numbers: dict):
    """The clean ballot of a plainly written vote ("12,5,7": known ids, no spaces), else None.

    Gives exactly what :meth:`Election._clean_ballot` gives for such a vote.
    """
    vote, pts = key if kind == Kind.POINTS else (key, "")
    if not vote:
        if kind == Kind.POINTS and pts.strip():
            return None
        return _EMPTY if kind == Kind.APPROVAL else ({} if kind == Kind.POINTS else ())
    if vote.lower() == "none":
        return None
    parts = vote.split(",")
    ids = frozenset(parts)
    if not ids <= known:
        return None
    if kind == Kind.APPROVAL:
        return ids
    if len(ids) != len(parts):
        return None
    if kind == Kind.RANKING:
        return tuple(parts)
    values = pts.split(",")
    if len(values) != len(parts):
        return None
    ballot = {}
    for pid, text in zip(parts, values):
        value = numbers.get(text)
        if value is None:
            if not (text.isascii() and text.isdigit()):
                return None
            value = numbers[text] = Fraction(int(text))
        if value:
            ballot[pid] = value
    return ballot


def _list(value: str) -> list[str]:
    value = (value or "").strip()
    if not value or value.lower() == "none":
        return []
    return [v.strip() for v in value.split(",") if v.strip()]


_SECTION_LINE = re.compile(r"^[ \t]*(?:meta|projects|votes)[ \t]*(?:;[ \t]*)*$", re.IGNORECASE | re.MULTILINE)


def loads(text: str) -> PbFile:
    """Parse the text of a .pb file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    pb = PbFile()
    section = None
    header: list[str] | None = None
    buffer = io.StringIO(text, newline="")
    reader = csv.reader(buffer, delimiter=";")
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            first = row[0].strip().lower()
            if first in SECTIONS and len([c for c in row if c.strip()]) == 1:
                section = first
                header = None
                continue
            if section is None:
                raise PabulibError(f"line {reader.line_num}: text before the META section")
            if header is None:
                header = [h.strip() for h in row]
                if section == "projects":
                    pb.project_columns = header
                elif section == "votes":
                    pb.vote_columns = header
                    if _fast_votes(pb, buffer, reader.line_num):
                        break
                continue
            if section == "meta":
                if len(row) < 2:
                    raise PabulibError(f"line {reader.line_num}: META line without a value")
                pb.meta[row[0].strip()] = ";".join(row[1:]).strip()
                continue
            if len(row) > len(header):
                raise PabulibError(f"line {reader.line_num}: {len(row)} fields but the header has {len(header)}")
            values = {header[i]: row[i].strip() for i in range(len(row))}
            if section == "projects":
                pb.projects.append(values)
            else:
                pb.votes.append(values)
    except csv.Error as exc:
        raise PabulibError(f"line {reader.line_num}: {exc}") from None
    if section is None:
        raise PabulibError("not a pabulib file (no META section)")
    if not pb.project_columns:
        raise PabulibError("no PROJECTS section")
    return pb


def _fast_votes(pb: PbFile, buffer: io.StringIO, line_num: int) -> bool:
    """Keep the rest of the file (the VOTES lines) as raw lines when that is exact.

    Exact when the rest has no quote character (then csv splits on ';' exactly like
    str.split), no NUL and no line that starts another section; otherwise the csv reader
    goes on (returns False, the buffer is left where it was).
    """
    start = buffer.tell()
    rest = buffer.read()
    if '"' in rest or "\0" in rest or _SECTION_LINE.search(rest):
        buffer.seek(start)
        return False
    if "\r" in rest:
        rest = rest.replace("\r\n", "\n").replace("\r", "\n")
    lines = rest.split("\n")
    width = len(pb.vote_columns)
    too_wide = re.compile("^" + "[^;\n]*;" * width, re.MULTILINE).search(rest)
    if too_wide:
        number = line_num + 1 + rest.count("\n", 0, too_wide.start())
        line = lines[number - line_num - 1]
        raise PabulibError(f"line {number}: {line.count(';') + 1} fields but the header has {width}")
    kept = [line for line in lines if line.strip() or ";" in line]
    pb._vote_lines = kept
    return True


def load(path: str | os.PathLike) -> PbFile:
    """Read a .pb file (UTF-8, with or without BOM)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        raise PabulibError(f"{path}: not UTF-8 text ({exc.reason})") from None
    return loads(text)


def _clean(value) -> str:
    text = "" if value is None else str(value)
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").strip()


def dumps(pb: PbFile) -> str:
    """The .pb text of a file; ``loads(dumps(pb)) == pb`` for cleanly stripped values."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)

    def first_cell(value: str) -> str:
        if value.strip().lower() in SECTIONS:
            raise PabulibError(f"a first column value may not be {value!r}")
        return value

    out.write("META\n")
    w.writerow(["key", "value"])
    for key, value in pb.meta.items():
        w.writerow([first_cell(_clean(key)), _clean(value)])
    out.write("PROJECTS\n")
    w.writerow(pb.project_columns)
    for row in pb.projects:
        cells = [_clean(row.get(c, "None")) for c in pb.project_columns]
        if cells:
            first_cell(cells[0])
        w.writerow(cells)
    out.write("VOTES\n")
    w.writerow(pb.vote_columns)
    for row in pb.votes:
        cells = [_clean(row.get(c, "None")) for c in pb.vote_columns]
        if cells:
            first_cell(cells[0])
        w.writerow(cells)
    return out.getvalue()


def dump(pb: PbFile, path: str | os.PathLike) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(dumps(pb))


def format_number(value) -> str:
    """An exact decimal string for an amount ("1500", "1500.5"); refuses 1/3."""
    q = to_fraction(value)
    if q.denominator == 1:
        return str(q.numerator)
    d = q.denominator
    k = 0
    while d % 10 == 0 or d % 2 == 0 or d % 5 == 0:
        if d % 10 == 0:
            d //= 10
        elif d % 2 == 0:
            d //= 2
        else:
            d //= 5
        k += 1
    if d != 1:
        raise PabulibError(f"{value} has no exact decimal representation")
    sign = "-" if q < 0 else ""
    q = abs(q)
    scaled = q * 10**k
    digits = str(scaled.numerator).rjust(k + 1, "0")
    text = f"{digits[:-k]}.{digits[-k:]}".rstrip("0").rstrip(".")
    return sign + text


def from_election(
    election: Election,
    *,
    meta: Mapping[str, str] | None = None,
    project_extra: Mapping[str, Mapping[str, str]] | None = None,
    voter_ids: list[str] | None = None,
    voter_extra: list[Mapping[str, str]] | None = None,
) -> PbFile:
    """A pabulib file holding an election (for export of a budget's anonymised ballots)."""
    meta = dict(meta or {})
    info = {
        "description": meta.pop("description", "Agora participatory budget"),
        "country": meta.pop("country", "unknown"),
        "unit": meta.pop("unit", "unknown"),
        "instance": meta.pop("instance", "unknown"),
        "num_projects": str(len(election.projects)),
        "num_votes": str(election.num_ballots),
        "budget": format_number(election.budget),
        "vote_type": KIND_VOTE_TYPE[election.kind],
        "rule": meta.pop("rule", "greedy"),
    }
    for key in ("num_projects", "num_votes", "budget", "vote_type"):
        meta.pop(key, None)
    info.update({k: str(v) for k, v in meta.items()})
    pb = PbFile(meta=info)
    cols = ["project_id", "cost", "name"]
    if any(p.categories for p in election.projects):
        cols.append("category")
    if any(p.targets for p in election.projects):
        cols.append("target")
    extra = project_extra or {}
    for row in extra.values():
        for key in row:
            if key not in cols:
                cols.append(key)
    pb.project_columns = cols
    for p in election.projects:
        row = {"project_id": p.id, "cost": format_number(p.cost), "name": _clean(p.name) or "None"}
        if "category" in cols:
            row["category"] = ",".join(p.categories) or "None"
        if "target" in cols:
            row["target"] = ",".join(p.targets) or "None"
        for key, value in (extra.get(p.id) or {}).items():
            row[key] = _clean(value)
        pb.projects.append(row)
    vcols = ["voter_id", "vote"]
    if election.kind == Kind.POINTS:
        vcols.append("points")
    vextra = voter_extra or []
    for row in vextra:
        for key in row:
            if key not in vcols:
                vcols.append(key)
    pb.vote_columns = vcols
    if voter_ids is not None and len(voter_ids) != election.num_ballots:
        raise PabulibError("voter_ids must have one id per ballot")
    for i, ballot in enumerate(election.ballots):
        row = {"voter_id": str(voter_ids[i]) if voter_ids is not None else str(i + 1)}
        if election.kind == Kind.APPROVAL:
            row["vote"] = ",".join(sorted(ballot))
        elif election.kind == Kind.RANKING:
            row["vote"] = ",".join(ballot)
        else:
            keys = sorted(ballot)
            row["vote"] = ",".join(keys)
            row["points"] = ",".join(format_number(ballot[k]) for k in keys)
        if i < len(vextra):
            for key, value in vextra[i].items():
                row[key] = _clean(value)
        pb.votes.append(row)
    return pb
