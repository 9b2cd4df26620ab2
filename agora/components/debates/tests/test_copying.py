"""The next edition of a space starts with the organization's official
debates (their questions), never with what people wrote."""

from datetime import timedelta

from django.utils import timezone

from agora.comments.models import Comment
from agora.components.copying import copy_components
from agora.components.debates import services
from agora.components.debates.models import Debate, DebateLike, DebateUpdate
from agora.core.translations import tr
from agora.taxonomy.models import Category, Scope
from agora.testing import factories


def test_official_debates_come_back_fresh_and_participants_content_stays(
    component, debate, participant, org_admin, organization
):
    component.settings = {"participant_debates": True}
    component.save()
    category = Category.objects.create(organization=organization, name=tr("Mobilités"))
    centre = Scope.objects.create(organization=organization, name=tr("Centre"), code="C")
    now = timezone.now()
    dated = services.create_official_debate(
        actor=org_admin,
        component=component,
        title=tr("Stationnement des vélos"),
        description=tr("<p>Où ?</p>"),
        instructions=tr("<p>Un argument par commentaire.</p>"),
        category=category,
        scope=centre,
        starts_at=now - timedelta(days=3),
        ends_at=now + timedelta(days=3),
    )
    services.add_information(actor=org_admin, debate=dated, body=tr("<p>200 arceaux.</p>"))
    services.like(actor=participant, debate=dated)
    services.close_debate(actor=org_admin, debate=debate, conclusions=tr("<p>On ferme le samedi.</p>"))
    services.create_debate(
        actor=participant, component=component, title="Une vélo-école ?", description="Pour les adultes, le samedi."
    )
    next_edition = factories.SpaceFactory(organization=organization)

    ids = copy_components(component.space, next_edition, {})
    copied = Debate.objects.filter(component_id=ids[component.pk]).order_by("id")
    assert [d.title for d in copied] == [debate.title, dated.title]
    fresh = copied.get(title=dated.title)
    assert fresh.official and fresh.instructions == dated.instructions and fresh.description == dated.description
    assert (fresh.category, fresh.scope) == (category, centre)
    # Open and undated, nothing of the earlier edition's life.
    assert all(d.starts_at is None and d.ends_at is None and d.closed_at is None and not d.conclusions for d in copied)
    assert not DebateUpdate.objects.filter(debate__in=copied).exists()
    assert not DebateLike.objects.filter(debate__in=copied).exists()
    assert not Comment.objects.filter(object_id__in=[d.pk for d in copied], component_id=ids[component.pk]).exists()
    assert Debate.objects.filter(component=component).count() == 3  # the source keeps everything
