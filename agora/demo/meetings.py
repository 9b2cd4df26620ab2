"""The demo city's meetings and ideas: ideas residents gave at a meeting held
(filed in the space's ideas, channel "at a meeting"), and ideas an upcoming
meeting will discuss (its linked ideas). Each idea's page names its meeting."""

from django.utils import timezone

from agora.components.meetings import services as meetings
from agora.components.meetings.models import Meeting
from agora.components.proposals import api as proposals_api

GIVEN = [
    (
        "Mme Roux",
        "Des bancs à l'ombre sur le mail",
        "Les personnes âgées qui vont au marché n'ont nulle part où s'asseoir entre la place et l'arrêt de bus.",
        "Cadre de vie",
    ),
    (
        "M. Diallo",
        "Un abri pour les vélos devant la médiathèque",
        "Les arceaux sont sous la pluie et souvent pris : un abri couvert de vingt places.",
        "Mobilités douces",
    ),
]


def seed_meeting_ideas(organization, *, actor) -> int:
    """Two ideas given at the first meeting held of each space that has an ideas
    component, and two ideas of the space linked to its next meeting."""
    done = 0
    now = timezone.now()
    for space_id in (
        Meeting.objects.filter(component__space__organization=organization)
        .order_by("component__space_id")
        .values_list("component__space_id", flat=True)
        .distinct()
    ):
        space_meetings = Meeting.objects.filter(component__space_id=space_id, cancelled_at__isnull=True).select_related(
            "component__space__organization"
        )
        ideas_component = proposals_api.ideas_components(space=space_meetings[0].component.space).first()
        if ideas_component is None:
            continue
        held = space_meetings.filter(closed_at__isnull=False).order_by("starts_at").first()
        if held is not None:
            for author_name, title, body, category in GIVEN:
                idea = meetings.file_idea(
                    actor=actor,
                    meeting=held,
                    component=ideas_component,
                    author_name=author_name,
                    title=title,
                    body=body,
                )
                # Filed as the officer would after the meeting: under the category it names.
                idea.category = organization.categories.get(name__fr=category)
                idea.save(update_fields=["category"])
                done += 1
        upcoming = space_meetings.filter(starts_at__gt=now).order_by("starts_at").first()
        linked = list(proposals_api.public_ideas().filter(component=ideas_component).order_by("id")[:2])
        if upcoming is not None and linked:
            upcoming.proposals.add(*linked)
            done += len(linked)
    return done
