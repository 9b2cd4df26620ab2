"""Every write of the back-office of ideas: states, custom fields, criteria,
answers and their publication, bulk changes, assignments, evaluations and
the CSV import of answers. Each checks the right, runs in a transaction and
writes the action log."""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.services import trace
from agora.components.models import Component
from agora.components.proposals.evaluation import notifications
from agora.components.proposals.evaluation.models import AnswerImport, Assignment, Criterion, Evaluation
from agora.components.proposals.evaluation.selectors import evaluators_of
from agora.components.proposals.models import CustomField, Proposal, ProposalState
from agora.components.proposals.states import DEFAULT_STATES, ensure_default_states  # noqa: F401  (its name here too)
from agora.core.csvfiles import CsvImportError, decode, open_reader
from agora.core.models import Organization
from agora.core.numbers import parse_id
from agora.core.sanitize import clean_html, plain_text_to_html
from agora.permissions import require

MANAGE = "proposal_evaluation.manage"
TAG = re.compile(r"<[a-zA-Z/!]")


def _org(component: Component) -> Organization:
    return component.space.organization


def _html(text: str) -> str:
    """Rich text from staff: sanitized; plain text becomes paragraphs."""
    text = (text or "").strip()
    if not text:
        return ""
    if not TAG.search(text):
        return plain_text_to_html(text)
    return clean_html(text)


def _clean_translated_html(value: dict) -> dict:
    return {code: cleaned for code, text in (value or {}).items() if (cleaned := _html(text))}


def _next_weight(model: Any, component: Component) -> int:  # a model class of this app
    return (model.objects.filter(component=component).aggregate(m=Max("weight"))["m"] or 0) + 1


def _move(model: Any, item: Any, direction: str) -> None:  # a model class of this app, one of its rows
    """Swap the item with its neighbour (direction "up" or "down"), renumbering the list."""
    items = list(model.objects.select_for_update().filter(component_id=item.component_id).order_by("weight", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for weight, other in enumerate(items, start=1):
        if other.weight != weight:
            other.weight = weight
            other.save(update_fields=["weight"])


# --- states -----------------------------------------------------------------------------


def _check_colour(colour: str) -> str:
    colour = (colour or "").strip().lower()
    if len(colour) != 7 or colour[0] != "#" or any(c not in "0123456789abcdef" for c in colour[1:]):
        raise ValidationError({"colour": _("Enter a colour as #RRGGBB, for example #1d4f91.")})
    return colour


def save_state(
    *,
    actor: User,
    component: Component,
    state: ProposalState | None = None,
    token: str,
    name: dict,
    colour: str,
    meaning: str,
) -> ProposalState:
    require(actor, MANAGE, component)
    colour = _check_colour(colour)
    if meaning not in ProposalState.Meaning.values:
        raise ValidationError({"meaning": _("Choose one of the meanings.")})
    if not any((name or {}).values()):
        raise ValidationError({"name": _("Give the state a name.")})
    duplicate = ProposalState.objects.filter(component=component, token=token)
    if state is not None:
        duplicate = duplicate.exclude(pk=state.pk)
    if duplicate.exists():
        raise ValidationError({"token": _("Another state already uses this code.")})
    with transaction.atomic():
        creating = state is None
        if state is None:
            state = ProposalState(component=component, weight=_next_weight(ProposalState, component))
        state.token, state.name, state.colour, state.meaning = token, name, colour, meaning
        state.save()
        trace(
            actor,
            "proposal_state.create" if creating else "proposal_state.update",
            state,
            component=component,
            data={"token": token, "colour": colour, "meaning": meaning},
        )
    return state


def delete_state(*, actor: User, state: ProposalState) -> None:
    component = state.component
    require(actor, MANAGE, component)
    in_use = Proposal.objects.filter(component=component, published_state=state).exists()
    if in_use:
        raise ValidationError(_("Published answers use this state: give those ideas another state first."))
    with transaction.atomic():
        trace(actor, "proposal_state.delete", state, component=component, data={"token": state.token})
        state.delete()


def move_state(*, actor: User, state: ProposalState, direction: str) -> None:
    require(actor, MANAGE, state.component)
    with transaction.atomic():
        _move(ProposalState, state, direction)
        trace(actor, "proposal_state.move", state, component=state.component, data={"direction": direction})


# --- custom fields ---------------------------------------------------------------------


def save_custom_field(
    *,
    actor: User,
    component: Component,
    custom_field: CustomField | None = None,
    key: str,
    label: dict,
    help_text: dict,
    kind: str,
    choices: list,
    required: bool,
    confidential: bool,
) -> CustomField:
    require(actor, MANAGE, component)
    if kind not in CustomField.Kind.values:
        raise ValidationError({"kind": _("Choose one of the types.")})
    if kind == CustomField.Kind.CHOICE and not choices:
        raise ValidationError({"choices": _("A choice list needs at least one choice.")})
    duplicate = CustomField.objects.filter(component=component, key=key)
    if custom_field is not None:
        duplicate = duplicate.exclude(pk=custom_field.pk)
    if duplicate.exists():
        raise ValidationError({"key": _("Another field already uses this code.")})
    with transaction.atomic():
        creating = custom_field is None
        if custom_field is None:
            custom_field = CustomField(component=component, weight=_next_weight(CustomField, component))
        custom_field.key, custom_field.label, custom_field.help_text = key, label, help_text
        custom_field.kind, custom_field.required, custom_field.confidential = kind, required, confidential
        custom_field.choices = choices if kind == CustomField.Kind.CHOICE else []
        custom_field.save()
        trace(
            actor,
            "proposal_field.create" if creating else "proposal_field.update",
            custom_field,
            component=component,
            data={"key": key, "kind": kind, "required": required, "confidential": confidential},
        )
    return custom_field


def delete_custom_field(*, actor: User, custom_field: CustomField) -> None:
    component = custom_field.component
    require(actor, MANAGE, component)
    with transaction.atomic():
        trace(actor, "proposal_field.delete", custom_field, component=component, data={"key": custom_field.key})
        custom_field.delete()


def move_custom_field(*, actor: User, custom_field: CustomField, direction: str) -> None:
    require(actor, MANAGE, custom_field.component)
    with transaction.atomic():
        _move(CustomField, custom_field, direction)
        trace(
            actor, "proposal_field.move", custom_field, component=custom_field.component, data={"direction": direction}
        )


# --- evaluation criteria ---------------------------------------------------------------


def save_criterion(
    *,
    actor: User,
    component: Component,
    criterion: Criterion | None = None,
    label: dict,
    help_text: dict,
    kind: str,
    required: bool,
) -> Criterion:
    require(actor, MANAGE, component)
    if kind not in Criterion.Kind.values:
        raise ValidationError({"kind": _("Choose one of the types.")})
    if not any((label or {}).values()):
        raise ValidationError({"label": _("Give the criterion a label.")})
    with transaction.atomic():
        creating = criterion is None
        if criterion is None:
            criterion = Criterion(component=component, weight=_next_weight(Criterion, component))
        elif criterion.kind != kind and criterion.evaluations.exists():
            raise ValidationError({"kind": _("Evaluations already use this criterion: its type cannot change.")})
        criterion.label, criterion.help_text, criterion.kind, criterion.required = label, help_text, kind, required
        criterion.save()
        trace(
            actor,
            "evaluation_criterion.create" if creating else "evaluation_criterion.update",
            criterion,
            component=component,
            data={"kind": kind},
        )
    return criterion


def delete_criterion(*, actor: User, criterion: Criterion) -> None:
    component = criterion.component
    require(actor, MANAGE, component)
    with transaction.atomic():
        trace(
            actor,
            "evaluation_criterion.delete",
            criterion,
            component=component,
            data={"evaluations": criterion.evaluations.count()},
        )
        criterion.delete()


def move_criterion(*, actor: User, criterion: Criterion, direction: str) -> None:
    require(actor, MANAGE, criterion.component)
    with transaction.atomic():
        _move(Criterion, criterion, direction)
        trace(
            actor, "evaluation_criterion.move", criterion, component=criterion.component, data={"direction": direction}
        )


# --- answers --------------------------------------------------------------------------


def _check_state(component: Component, state: ProposalState | None) -> None:
    if state is not None and state.component_id != component.pk:
        raise ValidationError({"state": _("This state belongs to another component.")})


def _locked(proposals: Iterable[Proposal], component: Component) -> list[Proposal]:
    ids = [proposal.pk for proposal in proposals]
    return list(
        Proposal.objects.select_for_update()
        .filter(pk__in=ids, component=component)
        .exclude(status=Proposal.Status.DRAFT)
        .order_by("pk")
    )


def _publish(proposal: Proposal, now: datetime) -> tuple[bool, bool]:
    """Copy the working answer to the public one; (state changed, answer changed)."""
    state_changed = proposal.published_state_id != proposal.state_id
    answer_changed = (proposal.published_answer or {}) != (proposal.answer or {})
    proposal.published_state_id = proposal.state_id
    proposal.published_answer = dict(proposal.answer or {})
    proposal.answer_published_at = now
    return state_changed, answer_changed


def answer_proposal(
    *, actor: User, proposal: Proposal, state: ProposalState | None, answer: dict, publish: bool
) -> Proposal:
    """Save the services' answer (a state and a text) to an idea; publish it
    at once when asked, otherwise it waits for a publication in bulk."""
    component = proposal.component
    require(actor, MANAGE, component)
    _check_state(component, state)
    answer = _clean_translated_html(answer)
    with transaction.atomic():
        locked = _locked([proposal], component)
        if not locked:
            raise ValidationError(_("This idea cannot be answered (it is a draft or was removed)."))
        proposal = locked[0]
        proposal.component = component
        previous_state = proposal.state_id
        now = timezone.now()
        proposal.state, proposal.answer, proposal.answered_at = state, answer, now
        fields = ["state", "answer", "answered_at"]
        state_changed = answer_changed = False
        if publish:
            state_changed, answer_changed = _publish(proposal, now)
            fields += ["published_state", "published_answer", "answer_published_at"]
        proposal.save(update_fields=[*fields, "updated_at"])
        trace(
            actor,
            "proposal.answer",
            proposal,
            component=component,
            data={
                "previous_state": previous_state,
                "state": state.token if state else None,
                "published": publish,
            },
            notify=notifications.answer_notices(proposal, actor, state_changed, answer_changed),
        )
    return proposal


def publish_answers(*, actor: User, component: Component, proposals: Iterable[Proposal]) -> int:
    """Publish the working answers of the ideas (those with an answer or a
    state). Returns how many were published."""
    require(actor, MANAGE, component)
    published = 0
    with transaction.atomic():
        now = timezone.now()
        for proposal in _locked(proposals, component):
            if proposal.state_id is None and not proposal.answer:
                continue
            proposal.component = component
            state_changed, answer_changed = _publish(proposal, now)
            proposal.save(update_fields=["published_state", "published_answer", "answer_published_at", "updated_at"])
            trace(
                actor,
                "proposal.answer_publish",
                proposal,
                component=component,
                data={
                    "state": proposal.published_state.token if proposal.published_state else None,
                    "state_changed": state_changed,
                    "answer_changed": answer_changed,
                },
                notify=notifications.answer_notices(proposal, actor, state_changed, answer_changed),
            )
            published += 1
    return published


UNCHANGED = object()


# `state`, `category`, `scope`: a ProposalState, Category or Scope, None, or UNCHANGED (hence Any).
def bulk_update(
    *,
    actor: User,
    component: Component,
    proposals: Iterable[Proposal],
    state: Any = UNCHANGED,
    category: Any = UNCHANGED,
    scope: Any = UNCHANGED,
) -> int:
    """Change the working state, the category or the scope of many ideas at once."""
    require(actor, MANAGE, component)
    if state is not UNCHANGED:
        _check_state(component, state)
    organization = _org(component)
    if category is not UNCHANGED and category is not None and category.organization_id != organization.pk:
        raise ValidationError(_("This category belongs to another organization."))
    if scope is not UNCHANGED and scope is not None and scope.organization_id != organization.pk:
        raise ValidationError(_("This scope belongs to another organization."))
    changed = 0
    with transaction.atomic():
        now = timezone.now()
        for proposal in _locked(proposals, component):
            fields, data = [], {}
            if state is not UNCHANGED and proposal.state_id != (state.pk if state else None):
                data["previous_state"], data["state"] = proposal.state_id, state.token if state else None
                proposal.state, proposal.answered_at = state, now
                fields += ["state", "answered_at"]
            if category is not UNCHANGED and proposal.category_id != (category.pk if category else None):
                data["previous_category"], data["category"] = proposal.category_id, category.pk if category else None
                proposal.category = category
                fields.append("category")
            if scope is not UNCHANGED and proposal.scope_id != (scope.pk if scope else None):
                data["previous_scope"], data["scope"] = proposal.scope_id, scope.pk if scope else None
                proposal.scope = scope
                fields.append("scope")
            if fields:
                proposal.save(update_fields=[*fields, "updated_at"])
                trace(actor, "proposal.bulk_update", proposal, component=component, data=data)
                changed += 1
    return changed


# --- evaluators ------------------------------------------------------------------------


def _check_evaluators(component: Component, evaluators: Iterable[User]) -> None:
    allowed = set(evaluators_of(component).values_list("pk", flat=True))
    wrong = [person for person in evaluators if person.pk not in allowed]
    if wrong:
        raise ValidationError(_("Only people with the evaluator role in this space can be assigned."))


def assign_evaluators(
    *, actor: User, component: Component, proposals: Iterable[Proposal], evaluators: Iterable[User]
) -> int:
    require(actor, MANAGE, component)
    _check_evaluators(component, evaluators)
    created = 0
    with transaction.atomic():
        for proposal in _locked(proposals, component):
            for evaluator in evaluators:
                _assignment, made = Assignment.objects.get_or_create(
                    proposal=proposal, evaluator=evaluator, defaults={"assigned_by": actor}
                )
                if made:
                    created += 1
                    trace(
                        actor,
                        "proposal.assign",
                        proposal,
                        component=component,
                        data={"evaluator": evaluator.pk, "evaluator_name": evaluator.public_name},
                    )
    return created


def unassign_evaluators(
    *, actor: User, component: Component, proposals: Iterable[Proposal], evaluators: Iterable[User]
) -> int:
    require(actor, MANAGE, component)
    removed = 0
    with transaction.atomic():
        for proposal in _locked(proposals, component):
            for evaluator in evaluators:
                count, _details = Assignment.objects.filter(proposal=proposal, evaluator=evaluator).delete()
                if count:
                    removed += 1
                    trace(
                        actor,
                        "proposal.unassign",
                        proposal,
                        component=component,
                        data={"evaluator": evaluator.pk, "evaluator_name": evaluator.public_name},
                    )
    return removed


# --- evaluations -----------------------------------------------------------------------


def save_evaluation(*, actor: User, proposal: Proposal, values: dict) -> None:
    """Save the actor's grid for the idea. `values`: {criterion id: {"yes":
    bool|None, "reason": str, "score": int|None, "cost": Decimal|None,
    "note": str}}; only the key of the criterion's kind counts."""
    require(actor, "proposal_evaluation.evaluate", proposal)
    component = proposal.component
    grid = {criterion.pk: criterion for criterion in Criterion.objects.filter(component=component)}
    errors = {}
    for criterion_id, value in values.items():
        criterion = grid.get(criterion_id)
        if criterion is None:
            raise ValidationError(_("This criterion belongs to another component."))
        score = value.get("score")
        if criterion.kind == Criterion.Kind.SCORE and score is not None and not 1 <= score <= 5:
            errors[f"c{criterion_id}_score"] = _("Give a score from 1 to 5.")
        cost = value.get("cost")
        if criterion.kind == Criterion.Kind.COST and cost is not None and cost < 0:
            errors[f"c{criterion_id}_cost"] = _("A cost cannot be negative.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for criterion_id, value in values.items():
            kind = grid[criterion_id].kind
            row = {
                "yes": value.get("yes") if kind == Criterion.Kind.YES_NO else None,
                "reason": (value.get("reason") or "").strip() if kind == Criterion.Kind.YES_NO else "",
                "score": value.get("score") if kind == Criterion.Kind.SCORE else None,
                "cost": value.get("cost") if kind == Criterion.Kind.COST else None,
                "note": (value.get("note") or "").strip() if kind == Criterion.Kind.NOTE else "",
            }
            Evaluation.objects.update_or_create(
                proposal=proposal, evaluator=actor, criterion_id=criterion_id, defaults=row
            )
        trace(actor, "proposal.evaluate", proposal, component=component, data={"criteria": sorted(values)})


# --- CSV import of answers ------------------------------------------------------------

YES = {"1", "yes", "oui", "true", "vrai", "y", "o", "x"}
NO = {"", "0", "no", "non", "false", "faux", "n"}


class AnswerImportError(CsvImportError):
    """The answers file was refused; `errors` lists (line number, reason)."""


@dataclass
class PlannedAnswer:
    line: int
    proposal: Proposal
    state: ProposalState | None
    answer: dict
    publish: bool
    keeps_state: bool = False
    keeps_answer: bool = False


def plan_answer_import(component: Component, data: bytes | str) -> list[PlannedAnswer]:
    """Read and check every row of a CSV of answers; raise AnswerImportError
    listing the line numbers and reasons when any row is wrong.

    Columns: id or reference (one of them), state (a state code; empty keeps
    the current state), answer_<language> (one per language; all empty keeps
    the current answer), publish (yes/no, oui/non, 1/0)."""
    reader, header = open_reader(data, AnswerImportError)
    languages = list(_org(component).languages)
    if "id" not in header and "reference" not in header:
        raise AnswerImportError(
            [
                (
                    1,
                    _(
                        "The first line must name an “id” or a “reference” column, then “state”, "
                        "%(answers)s and “publish”."
                    )
                    % {"answers": ", ".join(f"“answer_{code}”" for code in languages)},
                )
            ]
        )
    unknown = [
        name
        for name in header
        if name
        and name not in {"id", "reference", "state", "publish", "title", *(f"answer_{code}" for code in languages)}
    ]
    if unknown:
        raise AnswerImportError([(1, _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})])
    reader.fieldnames = header
    states_by_token = {state.token: state for state in ProposalState.objects.filter(component=component)}
    ideas = Proposal.objects.filter(component=component).exclude(status=Proposal.Status.DRAFT)
    rows = [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
    wanted_ids = {pk for _line, row in rows if (pk := parse_id(row.get("id"))) is not None}
    wanted_refs = {row["reference"] for _line, row in rows if row.get("reference")}
    by_id = {p.pk: p for p in ideas.filter(pk__in=wanted_ids)}
    by_ref: dict = {}
    for idea in ideas.filter(reference__in=wanted_refs):
        by_ref.setdefault(idea.reference, []).append(idea)
    errors: list = []
    planned: list = []
    seen: dict = {}
    for line, row in rows:
        if not any(row.values()):
            continue
        problems: list = []
        proposal: Proposal | None = None
        identifier, reference = row.get("id", ""), row.get("reference", "")
        if identifier:
            wanted_id = parse_id(identifier)
            if wanted_id is None:
                problems.append(_("the id “%(id)s” is not a number") % {"id": identifier})
            elif wanted_id not in by_id:
                problems.append(_("no published idea of this component has the id %(id)s") % {"id": identifier})
            else:
                proposal = by_id[wanted_id]
        elif reference:
            matches = by_ref.get(reference, [])
            if not matches:
                problems.append(
                    _("no published idea of this component has the reference “%(ref)s”") % {"ref": reference}
                )
            elif len(matches) > 1:
                problems.append(_("several ideas have the reference “%(ref)s”: use the id") % {"ref": reference})
            else:
                proposal = matches[0]
        else:
            problems.append(_("the id and the reference are both empty"))
        if proposal is not None:
            if proposal.pk in seen:
                problems.append(_("this idea is already on line %(line)s") % {"line": seen[proposal.pk]})
            else:
                seen[proposal.pk] = line
        token = row.get("state", "")
        state = None
        if token:
            state = states_by_token.get(token)
            if state is None:
                problems.append(
                    _("unknown state “%(state)s” (known: %(known)s)")
                    % {"state": token, "known": ", ".join(states_by_token) or "—"}
                )
        publish_text = row.get("publish", "").lower()
        if publish_text not in YES | NO:
            problems.append(_("“publish” must be yes or no, not “%(value)s”") % {"value": row.get("publish")})
        answer = {code: _html(row.get(f"answer_{code}", "")) for code in languages}
        answer = {code: text for code, text in answer.items() if text}
        if problems:
            errors.append((line, "; ".join(problems)))
            continue
        assert proposal is not None  # a row that names no idea has a problem above
        planned.append(
            PlannedAnswer(
                line=line,
                proposal=proposal,
                state=state if token else proposal.state,
                answer=answer or proposal.answer,
                publish=publish_text in YES,
                keeps_state=not token,
                keeps_answer=not answer,
            )
        )
    if not planned and not errors:
        errors.append((1, _("The file has no answer.")))
    if errors:
        raise AnswerImportError(sorted(errors))
    return planned


def upload_answer_import(
    *, actor: User, component: Component, data: bytes, filename: str = ""
) -> tuple[AnswerImport, list]:
    """Check the file and keep it for the officer's confirmation; returns the
    stored import and its plan (the preview). Nothing changes on the ideas."""
    require(actor, MANAGE, component)
    plan = plan_answer_import(component, data)
    text = decode(data, AnswerImportError)
    with transaction.atomic():
        stored = AnswerImport.objects.create(
            component=component,
            uploaded_by=actor,
            filename=(filename or "")[:255],
            sha256=hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest(),
            content=text,
        )
        trace(
            actor,
            "proposal.answers_import_preview",
            None,
            component=component,
            data={"import": stored.pk, "filename": stored.filename, "sha256": stored.sha256, "rows": len(plan)},
        )
    return stored, plan


def apply_answer_import(*, actor: User, answer_import: AnswerImport) -> int:
    """Apply every row of a previewed import, or none (rows are checked again
    against the current data)."""
    component = answer_import.component
    require(actor, MANAGE, component)
    with transaction.atomic():
        stored = AnswerImport.objects.select_for_update().get(pk=answer_import.pk)
        if stored.applied_at is not None:
            raise ValidationError(_("This file has already been imported."))
        plan = plan_answer_import(component, stored.content)
        now = timezone.now()
        locked = {proposal.pk: proposal for proposal in _locked([item.proposal for item in plan], component)}
        for item in plan:
            proposal = locked[item.proposal.pk]
            proposal.component = component
            previous_state = proposal.state_id
            proposal.state, proposal.answer, proposal.answered_at = item.state, item.answer, now
            fields = ["state", "answer", "answered_at"]
            if item.publish:
                state_changed, answer_changed = _publish(proposal, now)
                fields += ["published_state", "published_answer", "answer_published_at"]
            proposal.save(update_fields=[*fields, "updated_at"])
            trace(
                actor,
                "proposal.answer",
                proposal,
                component=component,
                data={
                    "previous_state": previous_state,
                    "state": item.state.token if item.state else None,
                    "published": item.publish,
                    "import": stored.pk,
                    "line": item.line,
                },
                notify=notifications.answer_notices(proposal, actor, state_changed, answer_changed)
                if item.publish
                else (),
            )
        stored.applied_at, stored.applied_rows = now, len(plan)
        stored.save(update_fields=["applied_at", "applied_rows"])
        trace(
            actor,
            "proposal.answers_import",
            None,
            component=component,
            data={
                "import": stored.pk,
                "filename": stored.filename,
                "sha256": stored.sha256,
                "rows": len(plan),
                "uploaded_by": stored.uploaded_by_id,
            },
        )
    return len(plan)


# --- exports --------------------------------------------------------------------------


def log_staff_export(*, actor: User, component: Component, export_format: str, count: int) -> None:
    require(actor, MANAGE, component)
    with transaction.atomic():
        trace(actor, "proposal.export_staff", None, component=component, data={"format": export_format, "rows": count})


def parse_cost(text: str) -> Decimal | None:
    """“1 250,50 €” -> Decimal("1250.50"); None when empty; ValueError when not a number."""
    text = (text or "").replace("€", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "").strip()
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
