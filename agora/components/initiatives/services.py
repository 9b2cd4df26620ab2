"""Every write of the initiatives component: permission, transaction, action
log and notices (agora.actionlog.services.trace).

Signing is the hot path (services.sign): the signature row is inserted first
(the unique constraints refuse a second signature of the same person, online
or on paper), then the count of the initiative is raised by one in a single
`UPDATE ... SET signature_count = signature_count + 1 ... RETURNING`, the last
statement before the commit, so the row lock that serialises parallel signers
is held for the commit alone. The count returned is this signature's own: the
one that makes it reach a threshold marks the tier reached by a conditional
UPDATE (`reached_at IS NULL`), which exactly one transaction wins."""

import hashlib
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.actionlog.services import Notice, trace
from agora.components.initiatives import eligibility
from agora.components.initiatives.models import (
    CommitteeMember,
    Initiative,
    InitiativeTier,
    InitiativeType,
    PaperSheet,
    ScopeThreshold,
    Signature,
    Tier,
    required,
)
from agora.components.models import Component
from agora.components.selectors import for_write
from agora.core.files import detect
from agora.core.models import Organization
from agora.core.sanitize import clean_translated_html, plain_text_to_html
from agora.follows.services import add_follow
from agora.moderation.limits import check_posting_rate
from agora.outbox.services import email_person
from agora.permissions import PermissionDenied, deny, require
from agora.questionnaires import selectors as questionnaire_selectors
from agora.questionnaires import services as questionnaires
from agora.questionnaires.models import AnswerSet
from agora.statistics import api as statistics
from agora.taxonomy.models import Scope
from agora.verifications.identity import age_on, person_key
from agora.verifications.models import Identity, Verification

TITLE_MAX, BODY_MIN, BODY_MAX = 150, 30, 6000
# Paper brought back after the collection ended is entered within this many days of its end.
PAPER_GRACE_DAYS = 30
PROGRESS_MARKS = (33, 66)

NEW, REACHED, PROGRESS, CHANGED, INVITED = (
    "initiatives.published",
    "initiatives.tier_reached",
    "initiatives.progress",
    "initiatives.changed",
    "initiatives.invited",
)
# Verification methods that know a civil identity (name and date of birth):
# their Identity key is the person's key across channels.
CIVIL_METHODS = ("census", "document", "in_person", "oidc")


def _organization(initiative: Initiative) -> Organization:
    return initiative.component.space.organization


# --- types and tiers (the officer) -----------------------------------------------------------


@transaction.atomic
def save_type(
    *, actor: User, component: Component, item: InitiativeType | None = None, **fields: Any
) -> InitiativeType:
    require(actor, "initiatives.manage", component)
    title = fields.get("title") or {}
    if not any((text or "").strip() for text in title.values()):
        raise ValidationError({"title": _("Give the kind of initiative a name.")})
    for name in ("file_rule", "sign_rule"):
        if name in fields:
            fields[name] = eligibility.clean_rule(fields[name] or {})
            rule = eligibility.rule_of(fields[name])
            if rule.min_age is not None and rule.max_age is not None and rule.min_age > rule.max_age:
                raise ValidationError(_("The minimum age must not be above the maximum age."))
    if "description" in fields:
        fields["description"] = clean_translated_html(fields["description"] or {})
    created = item is None
    if item is None:
        item = InitiativeType(component=component)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    trace(actor, "initiatives.type_created" if created else "initiatives.type_updated", item, component=component)
    return item


@transaction.atomic
def delete_type(*, actor: User, item: InitiativeType) -> None:
    require(actor, "initiatives.manage", item.component)
    if item.initiatives.exists():
        raise ValidationError(_("Initiatives were filed under this kind: it cannot be deleted."))
    trace(actor, "initiatives.type_deleted", item, component=item.component)
    item.delete()


def _check_threshold(threshold: int | None, percent: Decimal | None, population: int | None) -> None:
    if threshold is None and percent is None:
        raise ValidationError({"threshold": _("Give a number of signatures or a percentage of the population.")})
    if threshold is not None and threshold < 1:
        raise ValidationError({"threshold": _("A threshold is at least one signature.")})
    if threshold is None and percent is not None and not (0 < percent <= 100):
        raise ValidationError({"percent": _("A percentage is above 0 and at most 100.")})
    if threshold is None and not population:
        raise ValidationError({"percent": _("A percentage needs the population figure: enter it first.")})


@transaction.atomic
def save_tier(*, actor: User, initiative_type: InitiativeType, item: Tier | None = None, **fields: Any) -> Tier:
    """A tier of a type; tiers are ordered by their threshold's rank (position)."""
    require(actor, "initiatives.manage", initiative_type.component)
    _check_threshold(fields.get("threshold"), fields.get("percent"), initiative_type.population)
    if not fields.get("window_days"):
        raise ValidationError({"window_days": _("Give the window in days from publication.")})
    if "consequence" in fields:
        fields["consequence"] = clean_translated_html(fields["consequence"] or {})
    created = item is None
    if item is None:
        position = (initiative_type.tiers.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        item = Tier(type=initiative_type, position=position)
    for name, value in fields.items():
        setattr(item, name, value)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise ValidationError(_("Another tier of this kind already has this rank.")) from None
    trace(
        actor,
        "initiatives.tier_saved" if not created else "initiatives.tier_created",
        initiative_type,
        component=initiative_type.component,
        data={"tier": item.pk, "position": item.position},
    )
    return item


@transaction.atomic
def delete_tier(*, actor: User, tier: Tier) -> None:
    require(actor, "initiatives.manage", tier.type.component)
    if InitiativeTier.objects.filter(tier=tier).exists():
        raise ValidationError(_("Published initiatives use this tier: it cannot be deleted."))
    trace(actor, "initiatives.tier_deleted", tier.type, component=tier.type.component, data={"tier": tier.pk})
    tier.delete()


@transaction.atomic
def save_scope_threshold(
    *,
    actor: User,
    tier: Tier,
    scope: Scope,
    threshold: int | None = None,
    percent: Decimal | None = None,
    population: int | None = None,
) -> ScopeThreshold:
    """The tier's threshold in one district, when it differs from the type's."""
    require(actor, "initiatives.manage", tier.type.component)
    if scope.organization_id != tier.type.component.space.organization_id:
        raise ValidationError({"scope": _("Choose one of the scopes offered.")})
    _check_threshold(threshold, percent, population)
    row, _created = ScopeThreshold.objects.update_or_create(
        tier=tier, scope=scope, defaults={"threshold": threshold, "percent": percent, "population": population}
    )
    trace(
        actor,
        "initiatives.scope_threshold_saved",
        tier.type,
        component=tier.type.component,
        data={"tier": tier.pk, "scope": scope.pk},
    )
    return row


def threshold_in(tier: Tier, scope: Scope | None) -> int | None:
    """The signatures a tier requires for an initiative of `scope` (its own
    threshold there, else its parent's, else the type's)."""
    overrides = {row.scope_id: row for row in tier.scope_thresholds.all()}
    seen = set()
    while scope is not None and scope.pk not in seen:
        seen.add(scope.pk)
        row = overrides.get(scope.pk)
        if row is not None:
            return required(row.threshold, row.percent, row.population)
        scope = scope.parent
    return required(tier.threshold, tier.percent, tier.type.population)


# --- the author and the committee --------------------------------------------------------------


def _check_text(title: str, body: str) -> None:
    errors = {}
    if not title:
        errors["title"] = _("Give the initiative a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("A title has at most %(limit)s characters.") % {"limit": TITLE_MAX}
    if len(body) < BODY_MIN:
        errors["body"] = _("Explain the initiative in at least %(limit)s characters.") % {"limit": BODY_MIN}
    elif len(body) > BODY_MAX:
        errors["body"] = _("The text has at most %(limit)s characters.") % {"limit": BODY_MAX}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_initiative(
    *,
    actor: User,
    component: Component,
    initiative_type: InitiativeType,
    title: str,
    body: str,
    question: str = "",
    scope: Scope | None = None,
) -> Initiative:
    """A resident files an initiative: a draft only its author (and the
    committee they invite) sees, until it is submitted to the city."""
    component = for_write(component)
    require(actor, "initiatives.create", component)
    if initiative_type.component_id != component.pk:
        raise ValidationError({"initiative_type": _("Choose one of the kinds offered.")})
    if scope is not None and scope.organization_id != component.space.organization_id:
        raise ValidationError({"scope": _("Choose one of the scopes offered.")})
    decision = eligibility.may_file(actor, initiative_type, scope)
    if not decision:
        raise PermissionDenied(decision)
    title, body = (title or "").strip(), (body or "").strip()
    _check_text(title, body)
    check_posting_rate(actor, "initiative")
    initiative = Initiative.objects.create(
        component=component,
        type=initiative_type,
        title=title,
        body=plain_text_to_html(body),
        question=(question or "").strip()[:300],
        scope=scope,
        author=actor,
        state=Initiative.State.DRAFT,
    )
    add_follow(user=actor, target=initiative)
    trace(actor, "initiatives.created", initiative, component=component)
    return initiative


@transaction.atomic
def update_initiative(
    *, actor: User, initiative: Initiative, title: str, body: str, question: str = "", scope: Scope | None = None
) -> Initiative:
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    locked.component = initiative.component
    require(actor, "initiatives.edit", locked)
    title, body = (title or "").strip(), (body or "").strip()
    _check_text(title, body)
    if scope is not None and scope.organization_id != initiative.component.space.organization_id:
        raise ValidationError({"scope": _("Choose one of the scopes offered.")})
    locked.title, locked.body, locked.question, locked.scope = title, plain_text_to_html(body), question.strip(), scope
    locked.save()
    trace(actor, "initiatives.updated", locked, component=locked.component)
    return locked


@transaction.atomic
def invite(*, actor: User, initiative: Initiative, email: str) -> CommitteeMember:
    """The author invites a participant of the organization to the promoter committee."""
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    locked.component = initiative.component
    require(actor, "initiatives.edit", locked)
    organization = _organization(initiative)
    person = User.objects.filter(
        email__iexact=(email or "").strip(), memberships__organization=organization, is_active=True
    ).first()
    if person is None:
        raise ValidationError(
            {"email": _("Nobody with this address takes part here: ask them to create an account first.")}
        )
    if person.pk == actor.pk:
        raise ValidationError({"email": _("You are the author: invite other people.")})
    member, created = CommitteeMember.objects.get_or_create(initiative=locked, user=person)
    if not created:
        raise ValidationError({"email": _("This person is already invited.")})
    if locked.state == Initiative.State.DRAFT:
        locked.state = Initiative.State.COMMITTEE
        locked.save(update_fields=["state", "updated_at"])
    trace(
        actor,
        "initiatives.invited",
        locked,
        component=locked.component,
        data={"member": person.pk},
        notify=[Notice(INVITED, to=[person], about=[person], url=locked.get_absolute_url())],
    )
    return member


@transaction.atomic
def accept_invitation(*, actor: User, initiative: Initiative) -> CommitteeMember:
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    locked.component = initiative.component
    require(actor, "initiatives.join", locked)
    member = CommitteeMember.objects.get(initiative=locked, user=actor)
    member.accepted_at = timezone.now()
    member.save(update_fields=["accepted_at"])
    add_follow(user=actor, target=locked)
    trace(
        actor,
        "initiatives.joined",
        locked,
        component=locked.component,
        notify=[Notice(CHANGED, to=[locked.author_id] if locked.author_id else [], url=locked.get_absolute_url())],
    )
    return member


def committee_size(initiative: Initiative) -> int:
    return initiative.committee.filter(accepted_at__isnull=False).count()


@transaction.atomic
def submit(*, actor: User, initiative: Initiative) -> Initiative:
    """The author submits the initiative to the city's admissibility check,
    once the committee has its minimum of members who accepted."""
    locked = Initiative.objects.select_for_update().select_related("type").get(pk=initiative.pk)
    locked.component = initiative.component
    require(actor, "initiatives.edit", locked)
    members, minimum = committee_size(locked), locked.type.committee_minimum
    if members < minimum:
        raise ValidationError(
            _("The promoter committee needs %(minimum)s members who accepted; it has %(members)s.")
            % {"minimum": minimum, "members": members}
        )
    locked.state, locked.submitted_at = Initiative.State.SUBMITTED, timezone.now()
    locked.save(update_fields=["state", "submitted_at", "updated_at"])
    trace(actor, "initiatives.submitted", locked, component=locked.component, notify=[_promoters_notice(locked)])
    return locked


def _promoters(initiative: Initiative) -> list[int]:
    ids = list(initiative.committee.filter(accepted_at__isnull=False).values_list("user_id", flat=True))
    return ([initiative.author_id] if initiative.author_id else []) + ids


def _promoters_notice(initiative: Initiative, event: str = CHANGED) -> Notice:
    return Notice(event, to=_promoters(initiative), actor=None, url=initiative.get_absolute_url())


# --- the city's decisions -----------------------------------------------------------------------


def _freeze_tiers(initiative: Initiative, now: datetime) -> list[InitiativeTier]:
    rows = []
    for tier in initiative.type.tiers.prefetch_related("scope_thresholds").select_related("type").order_by("position"):
        threshold = threshold_in(tier, initiative.scope)
        if threshold is None:
            raise ValidationError(
                _("The tier %(tier)s has no threshold for this initiative: give the population figure.")
                % {"tier": tier.position}
            )
        rows.append(
            InitiativeTier(
                initiative=initiative,
                tier=tier,
                position=tier.position,
                threshold=threshold,
                window_ends_at=now + timedelta(days=tier.window_days),
            )
        )
    if not rows:
        raise ValidationError(_("This kind of initiative has no tier: add one before publishing."))
    return InitiativeTier.objects.bulk_create(rows)


def _next_threshold(tiers: list[InitiativeTier]) -> int | None:
    pending = [row.threshold for row in tiers if row.reached_at is None]
    return pending[0] if pending else None


def _signature_period_end(initiative: Initiative) -> datetime | None:
    days = initiative.type.signature_days
    return initiative.published_at + timedelta(days=days) if days and initiative.published_at else None


def _open_until(initiative: Initiative, tiers: list[InitiativeTier]) -> datetime | None:
    """Signatures are taken until the window of the next tier not reached ends
    (within the signature period); None when every tier is reached."""
    pending = [row for row in tiers if row.reached_at is None]
    if not pending:
        return None
    end = pending[0].window_ends_at
    period_end = _signature_period_end(initiative)
    return min(end, period_end) if period_end else end


@transaction.atomic
def decide_admissibility(*, actor: User, initiative: Initiative, admissible: bool, reason: str = "") -> Initiative:
    """Admissible: the initiative is published and collects signatures, its
    tiers fixed. Refused: published with the public reason."""
    locked = Initiative.objects.select_for_update().select_related("type").get(pk=initiative.pk)
    locked.component = initiative.component
    require(actor, "initiatives.manage", locked.component)
    if locked.state != Initiative.State.SUBMITTED:
        raise ValidationError(_("Only a submitted initiative is checked."))
    now = timezone.now()
    if admissible:
        locked.published_at = now
        tiers = _freeze_tiers(locked, now)
        locked.open_until = _open_until(locked, tiers)
        locked.next_threshold = _next_threshold(tiers)
        locked.state = Initiative.State.COLLECTING
        verb = "initiatives.admitted"
        notices = [
            _promoters_notice(locked),
            Notice(NEW, followers=True, actor=None, exclude=_promoters(locked), url=locked.get_absolute_url()),
        ]
    else:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Say why the initiative is not admissible: the reason is public.")})
        locked.state, locked.refusal_reason, locked.closed_at = Initiative.State.REFUSED, reason, now
        verb = "initiatives.refused"
        notices = [_promoters_notice(locked)]
    locked.save()
    trace(actor, verb, locked, component=locked.component, visibility=ActionLog.Visibility.PUBLIC, notify=notices)
    if admissible:
        schedule_close(locked)
    return locked


def schedule_close(initiative: Initiative) -> None:
    """With a backend that runs tasks later (the database worker), the end of
    the current window is queued at its time; `manage.py initiatives_tick`
    (cron) finds any other due initiative."""
    if initiative.open_until is None or not advance_task.get_backend().supports_defer:
        return
    advance_task.using(run_after=initiative.open_until).enqueue(initiative.pk)


def _signers(initiative: Initiative) -> list[int]:
    return list(
        Signature.objects.filter(initiative=initiative, user__isnull=False, struck_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )


def _everyone_notice(initiative: Initiative, event: str, data: dict | None = None) -> Notice:
    """The author, the committee, the signers and the followers (read when it
    happens: a signature writes no follow, so that signing stays one row)."""
    return Notice(
        event,
        to=[*_promoters(initiative), *_signers(initiative)],
        followers=True,
        space_followers=False,
        actor_followers=False,
        actor=None,
        url=initiative.get_absolute_url(),
        data=data,
    )


def close_collection(initiative: Initiative, *, now: datetime | None = None) -> bool:
    """The worker's transition: a collecting initiative whose window ended is
    closed (a tier reached: awaiting the city's response) or lapsed (none).
    Idempotent: only a collecting initiative past its date changes."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Initiative.objects.select_for_update()
            .select_related("component__space__organization", "type")
            .filter(pk=initiative.pk, state=Initiative.State.COLLECTING, open_until__lte=now)
            .first()
        )
        if locked is None:
            return False
        reached = locked.tiers.filter(reached_at__isnull=False).exists()
        locked.state = Initiative.State.CLOSED if reached else Initiative.State.LAPSED
        locked.closed_at = now
        locked.save(update_fields=["state", "closed_at", "updated_at"])
        trace(
            None,
            "initiatives.closed" if reached else "initiatives.lapsed",
            locked,
            component=locked.component,
            visibility=ActionLog.Visibility.PUBLIC,
            data={"signatures": locked.signature_count},
            notify=[_everyone_notice(locked, CHANGED)],
        )
    return True


def close_due(*, now: datetime | None = None) -> int:
    """Every collecting initiative past its window (the cron command and the task)."""
    now = now or timezone.now()
    due = Initiative.objects.filter(state=Initiative.State.COLLECTING, open_until__lte=now).values_list("pk", flat=True)
    return sum(close_collection(Initiative(pk=pk), now=now) for pk in list(due))


# The background worker's task (django-tasks), beside what it runs: the end of an
# initiative's window is queued at its time (schedule_close); `manage.py
# initiatives_tick` (cron) closes whatever else is due.
@task()
def advance_task(initiative_id: int) -> bool:
    """Closes the initiative if its window has ended (idempotent: a task run
    early, twice or after a new tier moved the date changes nothing)."""
    return close_collection(Initiative(pk=initiative_id))


@transaction.atomic
def answer_tier(*, actor: User, row: InitiativeTier, response: dict) -> InitiativeTier:
    """The city's response to a reached tier (the mediation's report, the
    workshop's conclusions, the council's decision). When the collection is
    over and every reached tier is answered, the initiative is answered."""
    initiative = Initiative.objects.select_for_update().get(pk=row.initiative_id)
    initiative.component = row.initiative.component
    require(actor, "initiatives.manage", initiative.component)
    locked = InitiativeTier.objects.select_for_update().get(pk=row.pk)
    if locked.reached_at is None:
        raise ValidationError(_("This tier has not been reached: there is nothing to answer yet."))
    response = clean_translated_html(response or {})
    if not any(text.strip() for text in response.values()):
        raise ValidationError({"response": _("Write the city's response.")})
    locked.response, locked.answered_at = response, timezone.now()
    locked.save(update_fields=["response", "answered_at"])
    unanswered = initiative.tiers.filter(reached_at__isnull=False, answered_at__isnull=True).exists()
    if initiative.state == Initiative.State.CLOSED and not unanswered:
        initiative.state = Initiative.State.ANSWERED
        initiative.save(update_fields=["state", "updated_at"])
    trace(
        actor,
        "initiatives.answered",
        initiative,
        component=initiative.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"tier": locked.position},
        notify=[_everyone_notice(initiative, CHANGED)],
    )
    return locked


# --- signing (the hot path) -----------------------------------------------------------------------


def _account_key(organization: Organization, user: User) -> str:
    """The key of a signer: their civil identity's when a verification knows it
    (the key a paper line of the same person gives), else their account's."""
    key = (
        Identity.objects.filter(
            organization=organization,
            user=user,
            verifications__status=Verification.Status.ACTIVE,
            verifications__method__in=CIVIL_METHODS,
        )
        .values_list("key", flat=True)
        .first()
    )
    return key or f"account:{user.pk}"


def _raise_count(initiative_id: int, delta: int, now: datetime, *, collecting: bool) -> int | None:
    """The one statement that touches the hot row: add `delta` and return the new
    count, or None when the initiative no longer collects (its window closed)."""
    table = Initiative._meta.db_table
    condition = " AND state = %s AND (open_until IS NULL OR open_until > %s)" if collecting else ""
    params: list = [delta, initiative_id]
    if collecting:
        params += [Initiative.State.COLLECTING, now]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET signature_count = signature_count + %s WHERE id = %s{condition} "
            "RETURNING signature_count",
            params,
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _marks(threshold: int) -> dict[int, int]:
    """{signature count: mark} of the progress notices toward a threshold."""
    return {math.ceil(threshold * mark / 100): mark for mark in PROGRESS_MARKS}


def after_count(initiative: Initiative, tiers: list[InitiativeTier], count: int, now: datetime) -> None:
    """What a new count causes: a tier reached (once: the conditional UPDATE
    only one transaction wins), the progress notices at 33 % and 66 % of the
    next threshold (once per mark: a conditional UPDATE too)."""
    for row in tiers:
        if row.reached_at is not None or count < row.threshold or now >= row.window_ends_at:
            continue
        won = InitiativeTier.objects.filter(pk=row.pk, reached_at__isnull=True).update(
            reached_at=now,
            reached_count=count,
            response_due=(now + timedelta(days=row.tier.response_days)).date() if row.tier.response_days else None,
        )
        if won:
            row.reached_at = now
            _tier_reached(initiative, row, tiers, count, now)
    pending = [row for row in tiers if row.reached_at is None]
    if not pending:
        return
    mark = _marks(pending[0].threshold).get(count)
    if mark and Initiative.objects.filter(pk=initiative.pk, progress_mark__lt=mark).update(progress_mark=mark):
        trace(
            None,
            "initiatives.progress",
            initiative,
            component=initiative.component,
            data={"mark": mark, "tier": pending[0].position, "signatures": count},
            notify=[_everyone_notice(initiative, PROGRESS, {"mark": mark, "threshold": pending[0].threshold})],
        )


def _tier_reached(
    initiative: Initiative, row: InitiativeTier, tiers: list[InitiativeTier], count: int, now: datetime
) -> None:
    open_until = _open_until(initiative, tiers)
    changes: dict = {"progress_mark": 0, "open_until": open_until, "next_threshold": _next_threshold(tiers)}
    if open_until is None:  # the last tier: the collection is over
        changes.update(state=Initiative.State.CLOSED, closed_at=now)
    Initiative.objects.filter(pk=initiative.pk).update(**changes)
    initiative.open_until = open_until
    trace(
        None,
        "initiatives.tier_reached",
        initiative,
        component=initiative.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"tier": row.position, "kind": row.tier.kind, "signatures": count, "threshold": row.threshold},
        notify=[_everyone_notice(initiative, REACHED, {"tier": row.position, "threshold": row.threshold})],
    )
    schedule_close(initiative)


def _confirmation(initiative: Initiative, signature: Signature, user: User) -> None:
    email_person(
        key=f"initiatives.signed:{signature.pk}",
        kind="initiatives.signed",
        organization=_organization(initiative),
        person=user,
        subject_template="initiatives/email/signed_subject.txt",
        text_template="initiatives/email/signed.txt",
        context={
            "initiative": initiative,
            "url": _organization(initiative).base_url + initiative.get_absolute_url(),
            "withdrawal": initiative.type.withdrawal_allowed,
        },
    )


def load_for_signing(initiative_id: int) -> Initiative:
    """The initiative as it is now (state, window, count), its type and component."""
    return Initiative.objects.select_related("type", "component__space__organization").get(pk=initiative_id)


def _needs_tiers(initiative: Initiative, count: int) -> bool:
    """Whether this count may reach a tier or a progress mark (then the tiers are read)."""
    threshold = initiative.next_threshold
    return threshold is not None and (count >= threshold or count in _marks(threshold))


@transaction.atomic
def signer_form(*, actor: User, initiative_type: InitiativeType) -> InitiativeType:
    """The type's extra signer fields (agora.questionnaires), made empty the first
    time an officer opens them; asked to each person who signs online, the answers
    kept with the signature for the staff alone."""
    require(actor, "initiatives.manage", initiative_type.component)
    locked = InitiativeType.objects.select_for_update().get(pk=initiative_type.pk)
    if locked.questionnaire_id is None:
        locked.questionnaire = questionnaires.insert_questionnaire(
            organization=initiative_type.component.space.organization,
            owner_type="initiatives.type",
            owner_id=initiative_type.pk,
            title=dict(initiative_type.title or {}),
        )
        locked.save(update_fields=["questionnaire"])
    initiative_type.questionnaire = locked.questionnaire
    return initiative_type


def signer_questions(initiative_type: InitiativeType) -> list:
    """The questions a signer answers (none, without a query, when the type asks nothing)."""
    questionnaire = initiative_type.questionnaire if initiative_type.questionnaire_id is not None else None
    if questionnaire is None:
        return []
    return list(questionnaire_selectors.questions_of(questionnaire))


def sign(*, actor: User, initiative: Initiative, public: bool = False, values: dict | None = None) -> Signature:
    """The person signs online: one signature per person per initiative (the
    unique constraints), refused after the window and for an ineligible
    person; a confirmation e-mail (queued for the worker). When the type asks
    extra signer fields, `values` are checked and stored with the signature in
    the same transaction (AnswersRefused, nothing saved, when they do not hold);
    no query more when it asks nothing.

    The hot path: the row is inserted, the action logged, the e-mail queued,
    then the count raised by the last statement before the commit; the tiers
    are read only when the count reaches the next threshold or a progress mark."""
    expected_component = initiative.component_id
    initiative = load_for_signing(initiative.pk)
    if expected_component and initiative.component_id != expected_component:
        raise Initiative.DoesNotExist  # an initiative of another component: not found there
    require(actor, "initiatives.sign", initiative)
    organization = _organization(initiative)
    now = timezone.now()
    questions = signer_questions(initiative.type)
    try:
        with transaction.atomic():
            answer_set = None
            questionnaire = initiative.type.questionnaire if questions else None
            if questionnaire is not None:
                answer_set = questionnaires.save_answers(
                    questionnaire=questionnaire, values=values or {}, questions=questions
                )
            signature = Signature.objects.create(
                initiative=initiative,
                user=actor,
                person_key=_account_key(organization, actor),
                channel=Signature.Channel.ONLINE,
                public=bool(public),
                public_name=actor.public_name if public else "",
                signed_on=timezone.localdate(now),
                answer_set=answer_set,
            )
            trace(actor, "initiatives.signed", initiative, component=initiative.component, data={"public": public})
            confirmation_task.enqueue(signature.pk)
            # Participation statistics (agora.statistics): the person's rows and a striped day count,
            # before the count, so that the initiative's row stays the last one locked.
            statistics.record(
                kind=statistics.SIGNATURE, component=initiative.component, person=actor, channel=statistics.ONLINE
            )
            # Last: the row lock of the count is held for the commit alone.
            count = _raise_count(initiative.pk, 1, now, collecting=True)
            if count is None:
                raise _Closed()
            initiative.signature_count = count
            if _needs_tiers(initiative, count):
                after_count(initiative, list(initiative.tiers.select_related("tier")), count, now)
    except IntegrityError:
        raise PermissionDenied(deny(_("You have already signed this initiative."))) from None
    except _Closed:
        raise PermissionDenied(deny(_("The collection is over: no more signatures are taken."))) from None
    return signature


@task()
def confirmation_task(signature_id: int) -> bool:
    """The confirmation e-mail of a signature, written by the worker into the
    outbox (agora.outbox); nothing when the signature was withdrawn meanwhile."""
    signature = (
        Signature.objects.select_related("initiative__type", "initiative__component__space__organization", "user")
        .filter(pk=signature_id, user__isnull=False)
        .first()
    )
    if signature is None or signature.user is None:
        return False
    _confirmation(signature.initiative, signature, signature.user)
    return True


class _Closed(Exception):
    pass


def _delete_answers(answer_sets: Any) -> None:
    for answer_set in answer_sets.select_related("questionnaire"):
        questionnaires.delete_answers(answer_set=answer_set)


def erase_signer_answers(user: User) -> None:
    """The account's eraser (agora.accounts.erasure): the answers it gave to extra
    signer fields go with it; the signatures stay, counted, without a person."""
    _delete_answers(
        AnswerSet.objects.filter(
            pk__in=Signature.objects.filter(user=user, answer_set__isnull=False).values("answer_set_id")
        )
    )


@transaction.atomic
def withdraw(*, actor: User, initiative: Initiative) -> None:
    initiative = load_for_signing(initiative.pk)
    require(actor, "initiatives.withdraw", initiative)
    mine = Signature.objects.filter(initiative=initiative, user=actor, struck_at__isnull=True)
    _delete_answers(AnswerSet.objects.filter(pk__in=mine.filter(answer_set__isnull=False).values("answer_set_id")))
    deleted, _rows = mine.delete()
    if deleted:
        count = _raise_count(initiative.pk, -1, timezone.now(), collecting=False)
        _note_below(initiative, count)
        trace(actor, "initiatives.withdrawn", initiative, component=initiative.component)


# --- paper ----------------------------------------------------------------------------------------------


def _sheet(initiative: Initiative, number: int, actor: User) -> PaperSheet:
    if number < 1:
        raise ValidationError({"sheet": _("Sheets are numbered from 1.")})
    sheet, _created = PaperSheet.objects.get_or_create(
        initiative=initiative, number=number, defaults={"entered_by": actor}
    )
    return sheet


def _paper_open(actor: User, initiative: Initiative) -> None:
    """Paper is entered while the initiative collects and, for sheets brought back
    late, within PAPER_GRACE_DAYS of the end of the collection (closed or lapsed)."""
    require(actor, "initiatives.manage", initiative.component)
    if not initiative.type.paper:
        raise ValidationError(_("This kind of initiative is signed online only."))
    if initiative.state not in (Initiative.State.COLLECTING, Initiative.State.CLOSED, Initiative.State.LAPSED):
        raise ValidationError(_("Paper signatures are entered while the initiative collects, or right after."))
    if initiative.state != Initiative.State.COLLECTING and initiative.closed_at is not None:
        if timezone.now() > initiative.closed_at + timedelta(days=PAPER_GRACE_DAYS):
            raise ValidationError(
                _("The collection ended more than %(days)s days ago: paper signatures can no longer be entered.")
                % {"days": PAPER_GRACE_DAYS}
            )


def _last_day(initiative: Initiative, tiers: list[InitiativeTier]) -> datetime | None:
    """The end of the collection a paper signature must be dated before: the window
    of the first tier not reached (within the signature period)."""
    ends = [row.window_ends_at for row in tiers if row.reached_at is None]
    period_end = _signature_period_end(initiative)
    return min([*ends, *([period_end] if period_end else [])], default=None)


def _check_signed_on(initiative: Initiative, tiers: list[InitiativeTier], signed_on: date, field: str) -> None:
    signed_at = timezone.make_aware(datetime.combine(signed_on, datetime.min.time()))
    if initiative.published_at and signed_on < timezone.localdate(initiative.published_at):
        raise ValidationError({field: _("This line is dated before the initiative was published.")})
    if signed_on > timezone.localdate():
        raise ValidationError({field: _("This line is dated in the future.")})
    last_day = _last_day(initiative, tiers)
    if last_day is not None and signed_at >= last_day:
        raise ValidationError({field: _("This line was signed after the collection window ended.")})


def _within(initiative: Initiative, window_ends_at: datetime) -> int:
    """The valid signatures signed within a window: paper lines and online
    signatures by their date, counted sheets by the date of their last signature."""
    # A day counts when it starts before the window ends (as _check_signed_on reads a date).
    signed_at_latest = timezone.localdate(window_ends_at - timedelta(microseconds=1))
    lines = Signature.objects.filter(
        initiative=initiative, struck_at__isnull=True, signed_on__lte=signed_at_latest
    ).count()
    sheets = PaperSheet.objects.filter(
        initiative=initiative, count__isnull=False, last_signed_on__lte=signed_at_latest
    ).aggregate(total=Sum("count"))["total"]
    return lines + (sheets or 0)


def _late_tiers(initiative: Initiative, tiers: list[InitiativeTier], now: datetime) -> None:
    """Paper entered after a tier's window ended: the tier is reached (dated now, once)
    when the signatures signed within its window reach its threshold. A lapsed
    initiative is then closed, awaiting the city's response (docs/initiatives.md)."""
    for row in tiers:
        if row.reached_at is not None or now < row.window_ends_at:
            continue
        within = _within(initiative, row.window_ends_at)
        if within < row.threshold:
            continue
        won = InitiativeTier.objects.filter(pk=row.pk, reached_at__isnull=True).update(
            reached_at=now,
            reached_count=within,
            response_due=(now + timedelta(days=row.tier.response_days)).date() if row.tier.response_days else None,
        )
        if not won:
            continue
        row.reached_at = now
        if initiative.state == Initiative.State.LAPSED:
            Initiative.objects.filter(pk=initiative.pk, state=Initiative.State.LAPSED).update(
                state=Initiative.State.CLOSED
            )
            initiative.state = Initiative.State.CLOSED
        trace(
            None,
            "initiatives.tier_reached",
            initiative,
            component=initiative.component,
            visibility=ActionLog.Visibility.PUBLIC,
            data={
                "tier": row.position,
                "kind": row.tier.kind,
                "signatures": within,
                "threshold": row.threshold,
                "late": True,
            },
            notify=[_everyone_notice(initiative, REACHED, {"tier": row.position, "threshold": row.threshold})],
        )


def _after_paper(initiative: Initiative, tiers: list[InitiativeTier], count: int, now: datetime) -> None:
    if initiative.state == Initiative.State.COLLECTING:
        after_count(initiative, tiers, count, now)
    else:
        _late_tiers(initiative, tiers, now)
    InitiativeTier.objects.filter(initiative=initiative, reached_at__isnull=False, threshold__lte=count).exclude(
        below_since=None
    ).update(below_since=None)


def _note_below(initiative: Initiative, count: int | None) -> None:
    """A strike or a withdrawal took the count from a reached tier's threshold to below it:
    the tier stays reached, and the page says since when the count is below."""
    if count is None:
        return
    InitiativeTier.objects.filter(initiative=initiative, reached_at__isnull=False, threshold=count + 1).update(
        below_since=timezone.now()
    )


@dataclass(frozen=True)
class PaperLine:
    last_name: str
    first_name: str
    birth_date: date
    postal_code: str
    signed_on: date


def add_paper_line(*, actor: User, initiative: Initiative, sheet: int, line: int, person: PaperLine) -> Signature:
    """One line of a paper sheet: the same eligibility as online where the
    sheet's data allows it (age on the day signed, postal code), within the
    window, and never a person who already signed (online or on paper)."""
    initiative = load_for_signing(initiative.pk)
    _paper_open(actor, initiative)
    now = timezone.now()
    tiers = list(initiative.tiers.select_related("tier"))
    _check_signed_on(initiative, tiers, person.signed_on, "signed_on")
    rule = eligibility.rule_of(initiative.type.sign_rule)
    if rule.min_age is not None or rule.max_age is not None:
        age = age_on(person.birth_date, person.signed_on) or 0  # age on the day they signed
        if rule.min_age is not None and age < rule.min_age:
            raise ValidationError(
                _("This person was %(age)s on the day they signed: the minimum age is %(min)s.")
                % {"age": age, "min": rule.min_age}
            )
        if rule.max_age is not None and age > rule.max_age:
            raise ValidationError(_("This person was above the maximum age on the day they signed."))
    if rule.postal_codes and person.postal_code.strip() not in rule.postal_codes:
        raise ValidationError(
            {
                "postal_code": _("This postal code is not among those allowed: %(codes)s.")
                % {"codes": ", ".join(rule.postal_codes)}
            }
        )
    organization = _organization(initiative)
    key = person_key(
        organization, last_name=person.last_name, first_name=person.first_name, birth_date=person.birth_date
    )
    duplicate = Signature.objects.filter(initiative=initiative, person_key=key).first()
    if duplicate is not None:
        raise ValidationError(_duplicate_reason(duplicate))
    try:
        with transaction.atomic():
            paper_sheet = _sheet(initiative, sheet, actor)
            signature = Signature.objects.create(
                initiative=initiative,
                person_key=key,
                channel=Signature.Channel.PAPER,
                sheet=paper_sheet,
                line=line,
                signed_on=person.signed_on,
            )
            trace(
                actor,
                "initiatives.paper_line",
                initiative,
                component=initiative.component,
                data={"sheet": sheet, "line": line, "signature": signature.pk},
            )
            statistics.record(
                kind=statistics.SIGNATURE, component=initiative.component, person=None, channel=statistics.PAPER
            )
            count = _raise_count(initiative.pk, 1, now, collecting=False)
            initiative.signature_count = count or 0
            _after_paper(initiative, tiers, initiative.signature_count, now)
    except IntegrityError:
        duplicate = Signature.objects.filter(initiative=initiative, person_key=key).first()
        raise ValidationError(
            _duplicate_reason(duplicate) if duplicate else _("This person has already signed.")
        ) from None
    return signature


def _duplicate_reason(duplicate: Signature) -> str:
    if duplicate.channel == Signature.Channel.ONLINE:
        return _("This person has already signed online: the paper line is refused.")
    return _("This person has already signed on paper (sheet %(sheet)s, line %(line)s).") % {
        "sheet": duplicate.sheet.number if duplicate.sheet else "?",
        "line": duplicate.line or "?",
    }


SCAN_MAX_BYTES = 20 * 1024 * 1024


def _check_scan(scan: File) -> None:
    """A PDF or a picture, by its content (never its name), of reasonable size."""
    if getattr(scan, "size", 0) > SCAN_MAX_BYTES:
        raise ValidationError({"scan": _("This file is too large: the limit is 20 MB.")})
    found = detect(scan)
    if found is None or found.kind not in ("pdf", "image"):
        raise ValidationError({"scan": _("Attach the scan as a PDF or a picture (JPEG, PNG, WebP).")})


@transaction.atomic
def add_sheet_count(
    *,
    actor: User,
    initiative: Initiative,
    sheet: int,
    count: int,
    scan: File | None,
    last_signed_on: date | None = None,
) -> PaperSheet:
    """A sheet counted rather than entered line by line, with its scan (checked by
    content) and the date of its last signature. Its lines cannot be checked
    against the online signatures (no names are typed): the same sheet number or
    the same scan entered twice is refused; prefer line by line."""
    initiative = load_for_signing(initiative.pk)
    _paper_open(actor, initiative)
    if count < 1:
        raise ValidationError({"count": _("A sheet counts at least one signature.")})
    if scan is None:
        raise ValidationError({"scan": _("Attach the scan of the sheet.")})
    if last_signed_on is None:
        raise ValidationError({"last_signed_on": _("Give the date of the last signature on the sheet.")})
    _check_scan(scan)
    tiers = list(initiative.tiers.select_related("tier"))
    _check_signed_on(initiative, tiers, last_signed_on, "last_signed_on")
    if PaperSheet.objects.filter(initiative=initiative, number=sheet).exists():
        raise ValidationError({"sheet": _("This sheet has already been entered.")})
    digest = _sha256(scan)
    same = PaperSheet.objects.filter(initiative=initiative, scan_sha256=digest).first()
    if same is not None:
        raise ValidationError(
            {
                "scan": _("This scan was already entered as sheet %(number)s: the same sheet is not counted twice.")
                % {"number": same.number}
            }
        )
    paper_sheet = PaperSheet.objects.create(
        initiative=initiative,
        number=sheet,
        count=count,
        entered_by=actor,
        scan=scan,
        scan_sha256=digest,
        last_signed_on=last_signed_on,
    )
    trace(
        actor,
        "initiatives.paper_sheet",
        initiative,
        component=initiative.component,
        data={"sheet": sheet, "count": count, "sha256": digest},
    )
    now = timezone.now()
    total = _raise_count(initiative.pk, count, now, collecting=False) or 0
    _after_paper(initiative, tiers, total, now)
    return paper_sheet


def _sha256(upload: File) -> str:
    digest = hashlib.sha256()
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(position)
    return digest.hexdigest()


# --- the verification sample ----------------------------------------------------------------------


def draw_indices(seed: str, population: int, size: int) -> list[int]:
    """The documented draw (docs/initiatives.md): for counter = 0, 1, 2 ...,
    h = SHA-256(seed ‖ ":" ‖ counter in decimal), read as a big-endian
    integer; values at or above the largest multiple of `population` below
    2^256 are rejected (no bias), else h mod population is an index, kept
    when not drawn before; until `size` indices are drawn."""
    size = min(size, population)
    limit = (2**256 // population) * population if population else 0
    chosen: list[int] = []
    seen: set[int] = set()
    counter = 0
    while len(chosen) < size:
        value = int.from_bytes(hashlib.sha256(f"{seed}:{counter}".encode()).digest(), "big")
        counter += 1
        if value >= limit:
            continue
        index = value % population
        if index not in seen:
            seen.add(index)
            chosen.append(index)
    return chosen


@transaction.atomic
def publish_seed(*, actor: User, row: InitiativeTier, percent: Decimal, seed: str) -> InitiativeTier:
    """The seed of the draw, published before the draw (with the percentage)."""
    require(actor, "initiatives.manage", row.initiative.component)
    locked = InitiativeTier.objects.select_for_update().get(pk=row.pk)
    if locked.reached_at is None:
        raise ValidationError(_("The sample is drawn once the tier is reached."))
    if locked.sample_drawn_at is not None:
        raise ValidationError(_("The sample has already been drawn."))
    seed = (seed or "").strip()
    if len(seed) < 8:
        raise ValidationError({"seed": _("A seed has at least 8 characters (for example a lottery result).")})
    if not (0 < percent <= 100):
        raise ValidationError({"percent": _("A percentage is above 0 and at most 100.")})
    locked.sample_seed, locked.sample_percent, locked.seed_published_at = seed, percent, timezone.now()
    locked.save(update_fields=["sample_seed", "sample_percent", "seed_published_at"])
    trace(
        actor,
        "initiatives.seed_published",
        row.initiative,
        component=row.initiative.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"tier": locked.position, "seed": seed, "percent": str(percent)},
    )
    return locked


@transaction.atomic
def draw_sample(*, actor: User, row: InitiativeTier) -> InitiativeTier:
    """Draws the sample among the valid signatures with a line (online and
    paper lines), ordered by their number, with the seed published before."""
    require(actor, "initiatives.manage", row.initiative.component)
    locked = InitiativeTier.objects.select_for_update().get(pk=row.pk)
    if not locked.seed_published_at:
        raise ValidationError(_("Publish the seed before drawing the sample."))
    if locked.sample_drawn_at is not None:
        raise ValidationError(_("The sample has already been drawn."))
    population = list(
        Signature.objects.filter(initiative_id=locked.initiative_id, struck_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if not population:
        raise ValidationError(_("There is no signature to draw from."))
    size = math.ceil(len(population) * Decimal(locked.sample_percent or 0) / 100)
    indices = draw_indices(locked.sample_seed, len(population), size)
    locked.sample_population, locked.sample = population, [population[index] for index in indices]
    locked.sample_drawn_at = timezone.now()
    locked.save(update_fields=["sample_population", "sample", "sample_drawn_at"])
    trace(
        actor,
        "initiatives.sample_drawn",
        row.initiative,
        component=row.initiative.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"tier": locked.position, "size": len(locked.sample)},
    )
    return locked


@transaction.atomic
def record_sample_outcome(*, actor: User, row: InitiativeTier, outcome: str) -> InitiativeTier:
    """The outcome of the check of the drawn sample, public: how many of the drawn
    signatures were struck (counted from the strikes), and the staff's conclusion."""
    require(actor, "initiatives.manage", row.initiative.component)
    locked = InitiativeTier.objects.select_for_update().get(pk=row.pk)
    if locked.sample_drawn_at is None:
        raise ValidationError(_("Draw the sample before recording the outcome of its check."))
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Write the conclusion of the check.")})
    struck = Signature.objects.filter(pk__in=locked.sample, struck_at__isnull=False).count()
    locked.sample_struck, locked.sample_outcome, locked.sample_checked_at = struck, outcome[:4000], timezone.now()
    locked.save(update_fields=["sample_struck", "sample_outcome", "sample_checked_at"])
    trace(
        actor,
        "initiatives.sample_checked",
        row.initiative,
        component=row.initiative.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"tier": locked.position, "drawn": len(locked.sample), "struck": struck},
    )
    return locked


@transaction.atomic
def strike(*, actor: User, signature: Signature, reason: str) -> Signature:
    """An invalid signature found by the check: struck with its reason, the count lowered."""
    initiative = signature.initiative
    require(actor, "initiatives.manage", initiative.component)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the signature is invalid.")})
    updated = Signature.objects.filter(pk=signature.pk, struck_at__isnull=True).update(
        struck_at=timezone.now(), struck_reason=reason[:300]
    )
    if not updated:
        raise ValidationError(_("This signature has already been struck."))
    _note_below(initiative, _raise_count(initiative.pk, -1, timezone.now(), collecting=False))
    trace(
        actor,
        "initiatives.struck",
        initiative,
        component=initiative.component,
        data={"signature": signature.pk, "reason": reason[:300]},
    )
    signature.refresh_from_db()
    return signature


# --- the citizen-vote component's hook (api.vote_opened) -------------------------------------------


@transaction.atomic
def record_vote_opened(*, actor: User | None, initiative: Initiative, reference: str) -> None:
    Initiative.objects.filter(pk=initiative.pk).update(vote_reference=reference[:200])
    trace(
        actor,
        "initiatives.vote_opened",
        initiative,
        component=initiative.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"reference": reference[:200]},
        notify=[_everyone_notice(initiative, CHANGED)],
    )
