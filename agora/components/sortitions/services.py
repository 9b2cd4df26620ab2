"""Every write of the sortitions component: permission, transaction, action log.
The computing and the drawing are agora.sortition's; here the models are turned into
its `Instance` and its answers are stored and published."""

import csv
import io
import math
import re
import secrets
import unicodedata
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.accounts.models import User
from agora.actionlog.services import trace
from agora.components.models import Component
from agora.components.proposals import api as ideas_api
from agora.components.sortitions import selectors
from agora.components.sortitions.models import Draw, IdeaDraw, Party, Quota, Sortition, Volunteer
from agora.components.sortitions.tasks import compute
from agora.core.translations import translated
from agora.permissions import require
from agora.questionnaires import selectors as questionnaire_selectors
from agora.questionnaires import services as questionnaires
from agora.questionnaires.models import Option, Question
from agora.sortition import draw as engine_draw
from agora.sortition import feasibility, pool
from agora.sortition.algorithms import ALGORITHMS
from agora.spaces.models import AssemblyMember, Space
from agora.spaces.services import add_assembly_member, add_space_member

RESERVED_COLUMNS = {"id", "ref", "household", "address", "name", "contact", "email", "phone"}
MAX_VOLUNTEERS = 20000


def create_sortition(
    *, actor: User, component: Component, title: str, panel_size: int, one_per_household: bool, algorithm: str
) -> Sortition:
    require(actor, "sortitions.manage", component)
    if algorithm not in ALGORITHMS:
        raise ValidationError({"algorithm": _("Choose one of the algorithms offered.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the sortition a title.")})
    if panel_size < 1:
        raise ValidationError({"panel_size": _("The panel needs at least one seat.")})
    with transaction.atomic():
        sortition = Sortition.objects.create(
            component=component,
            title=title.strip(),
            panel_size=panel_size,
            one_per_household=one_per_household,
            algorithm=algorithm,
        )
        trace(actor, "sortitions.created", sortition, component=component)
    return sortition


def household_key(address: str) -> str:
    """The same key for the same address written differently (case, accents, spaces, punctuation)."""
    text = unicodedata.normalize("NFKD", address or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _locked(sortition: Sortition) -> None:
    if sortition.draws.exists():
        raise ValidationError(_("The pool and the quotas cannot change once a selection has started."))


@dataclass(frozen=True)
class ImportResult:
    """What an import did: imported volunteers added and updated (same id), earlier imported
    ones removed (only when asked), and volunteers registered through the form kept."""

    added: int
    updated: int
    kept: int
    removed: int


def _form_registered(volunteers: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    """Volunteers who registered through the form (their answers, or their account, are theirs)."""
    return volunteers.filter(Q(answer_set__isnull=False) | Q(user__isnull=False))


def import_volunteers(*, actor: User, sortition: Sortition, text: str, remove_missing: bool = False) -> ImportResult:
    """Add or update the pool's volunteers from a CSV: one line per volunteer, a column per
    feature, and the optional columns id (or ref), household (or address: the same address,
    the same household), name and contact (staff only). A line whose id is already in the
    pool updates that volunteer; volunteers registered through the form are always kept (an
    id of theirs in the file is refused); with `remove_missing`, imported volunteers the file
    no longer lists leave the pool."""
    require(actor, "sortitions.manage", sortition.component)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = [c.strip() for c in reader.fieldnames or [] if c and c.strip()]
    features = [c for c in columns if c.lower() not in RESERVED_COLUMNS]
    if not features:
        raise ValidationError(_("The file needs a header line with at least one feature column."))
    rows: dict[str, dict] = {}
    lines: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        ref = (row.get("id") or row.get("ref") or f"V{number - 1:05d}")[:40]
        if ref in rows:
            raise ValidationError(_("Line %(line)s: the id %(ref)s appears twice.") % {"line": number, "ref": ref})
        values = {feature: row.get(feature, "") for feature in features}
        missing = [feature for feature, value in values.items() if not value]
        if missing:
            raise ValidationError(
                _("Line %(line)s: no value for %(features)s.") % {"line": number, "features": ", ".join(missing)}
            )
        household = row.get("household") or household_key(row.get("address", ""))
        contact = " ".join(filter(None, [row.get("contact"), row.get("email"), row.get("phone")]))
        rows[ref] = {
            "values": values,
            "household": household[:200],
            "name": row.get("name", "")[:200],
            "contact": contact[:300],
        }
        lines[ref] = number
        if len(rows) > MAX_VOLUNTEERS:
            raise ValidationError(_("At most %(n)s volunteers per pool.") % {"n": MAX_VOLUNTEERS})
    if not rows:
        raise ValidationError(_("The file has no volunteer."))
    with transaction.atomic():
        locked = Sortition.objects.select_for_update().get(pk=sortition.pk)
        _locked(locked)
        registered = _form_registered(locked.volunteers.all())
        taken = sorted(set(registered.filter(ref__in=list(rows)).values_list("ref", flat=True)))
        if taken:
            raise ValidationError(
                _("Line %(line)s: the id %(ref)s is a volunteer who registered through the form.")
                % {"line": lines[taken[0]], "ref": taken[0]},
                code="registered_id",
            )
        kept_features = {frozenset(values) for values in registered.values_list("values", flat=True)}
        if kept_features and kept_features != {frozenset(features)}:
            theirs = sorted({f for group in kept_features for f in group})
            raise ValidationError(
                _(
                    "The file's features (%(file)s) are not those of the volunteers who registered through the "
                    "form (%(form)s): use the same columns."
                )
                % {"file": ", ".join(sorted(features)), "form": ", ".join(theirs)},
                code="features",
            )
        imported = locked.volunteers.exclude(pk__in=registered.values("pk"))
        existing = {v.ref: v for v in imported.filter(ref__in=list(rows))}
        removed = 0
        if remove_missing:
            removed, _detail = imported.exclude(ref__in=list(rows)).delete()
        for ref, volunteer in existing.items():
            for field, value in rows[ref].items():
                setattr(volunteer, field, value)
        Volunteer.objects.bulk_update(
            list(existing.values()), ["values", "household", "name", "contact"], batch_size=1000
        )
        Volunteer.objects.bulk_create(
            [Volunteer(sortition=locked, ref=ref, **row) for ref, row in rows.items() if ref not in existing],
            batch_size=1000,
        )
        if locked.volunteers.count() > MAX_VOLUNTEERS:
            raise ValidationError(_("At most %(n)s volunteers per pool.") % {"n": MAX_VOLUNTEERS})
        result = ImportResult(
            added=len(rows) - len(existing), updated=len(existing), kept=registered.count(), removed=removed
        )
        trace(
            actor,
            "sortitions.pool_imported",
            locked,
            component=locked.component,
            data={"volunteers": len(rows), **asdict(result)},
        )
    return result


def quotas_from_shares(panel_size: int, shares: dict[tuple[str, str], float], margin: int = 1) -> dict:
    """The population-share helper: each value's share of the population (in %) gives
    its seats; the quota is that number rounded down minus `margin` to rounded up plus `margin`."""
    out = {}
    for key, share in shares.items():
        target = panel_size * share / 100
        low = max(0, int(target) - margin)
        high = min(panel_size, -int(-target // 1) + margin)
        out[key] = (low, high)
    return out


def _seats(cell: str, panel_size: int, *, up: bool) -> int:
    """A number of seats, or a percentage of the panel ("45%"): a minimum rounds up,
    a maximum down, so that the quota never says less than the percentage asked."""
    if not cell.endswith("%"):
        return int(cell)
    share = float(cell.rstrip("%").strip().replace(",", "."))
    if not 0 <= share <= 100:
        raise ValueError
    seats = panel_size * share / 100
    whole = round(seats)
    if abs(seats - whole) < 1e-9:  # 45% of 20 is 9, not 9.000000000000002 rounded up to 10
        return whole
    return math.ceil(seats) if up else math.floor(seats)


def parse_quota_lines(text: str, panel_size: int) -> dict[tuple[str, str], tuple[int, int]]:
    """`feature,value,min,max` lines (each a number of seats or a percentage of the
    panel: `gender,woman,45%,55%`), or `feature,value,share%` (the population-share helper)."""
    quotas: dict[tuple[str, str], tuple[int, int]] = {}
    shares: dict[tuple[str, str], float] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].lower() in ("feature", "category"):
            continue
        try:
            if len(cells) == 3 and cells[2].endswith("%"):
                shares[(cells[0], cells[1])] = float(cells[2].rstrip("%").replace(",", "."))
                continue
            if len(cells) != 4:
                raise ValueError
            low, high = _seats(cells[2], panel_size, up=True), _seats(cells[3], panel_size, up=False)
        except ValueError:
            raise ValidationError(
                _("Line %(line)s: write feature,value,minimum,maximum or feature,value,share%%.") % {"line": number}
            ) from None
        if low < 0 or high < low:
            raise ValidationError(_("Line %(line)s: the minimum must be between 0 and the maximum.") % {"line": number})
        quotas[(cells[0], cells[1])] = (low, high)
    quotas.update(quotas_from_shares(panel_size, shares))
    if not quotas:
        raise ValidationError(_("Write at least one quota."))
    return quotas


def set_quotas(*, actor: User, sortition: Sortition, text: str) -> int:
    require(actor, "sortitions.manage", sortition.component)
    quotas = parse_quota_lines(text, sortition.panel_size)
    with transaction.atomic():
        locked = Sortition.objects.select_for_update().get(pk=sortition.pk)
        _locked(locked)
        locked.quotas.all().delete()
        Quota.objects.bulk_create(
            Quota(sortition=locked, feature=f, value=v, minimum=low, maximum=high)
            for (f, v), (low, high) in sorted(quotas.items())
        )
        trace(actor, "sortitions.quotas_set", locked, component=locked.component, data={"quotas": len(quotas)})
    return len(quotas)


def instance_of(sortition: Sortition) -> pool.Instance:
    """The engine's view of the pool: features from the quotas, refs as ids. A value a
    volunteer has and no quota names gets the quota 0..panel size (unconstrained)."""
    quotas = {(q.feature, q.value): (q.minimum, q.maximum) for q in sortition.quotas.all()}
    volunteers = list(sortition.volunteers.all())
    features = sorted({key[0] for key in quotas} | {f for v in volunteers for f in v.values})
    for volunteer in volunteers:
        for feature in features:
            key = (feature, volunteer.values.get(feature, ""))
            quotas.setdefault(key, (0, sortition.panel_size))
    values = {f: sorted({v for (g, v) in quotas if g == f}) for f in features}
    people = [
        pool.Person(
            v.ref,
            tuple(v.values.get(f, "") for f in features),
            (v.household or None) if sortition.one_per_household else None,
        )
        for v in volunteers
    ]
    return pool.build(features, values, quotas, people, sortition.panel_size)


def check(sortition: Sortition) -> feasibility.Report:
    return feasibility.check(instance_of(sortition))


def start_selection(*, actor: User, sortition: Sortition) -> Draw:
    """Computes the distribution in the background worker (agora.components.sortitions.tasks)."""
    require(actor, "sortitions.manage", sortition.component)
    with transaction.atomic():
        locked = Sortition.objects.select_for_update().get(pk=sortition.pk)
        if locked.draws.filter(kind=Draw.Kind.SELECTION).exists():
            raise ValidationError(_("This sortition already has its selection; use replacements."))
        instance = _feasible_instance(locked)
        draw = Draw.objects.create(
            sortition=locked,
            algorithm=locked.algorithm,
            pool=instance.canonical(),
            quotas=instance.canonical_quotas(),
        )
        trace(actor, "sortitions.selection_started", locked, component=locked.component, data={"draw": draw.pk})
        _close_registration(actor, locked)
        transaction.on_commit(lambda: compute.enqueue(draw.pk))
    return draw


def _close_registration(actor: User, sortition: Sortition) -> None:
    """The pool is frozen once a selection starts: registration closes with it (the caller
    holds the sortition's lock), and the action log says so."""
    if sortition.registration_open:
        sortition.registration_open = False
        sortition.save(update_fields=["registration_open"])
        trace(
            actor,
            "sortitions.registration_closed",
            sortition,
            component=sortition.component,
            data={"reason": "selection"},
        )


def _feasible_instance(sortition: Sortition) -> pool.Instance:
    try:
        instance = instance_of(sortition)
    except pool.InstanceError as exc:
        raise ValidationError(str(exc)) from None
    if not sortition.volunteers.exists():
        raise ValidationError(_("Import the pool of volunteers first."))
    report = feasibility.check(instance)
    if not report.feasible:
        raise ValidationError([feasibility.describe(c, _) for c in report.conflicts])
    return instance


def _open_draw(draw: Draw) -> Draw:
    locked = Draw.objects.select_for_update().get(pk=draw.pk)
    if locked.state != Draw.State.READY:
        raise ValidationError(_("Commitments are taken while the distribution is published and not yet drawn."))
    return locked


# --- commit–reveal, for a panel's draw (Draw) and for a drawing of ideas (IdeaDraw) alike ---------


def _component_of(drawing: Draw | IdeaDraw) -> Component:
    return drawing.sortition.component if isinstance(drawing, Draw) else drawing.component


def _open_drawing(drawing: Draw | IdeaDraw) -> Draw | IdeaDraw:
    """The drawing, locked, while it takes commitments and reveals: a panel's distribution
    published and not drawn, or ideas whose candidates are published and not drawn."""
    if isinstance(drawing, Draw):
        return _open_draw(drawing)
    locked = IdeaDraw.objects.select_for_update().get(pk=drawing.pk)
    if locked.drawn_at is not None:
        raise ValidationError(_("Commitments are taken while the candidate ideas are published and not yet drawn."))
    return locked


def _trace_party(actor: User, drawing: Draw | IdeaDraw, verb: tuple[str, str], name: str) -> None:
    """The action log of a commitment or a reveal: `verb` is (the panel's verb, the ideas' verb)."""
    if isinstance(drawing, Draw):
        trace(actor, verb[0], drawing.sortition, component=drawing.sortition.component, data={"party": name})
    else:
        trace(actor, verb[1], drawing, component=drawing.component, data={"party": name})


def add_party(*, actor: User, draw: Draw | IdeaDraw, name: str, commitment: str) -> Party:
    """A party's commitment (SHA-256 of the prefix, its name and its secret), published at
    once. Commitments close when a first secret is revealed: nobody may commit knowing one."""
    require(actor, "sortitions.manage", _component_of(draw))
    name, commitment = name.strip(), commitment.strip().lower()
    if not name:
        raise ValidationError({"name": _("Name the party.")})
    if not re.fullmatch(r"[0-9a-f]{64}", commitment):
        raise ValidationError({"commitment": _("A commitment is a SHA-256 hash: 64 hexadecimal characters.")})
    with transaction.atomic():
        locked = _open_drawing(draw)
        if locked.parties.filter(name=name).exists():
            raise ValidationError({"name": _("This party has already committed.")})
        if locked.parties.filter(secret__isnull=False).exists():
            raise ValidationError(_("Commitments are closed: a party has already revealed its secret."))
        if isinstance(locked, Draw):
            party = Party.objects.create(draw=locked, name=name, commitment=commitment)
        else:
            party = Party.objects.create(idea_draw=locked, name=name, commitment=commitment)
        _trace_party(actor, locked, ("sortitions.party_committed", "sortitions.idea_party_committed"), name)
    return party


def reveal(*, actor: User, party: Party, secret: str) -> Party:
    drawing: Draw | IdeaDraw = party.draw if party.draw_id is not None else party.idea_draw  # type: ignore[assignment]
    require(actor, "sortitions.manage", _component_of(drawing))
    with transaction.atomic():
        _open_drawing(drawing)
        locked = Party.objects.select_for_update().get(pk=party.pk)
        if locked.secret is not None:
            raise ValidationError({"secret": _("This party has already revealed its secret.")})
        if engine_draw.commitment(locked.name, secret) != locked.commitment:
            raise ValidationError({"secret": _("This secret does not match the party's commitment.")})
        locked.secret = secret
        locked.save(update_fields=["secret"])
        _trace_party(actor, drawing, ("sortitions.party_revealed", "sortitions.idea_party_revealed"), locked.name)
    return locked


def perform_draw(*, actor: User, draw: Draw, public_value: str) -> Draw:
    """Draw the panel from the published distribution: the revealed secrets and the
    public value make the seed; a party that did not reveal is dropped (and published)."""
    require(actor, "sortitions.manage", draw.sortition.component)
    public_value = public_value.strip()
    with transaction.atomic():
        locked = _open_draw(draw)
        parties = [engine_draw.Party(p.name, p.commitment, p.secret) for p in locked.parties.all()]
        if not public_value and not any(p.revealed() for p in parties):
            raise ValidationError(_("The seed needs at least one revealed secret or a public value."))
        document = locked.distribution
        digest = locked.distribution_sha256
        seed = engine_draw.seed_of(digest, parties, public_value)
        index, panel = engine_draw.draw_from(document, digest, seed)
        record = {
            "kind": locked.kind,
            "pool": locked.pool,
            "distribution": document,
            "distribution_sha256": digest,
            "parties": [
                {"party": p.name, "commitment": p.commitment, "secret": p.secret, "dropped": not p.revealed()}
                for p in sorted(parties, key=lambda p: p.name)
            ],
            "public_value": public_value,
            "seed_sha256": seed.hex(),
            "panel_index": index,
            "panel": panel,
        }
        if locked.kind == Draw.Kind.REPLACEMENT:
            record["replaces"] = locked.replaces
        locked.record, locked.panel, locked.public_value = record, panel, public_value
        locked.state, locked.drawn_at = Draw.State.DRAWN, timezone.now()
        locked.save(update_fields=["record", "panel", "public_value", "state", "drawn_at"])
        # closed when the selection started; a pool whose selection began before that rule closes now
        _close_registration(actor, Sortition.objects.select_for_update().get(pk=locked.sortition_id))
        trace(
            actor,
            "sortitions.drawn",
            locked.sortition,
            component=locked.sortition.component,
            data={"draw": locked.pk, "panel_index": index, "dropped": [p.name for p in parties if not p.revealed()]},
        )
    return locked


def record_declines(*, actor: User, draw: Draw, refs: list[str]) -> Draw:
    require(actor, "sortitions.manage", draw.sortition.component)
    with transaction.atomic():
        locked = Draw.objects.select_for_update().get(pk=draw.pk)
        if locked.state != Draw.State.DRAWN:
            raise ValidationError(_("Only a drawn panel has people who decline."))
        unknown = [r for r in refs if r not in locked.panel]
        if unknown:
            raise ValidationError(_("Not on this panel: %(refs)s.") % {"refs": ", ".join(unknown)})
        locked.declined = sorted(set(locked.declined) | set(refs))
        locked.save(update_fields=["declined"])
        trace(actor, "sortitions.declined", locked.sortition, component=locked.sortition.component, data={"refs": refs})
    return locked


def current_panel(sortition: Sortition) -> tuple[list[str], list[str], list[str]]:
    """(everyone drawn so far, who sits now, who declined) over the drawn draws."""
    drawn: list[str] = []
    declined: list[str] = []
    for draw in sortition.draws.filter(state=Draw.State.DRAWN).order_by("created_at", "id"):
        drawn += draw.panel
        declined += draw.declined
    seated = sorted(set(drawn) - set(declined))
    return sorted(set(drawn)), seated, sorted(set(declined))


def start_replacement(*, actor: User, sortition: Sortition) -> Draw:
    """A new draw for those who declined, on the remaining pool with the quotas reduced by those who stay."""
    require(actor, "sortitions.manage", sortition.component)
    with transaction.atomic():
        locked = Sortition.objects.select_for_update().get(pk=sortition.pk)
        if locked.draws.exclude(state__in=[Draw.State.DRAWN, Draw.State.FAILED]).exists():
            raise ValidationError(_("Finish the draw under way first."))
        drawn, seated, declined = current_panel(locked)
        replaced = set()
        for previous in locked.draws.filter(kind=Draw.Kind.REPLACEMENT, state=Draw.State.DRAWN):
            replaced |= set(previous.replaces.get("declined", []))
        waiting = sorted(set(declined) - replaced)
        if not waiting:
            raise ValidationError(_("Nobody who declined is waiting for a replacement."))
        selection = locked.draws.filter(kind=Draw.Kind.SELECTION, state=Draw.State.DRAWN).first()
        if selection is None:
            raise ValidationError(_("Draw the panel first."))
        original = pool.Instance.from_canonical(selection.pool, selection.quotas)
        try:
            instance = engine_draw.remaining_instance(original, drawn, seated, waiting)
        except pool.InstanceError as exc:
            raise ValidationError(str(exc)) from None
        report = feasibility.check(instance)
        if not report.feasible:
            raise ValidationError([feasibility.describe(c, _) for c in report.conflicts])
        draw = Draw.objects.create(
            sortition=locked,
            kind=Draw.Kind.REPLACEMENT,
            algorithm=locked.algorithm,
            pool=instance.canonical(),
            quotas=instance.canonical_quotas(),
            replaces={"drawn_before": drawn, "kept": seated, "declined": waiting},
        )
        trace(actor, "sortitions.replacement_started", locked, component=locked.component, data={"draw": draw.pk})
        transaction.on_commit(lambda: compute.enqueue(draw.pk))
    return draw


def bundle_of(sortition: Sortition) -> dict:
    """The public verification bundle: every drawn draw, the selection first."""
    draws = sortition.draws.filter(state=Draw.State.DRAWN).order_by("created_at", "id")
    return engine_draw.bundle([d.record for d in draws])


def seat_panel(*, actor: User, sortition: Sortition, space: Space) -> int:
    """The people who sit on the panel become members of a private assembly: an assembly
    member each (by account, or by name), and a member of the private space when they
    have an account. Contact details stay in the pool, for staff only."""
    require(actor, "sortitions.manage", sortition.component)
    require(actor, "space.manage", space)
    if space.kind != Space.Kind.ASSEMBLY or not space.private:
        raise ValidationError(_("Choose a private assembly: the panel's discussions are its own."))
    if space.organization_id != sortition.component.space.organization_id:
        raise ValidationError(_("Choose an assembly of this organization."))
    seated = current_panel(sortition)[1]
    if not seated:
        raise ValidationError(_("Draw the panel first."))
    added = 0
    with transaction.atomic():
        existing_users = set(
            AssemblyMember.objects.filter(space=space, user__isnull=False).values_list("user_id", flat=True)
        )
        existing_names = set(
            AssemblyMember.objects.filter(space=space, user__isnull=True).values_list("full_name", flat=True)
        )
        for volunteer in sortition.volunteers.filter(ref__in=seated).select_related("user").order_by("ref"):
            account = volunteer.user
            if account is not None:
                if account.pk in existing_users:
                    continue
                add_assembly_member(actor=actor, space=space, user=account)
                add_space_member(actor=actor, space=space, user=account)
            else:
                name = volunteer.name or volunteer.ref
                if name in existing_names:
                    continue
                add_assembly_member(actor=actor, space=space, full_name=name)
            added += 1
        trace(
            actor,
            "sortitions.panel_seated",
            sortition,
            component=sortition.component,
            data={"space": space.pk, "added": added},
        )
    return added


MAX_IDEA_CANDIDATES = 20000


def create_idea_draw(
    *,
    actor: User,
    component: Component,
    title: str,
    source: Component,
    count: int,
    category_id: int | None = None,
    category_name: str = "",
    state_token: str = "",
) -> IdeaDraw:
    """Freeze the candidates of a drawing of ideas (those of `source`, an ideas component
    of the same space, matching the filters) and publish their hash; the draw itself
    comes later, from the parties' revealed secrets and/or a public value not known now.
    The document holds each title's salted commitment (format 2), the titles are kept
    beside it: one hidden by moderation later leaves the public pages and the bundle."""
    require(actor, "sortitions.manage", component)
    if not title.strip():
        raise ValidationError({"title": _("Give the drawing a title.")})
    if source.space_id != component.space_id or source not in ideas_api.ideas_components(space=component.space):
        raise ValidationError({"source": _("Choose an ideas component of this space.")})
    ideas = list(
        ideas_api.ideas_to_draw(component=source, category_id=category_id, state_token=state_token).values_list(
            "pk", "title"
        )[: MAX_IDEA_CANDIDATES + 1]
    )
    if len(ideas) > MAX_IDEA_CANDIDATES:
        raise ValidationError(_("Too many ideas match: narrow the filters."))
    if count < 1 or count > len(ideas):
        raise ValidationError(
            {"count": _("%(n)s ideas match the filters: draw between 1 and that many.") % {"n": len(ideas)}}
        )
    filters = {}
    if category_name:
        filters["category"] = category_name
    if state_token:
        filters["state"] = state_token
    candidates = [(str(pk), name) for pk, name in ideas]
    salts = {identifier: secrets.token_hex(16) for identifier, _name in candidates}
    document = engine_draw.ideas_document(candidates, count, translated(source.name), filters, salts)
    with transaction.atomic():
        created = IdeaDraw.objects.create(
            component=component,
            title=title.strip(),
            source=source,
            count=count,
            candidates=document,
            candidates_sha256=pool.sha256_hex(document),
            titles={identifier: [name, salts[identifier]] for identifier, name in candidates},
        )
        trace(actor, "sortitions.ideas_published", created, component=component, data={"candidates": len(ideas)})
    return created


def perform_idea_draw(*, actor: User, idea_draw: IdeaDraw, public_value: str) -> IdeaDraw:
    """Draw the ideas from the published candidates: the revealed secrets and the public
    value make the seed; a party that did not reveal is dropped (and published)."""
    require(actor, "sortitions.manage", idea_draw.component)
    public_value = public_value.strip()
    with transaction.atomic():
        locked = IdeaDraw.objects.select_for_update().get(pk=idea_draw.pk)
        if locked.drawn_at is not None:
            raise ValidationError(_("These ideas have already been drawn."))
        parties = [engine_draw.Party(p.name, p.commitment, p.secret) for p in locked.parties.all()]
        if not public_value and not any(p.revealed() for p in parties):
            raise ValidationError({"public_value": _("The seed needs at least one revealed secret or a public value.")})
        record = engine_draw.draw_ideas(locked.candidates, parties, public_value)
        locked.record, locked.drawn, locked.public_value = record, record["drawn"], public_value
        locked.drawn_at = timezone.now()
        locked.save(update_fields=["record", "drawn", "public_value", "drawn_at"])
        trace(
            actor,
            "sortitions.ideas_drawn",
            locked,
            component=locked.component,
            data={"drawn": record["drawn"], "dropped": [p.name for p in parties if not p.revealed()]},
        )
    return locked


def idea_bundle(idea_draw: IdeaDraw) -> dict:
    """The verification bundle of a drawing of ideas (before the draw: the candidates and
    the commitments). Every title hidden by moderation since is left out (format 2: the
    entry says "hidden" and the hash still checks; format 1 held the titles in the hashed
    document itself, so a hidden title is masked there and that document no longer checks)."""
    hidden = selectors.hidden_candidates(idea_draw)
    candidates = idea_draw.candidates
    if candidates.get("format") == engine_draw.IDEAS_FORMAT and hidden:
        candidates = {
            **candidates,
            "candidates": [
                [identifier, "" if identifier in hidden else title] for identifier, title in candidates["candidates"]
            ],
        }
    extra: dict = {}
    if idea_draw.titles:
        extra["titles"] = selectors.published_titles(idea_draw, hidden)
    elif hidden:
        extra["hidden"] = sorted(hidden)
    if idea_draw.drawn_at is None:
        return {
            "format": "agora-sortition-ideas-pending/1",
            "candidates": candidates,
            "candidates_sha256": idea_draw.candidates_sha256,
            "parties": [{"party": p.name, "commitment": p.commitment} for p in idea_draw.parties.all()],
            **extra,
        }
    return engine_draw.bundle([{**idea_draw.record, "candidates": candidates, **extra}])


# --- volunteers registering through a form (agora.questionnaires) ----------------------------


def _texts(message: object) -> dict:
    """A message of this module in every language of the site (the officer may edit them)."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(message)
    return texts


def pool_features(sortition: Sortition) -> dict[str, list[str]]:
    """The features of the pool and their values: the quotas', then the imported volunteers'."""
    found: dict[str, set[str]] = {}
    for feature, value in sortition.quotas.values_list("feature", "value"):
        found.setdefault(feature, set()).add(value)
    for values in sortition.volunteers.values_list("values", flat=True):
        for feature, value in (values or {}).items():
            if value:
                found.setdefault(feature, set()).add(value)
    return {feature: sorted(values) for feature, values in sorted(found.items())}


def build_form(sortition: Sortition) -> None:
    """The form made from the pool's features: one single-choice question per feature whose
    options are its values, then the contact and the consent (both required). The officer
    may then correct its texts; the mapping to the features goes by question and option ids.
    The caller checked who may (set_registration; the demo seed)."""
    features = pool_features(sortition)
    if not features:
        raise ValidationError(
            _("Define the features first: set the quotas (or import a pool) so the form can ask them.")
        )
    questionnaire = questionnaires.insert_questionnaire(
        organization=sortition.component.space.organization,
        owner_type="sortitions.sortition",
        owner_id=sortition.pk,
        title={code: sortition.title for code, _name in settings.LANGUAGES},
    )
    mapping: dict = {"features": {}}
    position = 0

    def question(kind: str, title: dict, **fields: object) -> Question:
        nonlocal position
        position += 1
        return Question.objects.create(
            questionnaire=questionnaire, kind=kind, position=position, title=title, mandatory=True, **fields
        )

    for feature, values in features.items():
        asked = question(Question.Kind.SINGLE, {code: feature for code, _name in settings.LANGUAGES})
        options = Option.objects.bulk_create(
            Option(question=asked, position=number, label={code: value for code, _name in settings.LANGUAGES})
            for number, value in enumerate(values)
        )
        mapping["features"][str(asked.pk)] = {
            "feature": feature,
            "options": {str(option.pk): value for option, value in zip(options, values, strict=True)},
        }
    contact = question(
        Question.Kind.SHORT_TEXT,
        _texts(gettext_lazy("How can we reach you if you are drawn? (e-mail or telephone)")),
        help_text=_texts(gettext_lazy("Seen only by the staff who organise the draw.")),
    )
    consent = question(
        Question.Kind.SINGLE,
        _texts(
            gettext_lazy(
                "I agree that my answers and my contact are kept, seen only by the staff, to draw the panel "
                "by lot; they are erased with my account."
            )
        ),
    )
    agreed = Option.objects.create(question=consent, position=0, label=_texts(gettext_lazy("I agree")))
    mapping.update(contact=contact.pk, consent=consent.pk, consent_option=agreed.pk)
    sortition.questionnaire = questionnaire
    sortition.registration_map = mapping
    sortition.save(update_fields=["questionnaire", "registration_map"])


def set_registration(*, actor: User, sortition: Sortition, is_open: bool) -> Sortition:
    """Open (building the form the first time) or close the registration of volunteers."""
    require(actor, "sortitions.manage", sortition.component)
    with transaction.atomic():
        locked = Sortition.objects.select_for_update().get(pk=sortition.pk)
        if is_open:
            _locked(locked)
            if locked.questionnaire_id is None:
                build_form(locked)
        locked.registration_open = is_open
        locked.save(update_fields=["registration_open"])
        trace(
            actor,
            "sortitions.registration_opened" if is_open else "sortitions.registration_closed",
            locked,
            component=locked.component,
        )
    return locked


def volunteer_values(sortition: Sortition, answers: dict) -> tuple[dict, str]:
    """The feature values and the contact a volunteer's answers give (answers: question id -> value)."""
    mapping = sortition.registration_map or {}
    values = {}
    for question_id, entry in (mapping.get("features") or {}).items():
        answer = answers.get(int(question_id)) or {}
        value = entry["options"].get(str(answer.get("option")))
        if value:
            values[entry["feature"]] = value
    contact = answers.get(mapping.get("contact"), "") or ""
    return values, str(contact).strip()


def registration_of(sortition: Sortition, user: User) -> Volunteer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(sortition=sortition, user=user).first()


def register_volunteer(*, actor: User, sortition: Sortition, values: dict) -> Volunteer:
    """A participant registers in the pool through its form; raises PermissionDenied when
    registration is closed to them, ValidationError (already registered, consent missing,
    answers refused: AnswersRefused)."""
    with transaction.atomic():
        locked = Sortition.objects.select_for_update().get(pk=sortition.pk)
        require(actor, "sortitions.volunteer", locked)
        questionnaire = locked.questionnaire
        if questionnaire is None:  # the rule refuses a pool without its form
            raise ValidationError(_("Registration to this pool is closed."))
        if Volunteer.objects.filter(sortition=locked, user=actor).exists():
            raise ValidationError(_("You are already registered in this pool."), code="already")
        questions = questionnaire_selectors.questions_of(questionnaire)
        mapping = locked.registration_map or {}
        consent = (values or {}).get(mapping.get("consent")) or {}
        if consent.get("option") != mapping.get("consent_option"):
            raise questionnaires.AnswersRefused(
                {mapping.get("consent"): [_("Give your consent to register in the pool.")]}
            )
        answer_set = questionnaires.save_answers(questionnaire=questionnaire, values=values, questions=questions)
        features, contact = volunteer_values(locked, questionnaire_selectors.values_of(answer_set, questions))
        missing = [f for f in (mapping.get("features") or {}).values() if f["feature"] not in features]
        if missing:
            raise ValidationError(_("Answer every question about you to register."), code="features")
        volunteer = Volunteer.objects.create(
            sortition=locked,
            ref=f"R{answer_set.pk:06d}",
            values=features,
            name=actor.get_full_name() if hasattr(actor, "get_full_name") else str(actor),
            contact=contact[:300],
            user=actor,
            answer_set=answer_set,
        )
        trace(actor, "sortitions.volunteered", locked, component=locked.component)
    return volunteer


def erase_account(user: User) -> None:
    """A deleted account: its answers and contact go; a volunteer of a pool no selection used
    is removed, one whose pseudonymous id a published draw holds keeps only that id and values."""
    for volunteer in Volunteer.objects.filter(user=user).select_related("answer_set", "sortition"):
        if volunteer.answer_set is not None:
            questionnaires.delete_answers(answer_set=volunteer.answer_set)
        if volunteer.sortition.draws.exists():
            Volunteer.objects.filter(pk=volunteer.pk).update(
                name="", contact="", household="", user=None, answer_set=None
            )
        else:
            volunteer.delete()
