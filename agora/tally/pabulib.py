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
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from .election import Election, Project, TallyError, to_fraction

SECTIONS = ("meta", "projects", "votes")

VOTE_KINDS = {
    "approval": "approval",
    "choose-1": "approval",
    "cumulative": "points",
    "scoring": "points",
    "ordinal": "ranking",
}
KIND_VOTE_TYPE = {"approval": "approval", "points": "cumulative", "ranking": "ordinal"}


class PabulibError(TallyError):
    """The text is not a readable pabulib file."""


@dataclass
class PbFile:
    meta: dict[str, str] = field(default_factory=dict)
    project_columns: list[str] = field(default_factory=list)
    projects: list[dict[str, str]] = field(default_factory=list)
    vote_columns: list[str] = field(default_factory=list)
    votes: list[dict[str, str]] = field(default_factory=list)

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
                        categories=cats,
                        targets=targets,
                    )
                )
            except TallyError as exc:
                raise PabulibError(str(exc)) from None
        ballots = []
        for number, row in enumerate(self.votes, start=1):
            ids = _list(row.get("vote", ""))
            if kind == "approval":
                ballots.append(ids)
            elif kind == "ranking":
                ballots.append(ids)
            else:
                points = _list(row.get("points", ""))
                if len(points) != len(ids):
                    raise PabulibError(f"vote {number}: {len(ids)} projects but {len(points)} points")
                ballot: dict[str, Fraction] = {}
                for pid, pts in zip(ids, points):
                    try:
                        ballot[pid] = ballot.get(pid, 0) + to_fraction(pts, f"points in vote {number}")
                    except TallyError as exc:
                        raise PabulibError(str(exc)) from None
                ballots.append(ballot)
        try:
            return Election(projects=projects, budget=budget, ballots=ballots, kind=kind)
        except PabulibError:
            raise
        except TallyError as exc:
            raise PabulibError(str(exc)) from None


def _list(value: str) -> list[str]:
    value = (value or "").strip()
    if not value or value.lower() == "none":
        return []
    return [v.strip() for v in value.split(",") if v.strip()]


def loads(text: str) -> PbFile:
    """Parse the text of a .pb file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    pb = PbFile()
    section = None
    header: list[str] | None = None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
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
                continue
            if section == "meta":
                if len(row) < 2:
                    raise PabulibError(f"line {reader.line_num}: META line without a value")
                pb.meta[row[0].strip()] = ";".join(row[1:]).strip()
                continue
            if len(row) > len(header):
                raise PabulibError(
                    f"line {reader.line_num}: {len(row)} fields but the header has {len(header)}"
                )
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
    if election.kind == "points":
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
        if election.kind == "approval":
            row["vote"] = ",".join(sorted(ballot))
        elif election.kind == "ranking":
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
