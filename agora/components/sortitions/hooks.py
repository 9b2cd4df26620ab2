"""Hooks of the sortitions manifest: statistics and the demo seed. Nothing personal."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agora.components.sortitions import seeds
from agora.components.sortitions.models import Draw, Sortition, Volunteer


def stats(component):
    return [
        (_("Sortitions"), Sortition.objects.filter(component=component).count()),
        (_("Volunteers in the pools"), Volunteer.objects.filter(sortition__component=component).count()),
        (_("Panels drawn"), Draw.objects.filter(sortition__component=component, state=Draw.State.DRAWN).count()),
    ]


def seed(component):
    seeds.seed(component)


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


def personal_data(person):
    """The person's entries in the pools of sortitions ("download my data")."""
    yield (
        "volunteers",
        Volunteer.objects.filter(user=person)
        .order_by("pk")
        .values("sortition_id", "ref", "values", "household", "name", "contact"),
    )
