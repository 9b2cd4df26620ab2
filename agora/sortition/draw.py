"""The draw anyone can check (docs/sortition.md gives the procedure in words).

1. Before the draw the distribution document is published with its SHA-256
   (`Distribution.document()`: pool hash, quotas, algorithm and version, types
   and panels with whole-number weights).
2. The seed: each party publishes `commitment(party, secret)`, then reveals its
   secret; a party whose secret is missing is dropped (and the bundle says so).
   The officer may add a public value not known in advance (a lottery draw, an
   index close). seed = SHA-256(canonical JSON of {"distribution_sha256",
   "public_value", "reveals": [[party, secret] ... sorted by party]}).
3. The stream (`randomness.Stream`) is SHA-256(seed ‖ distribution hash (32 bytes)
   ‖ counter). Its first draw below the total weight, r, picks the panel: the first
   in published order whose running total of weights exceeds r. Then for each
   type in published order whose count c in that panel is positive, the members
   are drawn by c steps of Fisher–Yates on the type's sorted member ids.
4. Replacements: a new draw on the remaining pool (without everyone drawn
   before, and without the household mates of those who stay) with the quotas
   reduced by those who stay and the size of those who declined.
"""

import hashlib
from dataclasses import dataclass

from agora.sortition import VERSION
from agora.sortition.algorithms import Distribution, select
from agora.sortition.pool import Instance, canonical_json, sha256_hex
from agora.sortition.randomness import Stream

BUNDLE_FORMAT = "agora-sortition-bundle/1"
IDEAS_FORMAT = "agora-sortition-ideas/1"
IDEAS_FORMAT_2 = "agora-sortition-ideas/2"  # titles as commitments (a hidden title can leave the bundle)
COMMIT_PREFIX = b"agora-sortition-commit\x00"
TITLE_PREFIX = b"agora-sortition-title\x00"


class VerificationError(ValueError):
    """The bundle does not check out; the message says where."""


def commitment(party: str, secret: str) -> str:
    """What a party publishes first: SHA-256 of the prefix, its name, a zero byte and its secret."""
    return hashlib.sha256(COMMIT_PREFIX + party.encode("utf-8") + b"\x00" + secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Party:
    name: str
    commitment: str
    secret: str | None = None  # None: did not reveal (dropped)

    def revealed(self) -> bool:
        return self.secret is not None


def seed_document(distribution_sha256: str, parties: list[Party], public_value: str | None) -> dict:
    for party in parties:
        if party.secret is not None and commitment(party.name, party.secret) != party.commitment:
            raise VerificationError(f"the secret revealed by {party.name} does not match its commitment")
    reveals = sorted([p.name, p.secret] for p in parties if p.secret is not None)
    return {"distribution_sha256": distribution_sha256, "public_value": public_value or "", "reveals": reveals}


def seed_of(distribution_sha256: str, parties: list[Party], public_value: str | None) -> bytes:
    return hashlib.sha256(canonical_json(seed_document(distribution_sha256, parties, public_value))).digest()


def draw_from(document: dict, distribution_sha256: str, seed: bytes) -> tuple[int, list[str]]:
    """The panel index and the panel's ids (sorted) that the seed picks from a published distribution."""
    stream = Stream(seed, bytes.fromhex(distribution_sha256))
    panels = document["panels"]
    total = sum(int(p["weight"]) for p in panels)
    target = stream.below(total)
    running = 0
    index = 0
    for index, panel in enumerate(panels):
        running += int(panel["weight"])
        if running > target:
            break
    chosen: list[str] = []
    for count, kind in zip(panels[index]["counts"], document["types"], strict=True):
        if count:
            chosen.extend(stream.sample(list(kind["members"]), int(count)))
    return index, sorted(chosen)


def draw(distribution: Distribution, parties: list[Party], public_value: str | None) -> dict:
    """The published record of a draw (one entry of a bundle's "draws")."""
    document = distribution.document()
    digest = sha256_hex(document)
    seed = seed_of(digest, parties, public_value)
    index, panel = draw_from(document, digest, seed)
    return {
        "kind": "selection",
        "pool": distribution.instance.canonical(),
        "distribution": document,
        "distribution_sha256": digest,
        "parties": [
            {"party": p.name, "commitment": p.commitment, "secret": p.secret, "dropped": not p.revealed()}
            for p in sorted(parties, key=lambda p: p.name)
        ],
        "public_value": public_value or "",
        "seed_sha256": seed.hex(),
        "panel_index": index,
        "panel": panel,
    }


def bundle(draws: list[dict]) -> dict:
    return {"format": BUNDLE_FORMAT, "version": VERSION, "draws": draws}


def remaining_instance(original: Instance, drawn: list[str], kept: list[str], declined: list[str]) -> Instance:
    """The pool and quotas of a replacement draw (see the module's step 4)."""
    values = original.person_values()
    households = {p.id: p.household for p in original.people}
    kept_households = {households[i] for i in kept if households.get(i)}
    excluded = set(drawn)
    people = [
        p
        for p in original.people
        if p.id not in excluded and (p.household is None or p.household not in kept_households)
    ]
    quotas = {}
    for key, (low, high) in original.quotas.items():
        position = original.features.index(key[0])
        staying = sum(1 for i in kept if values[i][position] == key[1])
        quotas[key] = (max(0, low - staying), max(0, high - staying))
    return Instance(
        features=original.features,
        values=dict(original.values),
        quotas=quotas,
        people=people,
        panel_size=len(declined),
    )


def replacement(
    original: Instance,
    drawn: list[str],
    kept: list[str],
    declined: list[str],
    algorithm: str,
    parties: list[Party],
    public_value: str | None,
) -> dict:
    instance = remaining_instance(original, drawn, kept, declined)
    record = draw(select(instance, algorithm), parties, public_value)
    record["kind"] = "replacement"
    record["replaces"] = {"drawn_before": sorted(drawn), "kept": sorted(kept), "declined": sorted(declined)}
    return record


# -- drawing ideas or projects ---------------------------------------------------------


def title_commitment(identifier: str, salt: str, title: str) -> str:
    """A candidate's title in a format-2 document: SHA-256 of the prefix, the id, a zero
    byte, the salt, a zero byte and the title (UTF-8)."""
    text = identifier.encode("utf-8") + b"\x00" + salt.encode("utf-8") + b"\x00" + title.encode("utf-8")
    return hashlib.sha256(TITLE_PREFIX + text).hexdigest()


def ideas_document(
    candidates: list[tuple[str, str]],
    count: int,
    source: str,
    filters: dict[str, str],
    salts: dict[str, str] | None = None,
) -> dict:
    """What is published before ideas are drawn: where they come from, the filters, how
    many are drawn and every candidate (id and title), sorted by id. With `salts` (one per
    id), format 2: each title is replaced by `title_commitment`, and the titles with their
    salts are published beside the document (a title hidden later leaves; the hash stays)."""
    if not 1 <= count <= len(candidates):
        raise ValueError(f"cannot draw {count} of {len(candidates)} ideas")
    ids = [identifier for identifier, _ in candidates]
    if len(set(ids)) != len(ids):
        raise ValueError("two candidates have the same id")
    if salts is not None:
        entries = [[i, title_commitment(i, salts[i], title)] for i, title in candidates]
    else:
        entries = [[identifier, title] for identifier, title in candidates]
    return {
        "format": IDEAS_FORMAT if salts is None else IDEAS_FORMAT_2,
        "version": VERSION,
        "source": source,
        "filters": dict(sorted(filters.items())),
        "count": count,
        "candidates": sorted(entries),
    }


def draw_ideas(document: dict, parties: list[Party], public_value: str | None) -> dict:
    """The published record of a drawing of ideas: the seed is made as for a panel (from
    the candidates' hash, the revealed secrets and the public value) and `count` ids are
    drawn from the sorted candidates' ids by the first steps of Fisher–Yates."""
    digest = sha256_hex(document)
    seed = seed_of(digest, parties, public_value)
    ids = [entry[0] for entry in document["candidates"]]
    drawn = Stream(seed, bytes.fromhex(digest)).sample(ids, int(document["count"]))
    return {
        "kind": "ideas",
        "candidates": document,
        "candidates_sha256": digest,
        "parties": [
            {"party": p.name, "commitment": p.commitment, "secret": p.secret, "dropped": not p.revealed()}
            for p in sorted(parties, key=lambda p: p.name)
        ],
        "public_value": public_value or "",
        "seed_sha256": seed.hex(),
        "drawn": drawn,
    }


def _verify_titles(number: int, document: dict, titles: list[dict]) -> int:
    """A format-2 record's published titles: each matches its candidate's commitment; a
    title hidden (by moderation) is marked so, or absent. Returns how many are not shown."""
    committed = {str(entry[0]): entry[1] for entry in document["candidates"]}
    shown = 0
    for entry in titles:
        identifier = str(entry.get("id"))
        if identifier not in committed:
            raise VerificationError(f"draw {number}: a title is given for {identifier}, which is no candidate")
        if entry.get("hidden"):
            continue
        if title_commitment(identifier, str(entry.get("salt")), str(entry.get("title"))) != committed[identifier]:
            raise VerificationError(f"draw {number}: the title of {identifier} does not match its commitment")
        shown += 1
    if len({entry.get("id") for entry in titles}) != len(titles):
        raise VerificationError(f"draw {number}: a candidate's title is given twice")
    return len(committed) - shown


def _verify_ideas(number: int, record: dict) -> str:
    document = record["candidates"]
    if document.get("format") not in (IDEAS_FORMAT, IDEAS_FORMAT_2):
        raise VerificationError(f"draw {number}: the candidates are not of format {IDEAS_FORMAT} or {IDEAS_FORMAT_2}")
    ids = [entry[0] for entry in document["candidates"]]
    if ids != sorted(ids) or len(set(ids)) != len(ids):
        raise VerificationError(f"draw {number}: the candidates are not sorted by id, or repeat one")
    hidden = 0
    if document["format"] == IDEAS_FORMAT_2:
        hidden = _verify_titles(number, document, record.get("titles", []))
    digest = sha256_hex(document)
    if digest != record["candidates_sha256"]:
        raise VerificationError(f"draw {number}: the candidates' SHA-256 is not the one published")
    parties = [Party(p["party"], p["commitment"], p["secret"]) for p in record.get("parties", [])]
    again = draw_ideas(document, parties, record.get("public_value"))
    if again["seed_sha256"] != record["seed_sha256"]:
        raise VerificationError(f"draw {number}: the seed is not the one published")
    if again["drawn"] != record["drawn"]:
        raise VerificationError(f"draw {number}: the seed draws other ideas than the ones published")
    return f"draw {number} (ideas): OK, {len(again['drawn'])} of {len(ids)} ideas" + (
        f"; {hidden} titles not shown (hidden)" if hidden else ""
    )


# -- verification -----------------------------------------------------------------


def _check_distribution(instance: Instance, document: dict) -> None:
    if document.get("pool_sha256") != instance.pool_sha256():
        raise VerificationError("the distribution names another pool than the one published")
    if document.get("quotas") != instance.canonical_quotas():
        raise VerificationError("the distribution's quotas are not consistent")
    types = [(tuple(t["values"]), tuple(t["members"])) for t in document["types"]]
    values = instance.person_values()
    seen: set[str] = set()
    for kind_values, members in types:
        if not members or list(members) != sorted(members):
            raise VerificationError("a type's members are empty or not sorted")
        for member in members:
            if member in seen or member not in values or values[member] != kind_values:
                raise VerificationError(f"volunteer {member} is not in the pool with the values of their type")
            seen.add(member)
    if seen != set(values):
        raise VerificationError("the types do not cover the pool")
    household_of = {p.id: p.household for p in instance.people}
    shared = instance._shared_households()
    for kind_values, members in types:
        if len(members) > 1 and any(household_of[m] in shared for m in members):
            raise VerificationError("a volunteer sharing a household is grouped with others")
    keys = instance.value_keys
    for number, panel in enumerate(document["panels"]):
        counts = panel["counts"]
        if int(panel["weight"]) <= 0 or len(counts) != len(types):
            raise VerificationError(f"panel {number}: bad weight or counts")
        if sum(counts) != instance.panel_size:
            raise VerificationError(f"panel {number}: not {instance.panel_size} seats")
        for count, (_, members) in zip(counts, types, strict=True):
            if count < 0 or count > len(members):
                raise VerificationError(f"panel {number}: a type has more seats than members")
        for feature, value in keys:
            position = instance.features.index(feature)
            chosen = sum(c for c, (v, _) in zip(counts, types, strict=True) if v[position] == value)
            low, high = instance.quotas[(feature, value)]
            if not low <= chosen <= high:
                raise VerificationError(f"panel {number}: {feature}={value} has {chosen}, quota {low}..{high}")
        by_household: dict[str, int] = {}
        for count, (_, members) in zip(counts, types, strict=True):
            if count and len(members) == 1 and household_of[members[0]] in shared:
                key = household_of[members[0]] or ""
                by_household[key] = by_household.get(key, 0) + 1
                if by_household[key] > 1:
                    raise VerificationError(f"panel {number}: two people of one household")


def verify(data: dict, recompute: bool = False) -> list[str]:
    """Check every draw of a bundle; returns one line per draw, raises VerificationError."""
    if data.get("format") != BUNDLE_FORMAT:
        raise VerificationError(f"not a bundle of format {BUNDLE_FORMAT}")
    lines = []
    original: Instance | None = None
    for number, record in enumerate(data.get("draws", [])):
        if record.get("kind") == "ideas":
            lines.append(_verify_ideas(number, record))
            continue
        document = record["distribution"]
        try:
            instance = Instance.from_canonical(record["pool"], document["quotas"])
        except (KeyError, TypeError, ValueError) as exc:
            raise VerificationError(f"draw {number}: the pool cannot be read ({exc})") from None
        if record.get("kind") == "replacement":
            if original is None:
                raise VerificationError(f"draw {number}: a replacement before any selection")
            replaces = record["replaces"]
            expected = remaining_instance(original, replaces["drawn_before"], replaces["kept"], replaces["declined"])
            if (
                expected.canonical() != instance.canonical()
                or expected.canonical_quotas() != instance.canonical_quotas()
            ):
                raise VerificationError(f"draw {number}: the remaining pool or its quotas are not derived as published")
        else:
            original = instance
        _check_distribution(instance, document)
        digest = sha256_hex(document)
        if digest != record["distribution_sha256"]:
            raise VerificationError(f"draw {number}: the distribution's SHA-256 is not the one published")
        if recompute:
            if document["version"] != VERSION:
                raise VerificationError(f"draw {number}: computed by version {document['version']}, this is {VERSION}")
            again = select(instance, document["algorithm"]).sha256()
            if again != digest:
                raise VerificationError(
                    f"draw {number}: recomputing the {document['algorithm']} distribution gives another one"
                )
        parties = [Party(p["party"], p["commitment"], p["secret"]) for p in record.get("parties", [])]
        for entry in record.get("parties", []):
            if bool(entry.get("dropped")) != (entry["secret"] is None):
                raise VerificationError(f"draw {number}: {entry['party']} is marked dropped inconsistently")
        seed = seed_of(digest, parties, record.get("public_value"))
        if seed.hex() != record["seed_sha256"]:
            raise VerificationError(f"draw {number}: the seed is not the one published")
        index, panel = draw_from(document, digest, seed)
        if index != record["panel_index"] or panel != record["panel"]:
            raise VerificationError(f"draw {number}: the seed gives panel {index}, not the one published")
        dropped = [p.name for p in parties if not p.revealed()]
        lines.append(
            f"draw {number} ({record.get('kind', 'selection')}, {document['algorithm']}): OK, panel {index} of "
            f"{len(document['panels'])}, {len(panel)} people"
            + (f"; dropped for not revealing: {', '.join(dropped)}" if dropped else "")
        )
    if not lines:
        raise VerificationError("the bundle has no draw")
    return lines
