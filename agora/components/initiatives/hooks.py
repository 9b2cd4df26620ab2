"""Hooks of the initiatives manifest: statistics, export, search, open data
and the demo seed. None of them reads a draft, a hidden initiative or a signer."""

import io

from django.db.models import Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from agora.components.initiatives import seeds, selectors
from agora.components.initiatives.models import Initiative, Signature
from agora.core.csvfiles import SafeWriter
from agora.core.translations import translated
from agora.questionnaires import exports as questionnaire_exports
from agora.questionnaires import selectors as questionnaire_selectors
from agora.statistics import api as statistics


def _iso(value):
    return value.isoformat() if value else None


def stats(component):
    initiatives = Initiative.objects.filter(component=component).public().visible()
    return [
        (_("Initiatives published"), initiatives.count()),
        (_("Initiatives collecting signatures"), initiatives.filter(state=Initiative.State.COLLECTING).count()),
        (_("Signatures"), initiatives.aggregate(total=Sum("signature_count"))["total"] or 0),
        (
            _("Signatures online"),
            Signature.objects.filter(
                initiative__in=initiatives, channel=Signature.Channel.ONLINE, struck_at__isnull=True
            ).count(),
        ),
        (
            _("Tiers reached"),
            sum(
                1
                for initiative in selectors.initiatives_for(component)
                for row in initiative.tier_rows
                if row.reached_at
            ),
        ),
    ]


def _reached(initiative) -> list[int]:
    return [row.position for row in initiative.tier_rows if row.reached_at]


def export_csv(component):
    """The published initiatives with their figures (no signer)."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(
        ["id", "title", "type", "scope", "state", "published_at", "open_until", "signatures", "tiers_reached", "url"]
    )
    for initiative in selectors.public_initiatives(component):
        writer.writerow(
            [
                initiative.pk,
                initiative.title,
                translated(initiative.type.title),
                translated(initiative.scope.name) if initiative.scope else "",
                initiative.state,
                _iso(initiative.published_at) or "",
                _iso(initiative.open_until) or "",
                initiative.signature_count,
                " ".join(str(position) for position in _reached(initiative)),
                initiative.get_absolute_url(),
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="initiatives-{component.pk}.csv"'
    return response


def open_data_initiatives(component):
    for initiative in selectors.public_initiatives(component):
        yield {
            "id": initiative.pk,
            "title": initiative.title,
            "type": dict(initiative.type.title or {}),
            "scope": translated(initiative.scope.name) if initiative.scope else None,
            "state": initiative.state,
            "refusal_reason": initiative.refusal_reason or None,
            "published_at": _iso(initiative.published_at),
            "open_until": _iso(initiative.open_until),
            "signatures": initiative.signature_count,
            "tiers_reached": _reached(initiative),
            "url": initiative.get_absolute_url(),
        }


def open_data_tiers(component):
    for initiative in selectors.public_initiatives(component):
        for row in initiative.tier_rows:
            yield {
                "initiative": initiative.pk,
                "position": row.position,
                "kind": row.tier.kind,
                "threshold": row.threshold,
                "window_ends_at": _iso(row.window_ends_at),
                "reached_at": _iso(row.reached_at),
                "response_due": _iso(row.response_due),
                "answered_at": _iso(row.answered_at),
                "sample_seed": row.sample_seed if row.seed_published_at else None,
                "sample": list(row.sample or []),
            }


def participation(component):
    """Every valid signature entered one by one, online or as a paper line (counted sheets are totals)."""
    rows = Signature.objects.filter(initiative__component=component, struck_at__isnull=True).values_list(
        "created_at", "channel", "user_id"
    )
    for created_at, channel, user_id in rows.iterator(chunk_size=5000):
        yield statistics.Event(statistics.SIGNATURE, channel, timezone.localdate(created_at), user_id, None)


def search(component):
    return [
        (initiative.title, strip_tags(initiative.body).strip(), initiative.get_absolute_url())
        for initiative in selectors.public_initiatives(component)
    ]


def seed(component):
    seeds.seed(component)


def personal_data(person):
    """The initiatives the person filed and their signatures ("download my data")."""
    yield (
        "initiatives",
        Initiative.objects.filter(author=person)
        .order_by("pk")
        .values(
            "id", "component_id", "title", "question", "body", "state", "created_at", "submitted_at", "published_at"
        ),
    )
    yield (
        "signatures",
        Signature.objects.filter(user=person)
        .order_by("pk")
        .values(
            "initiative_id", "channel", "public", "public_name", "signed_on", "created_at", "struck_at", "struck_reason"
        ),
    )
    yield ("signer_answers", _signer_answers(person))


def _signer_answers(person):
    """The answers the person gave to extra signer fields, one row per column as the
    staff's export flattens them."""
    signatures = list(
        Signature.objects.filter(user=person, answer_set__isnull=False)
        .select_related("initiative__type__questionnaire")
        .order_by("pk")
    )
    answers = questionnaire_exports.answers_of(signature.answer_set_id for signature in signatures)
    for signature in signatures:
        questionnaire = signature.initiative.type.questionnaire
        if questionnaire is None:
            continue
        given = answers.get(signature.answer_set_id, {})
        for title, cell in questionnaire_exports.columns(questionnaire_selectors.questions_of(questionnaire)):
            yield {"initiative_id": signature.initiative_id, "question": title, "answer": cell(given)}
