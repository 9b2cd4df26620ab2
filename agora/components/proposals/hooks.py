"""Hooks of the proposals manifest: statistics, search, demo seed (the exports
and the open-data table are in agora.components.proposals.evaluation.exports)."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.components.proposals import seeds, selectors
from agora.components.proposals.models import Proposal, Support
from agora.components.proposals.services import STATISTICS_CHANNELS
from agora.statistics import api as statistics

User = get_user_model()


def stats(component):
    return stats_many([component])[component.pk]


def stats_many(components):
    """The figures of many ideas components, in three queries whatever their number."""
    ids = [component.pk for component in components]
    counts = {
        row["component_id"]: row
        for row in Proposal.objects.filter(component_id__in=ids)
        .order_by()
        .values("component_id")
        .annotate(
            published=Count("id", filter=Q(status=Proposal.Status.PUBLISHED)),
            withdrawn=Count("id", filter=Q(status=Proposal.Status.WITHDRAWN)),
            supports=Sum("supports_count", filter=~Q(status=Proposal.Status.DRAFT)),
        )
    }
    # How the public ideas reached the organization (ideas moderation hid are left out).
    channels: dict = {}
    for component_id, channel, n in (
        Proposal.objects.filter(component_id__in=ids)
        .exclude(status=Proposal.Status.DRAFT)
        .visible()
        .order_by()
        .values_list("component_id", "channel")
        .annotate(n=Count("id"))
        .values_list("component_id", "channel", "n")
    ):
        channels.setdefault(component_id, {})[channel] = n
    supporters = dict(
        Support.objects.filter(component_id__in=ids)
        .order_by()
        .values_list("component_id")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("component_id", "n")
    )
    return {pk: _figures(counts.get(pk, {}), channels.get(pk, {}), supporters.get(pk, 0)) for pk in ids}


def _figures(counts, channels, supporters):
    labels = {
        Proposal.Channel.ONLINE: _("Ideas filed online"),
        Proposal.Channel.PAPER: _("Ideas filed on a paper form"),
        Proposal.Channel.DESK: _("Ideas filed at a desk"),
        Proposal.Channel.MEETING: _("Ideas given at a meeting"),
    }
    return [
        (_("Published ideas"), counts.get("published", 0)),
        (_("Withdrawn ideas"), counts.get("withdrawn", 0)),
        *((label, channels[channel]) for channel, label in labels.items() if channels.get(channel)),
        (_("Supports"), counts.get("supports") or 0),
        (_("Participants who supported"), supporters),
    ]


def search(component):
    """(title, text, url) of the public ideas; the text adds the public custom fields."""
    proposals = list(selectors.public_proposals(component).only("id", "title", "body", "custom_values", "component_id"))
    results = []
    for proposal in proposals:
        proposal.component = component
        extra = " ".join(value for _field, value in selectors.public_custom_values(proposal))
        results.append((proposal.title, f"{proposal.body} {extra}".strip(), proposal.get_absolute_url()))
    return results


def seed(component):
    seeds.seed(component)


def participation(component):
    """Ideas filed (published, withdrawn or not, drafts left out) and supports."""
    ideas = (
        Proposal.objects.filter(component=component, published_at__isnull=False)
        .values_list("published_at", "channel", "author_id", "scope_id")
        .iterator(chunk_size=5000)
    )
    for published_at, channel, author_id, scope_id in ideas:
        yield statistics.Event(
            statistics.IDEA,
            STATISTICS_CHANNELS.get(channel, statistics.ONLINE),
            timezone.localdate(published_at),
            author_id,
            scope_id if author_id is None else None,
        )
    supports = (
        Support.objects.filter(component=component).values_list("created_at", "user_id").iterator(chunk_size=5000)
    )
    for created_at, user_id in supports:
        yield statistics.Event(statistics.SUPPORT, statistics.ONLINE, timezone.localdate(created_at), user_id)


def participant_ids(components):
    """Who filed (not a draft) or supported an idea in these components (the newsletters' audiences)."""
    return User.objects.filter(
        Q(
            pk__in=Proposal.objects.filter(component__in=components)
            .exclude(status=Proposal.Status.DRAFT)
            .values("author_id")
        )
        | Q(pk__in=Support.objects.filter(component__in=components).values("user_id"))
    ).values("pk")


def personal_data(person):
    """The person's ideas (drafts and withdrawn ones too) and supports ("download my data")."""
    yield (
        "ideas",
        Proposal.objects.filter(author=person)
        .order_by("pk")
        .values(
            "id",
            "component_id",
            "reference",
            "title",
            "body",
            "status",
            "channel",
            "address",
            "custom_values",
            "created_at",
            "published_at",
            "withdrawn_at",
        ),
    )
    yield (
        "supports",
        Support.objects.filter(user=person).order_by("pk").values("proposal_id", "component_id", "created_at"),
    )
