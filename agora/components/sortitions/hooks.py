"""Hooks of the sortitions manifest: statistics, the demo seed and the open data (panel
draws, drawings of ideas with their parties and drawn ideas). Nothing personal."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agora.components.sortitions import seeds, selectors
from agora.components.sortitions.models import Draw, IdeaDraw, Sortition, Volunteer


def stats(component):
    return [
        (_("Sortitions"), Sortition.objects.filter(component=component).count()),
        (_("Volunteers in the pools"), Volunteer.objects.filter(sortition__component=component).count()),
        (_("Panels drawn"), Draw.objects.filter(sortition__component=component, state=Draw.State.DRAWN).count()),
    ]


def seed(component):
    seeds.seed(component)
    seeds.seed_idea_draws_for(component)


def open_data_draws(component):
    """The draws of a public component, with the hashes that let anyone check them."""
    if not component.is_public:
        return
    space = component.space
    draws = (
        Draw.objects.filter(sortition__component=component, state=Draw.State.DRAWN)
        .select_related("sortition")
        .order_by("sortition_id", "created_at", "id")
    )
    for draw in draws:
        yield {
            "id": draw.pk,
            "sortition": draw.sortition.title,
            "kind": draw.kind,
            "algorithm": draw.algorithm,
            "version": draw.distribution.get("version", ""),
            "seats": len(draw.panel),
            "pool_sha256": draw.distribution.get("pool_sha256", ""),
            "distribution_sha256": draw.distribution_sha256,
            "seed_sha256": draw.record.get("seed_sha256", ""),
            "min_probability": min(draw.probabilities.values()) if draw.probabilities else None,
            "drawn_at": draw.drawn_at.isoformat() if draw.drawn_at else None,
            "bundle_url": reverse(
                "sortitions:bundle",
                kwargs={
                    "space_kind": space.url_prefix,
                    "space_slug": space.slug,
                    "component_id": component.pk,
                    "sortition_id": draw.sortition_id,
                },
            ),
        }


def idea_draw_urls(component, idea_draw_id: int) -> dict[str, str]:
    """The public page of a drawing of ideas and its verification bundle."""
    space = component.space
    kwargs = {
        "space_kind": space.url_prefix,
        "space_slug": space.slug,
        "component_id": component.pk,
        "idea_draw_id": idea_draw_id,
    }
    return {
        "url": reverse("sortitions:idea_draw", kwargs=kwargs),
        "bundle_url": reverse("sortitions:idea_bundle", kwargs=kwargs),
    }


def idea_draw_state(idea_draw: IdeaDraw) -> str:
    """`published` (candidates and commitments published, waiting for the seed) or `drawn`."""
    return "drawn" if idea_draw.drawn_at is not None else "published"


def party_rows(idea_draw: IdeaDraw) -> list[dict]:
    """The parties as the public page shows them: the commitment; once drawn, the revealed
    secret (as the bundle publishes it) or `dropped` for a party that did not reveal. Before
    the draw no secret leaves, even one already revealed (the page shows none either)."""
    drawn = idea_draw.drawn_at is not None
    return [
        {
            "id": party.pk,
            "party": party.name,
            "commitment": party.commitment,
            "secret": party.secret if drawn else None,
            "dropped": (party.secret is None) if drawn else None,
        }
        for party in idea_draw.parties.all()
    ]


def _public_idea_draws(component) -> list[IdeaDraw]:
    if not component.is_public:
        return []
    return list(selectors.public_idea_draws([component]).order_by("created_at", "id"))


def open_data_idea_draws(component):
    """The drawings of ideas of a public component: dates, state, hashes, public value, the
    drawn ideas' ids and the bundle's address (titles and parties: the two next tables)."""
    for idea_draw in _public_idea_draws(component):
        parties = party_rows(idea_draw)
        yield {
            "id": idea_draw.pk,
            "title": idea_draw.title,
            "ideas_component_id": idea_draw.source_id,
            "count": idea_draw.count,
            "candidates": len(idea_draw.candidates.get("candidates", [])),
            "state": idea_draw_state(idea_draw),
            "published_at": idea_draw.created_at.isoformat(),
            "drawn_at": idea_draw.drawn_at.isoformat() if idea_draw.drawn_at else None,
            "candidates_sha256": idea_draw.candidates_sha256,
            "public_value": idea_draw.public_value if idea_draw.drawn_at else None,
            "seed_sha256": idea_draw.record.get("seed_sha256") if idea_draw.drawn_at else None,
            "parties": len(parties),
            "dropped_parties": sum(1 for party in parties if party["dropped"]),
            "drawn": [int(identifier) for identifier in idea_draw.drawn if identifier.isdigit()],
            **idea_draw_urls(component, idea_draw.pk),
        }


def open_data_idea_draw_parties(component):
    """The parties of the commit–reveal of each drawing of ideas."""
    for idea_draw in _public_idea_draws(component):
        for party in party_rows(idea_draw):
            yield {"idea_draw_id": idea_draw.pk, **party}


def open_data_drawn_ideas(component):
    """The ideas drawn, with the title frozen at the drawing; an idea hidden by moderation
    since gives its number and `hidden`, never its title (as the public page)."""
    idea_draws = [idea_draw for idea_draw in _public_idea_draws(component) if idea_draw.drawn_at]
    rows = selectors.drawn_idea_rows(idea_draws)
    for idea_draw in idea_draws:
        for row in rows[idea_draw.pk]:
            yield {
                "idea_draw_id": idea_draw.pk,
                "idea_id": int(row["id"]) if row["id"].isdigit() else None,
                "title": "" if row["hidden"] else row["title"],
                "hidden": row["hidden"],
            }


def personal_data(person):
    """The person's entries in the pools of sortitions ("download my data")."""
    yield (
        "volunteers",
        Volunteer.objects.filter(user=person)
        .order_by("pk")
        .values("sortition_id", "ref", "values", "household", "name", "contact"),
    )
