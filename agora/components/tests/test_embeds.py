"""The embeddable cards of initiatives, follow-up results, budgets' projects,
surveys, citizen votes and opinion maps (the manifests' `embed` hooks): the card
of what any visitor sees, framed by other sites, offered on the resource's page;
nothing of a draft, a hidden resource, an unpublished component or a private
space (issue 22, section 5)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agora.components.registry import registry
from agora.core.translations import translated
from agora.moderation.services import hide_content
from agora.testing import factories

pytestmark = pytest.mark.django_db


def _seeded(space, name, *, published=True):
    manifest = registry[name]
    component = factories.ComponentFactory(
        space=space,
        manifest_name=name,
        settings=manifest.default_settings(),
        published_at=timezone.now() if published else None,
    )
    manifest.hook(manifest.seed)(component)
    return component


def _public_resource(component):
    """(resource id, its page, its title) of a public resource the seed made; None for a component-level card."""
    name = component.manifest_name
    if name == "initiatives":
        from agora.components.initiatives.selectors import public_initiatives

        found = public_initiatives(component)[0]
        return found.pk, found.get_absolute_url(), found.title
    if name == "accountability":
        from agora.components.accountability.selectors import public_results

        found = public_results(component)[0]
    elif name == "budgets":
        from agora.components.budgets.selectors import public_projects

        found = public_projects(component)[0]
        found.budget.component = component
    else:
        from agora.components.votations.selectors import public_votations

        found = public_votations(component)[0]
    return found.pk, found.get_absolute_url(), translated(found.title)


def _embed(component, resource_id=None):
    if resource_id is None:
        return reverse(f"{component.manifest_name}:embed_component", kwargs=component.url_kwargs())
    return reverse(f"{component.manifest_name}:embed", kwargs={**component.url_kwargs(), "resource_id": resource_id})


@pytest.fixture
def space(organization):
    space = factories.SpaceFactory(organization=organization)
    factories.PhaseFactory(space=space, is_active=True)
    return space


@pytest.mark.parametrize("name", ["initiatives", "accountability", "budgets", "votations"])
def test_a_public_resource_has_its_card_and_others_have_none(client, organization, space, name):
    component = _seeded(space, name)
    resource_id, page_url, title = _public_resource(component)
    response = client.get(_embed(component, resource_id))
    assert response.status_code == 200
    body = response.content.decode()
    assert "X-Frame-Options" not in response and "frame-ancestors *" in response["Content-Security-Policy"]
    assert title.replace("'", "&#x27;") in body and f'href="http://testserver{page_url}"' in body
    assert 'class="site-header"' not in body
    # The resource's page offers the card's code (the share panel).
    page = client.get(page_url).content.decode().replace("&quot;", '"')
    assert f'src="http://testserver{_embed(component, resource_id)}"' in page
    # Nothing for an id that is none of the component's, nor for the component's root.
    assert client.get(_embed(component, 999999)).status_code == 404
    assert client.get(_embed(component)).status_code == 404
    # Nothing of an unpublished component, nor of a private space, whoever asks.
    closed = _seeded(space, name, published=False)
    private = _seeded(factories.SpaceFactory(organization=organization, private=True), name)
    assert client.get(_embed(closed, _public_resource_id(closed))).status_code == 404
    assert client.get(_embed(private, _public_resource_id(private))).status_code in (302, 404)  # to log in


def _public_resource_id(component):
    """An id of the component's resources a visitor would see if the component were public."""
    component.published_at, space_private = timezone.now(), component.space.private
    component.space.private = False
    try:
        return _public_resource(component)[0]
    finally:
        component.space.private = space_private


@pytest.mark.parametrize("name", ["surveys", "opinions"])
def test_a_survey_or_an_opinion_map_is_its_own_card(client, organization, space, name):
    component = _seeded(space, name)
    response = client.get(_embed(component))
    assert response.status_code == 200
    assert f'href="http://testserver{component.get_absolute_url()}"' in response.content.decode()
    page = client.get(component.get_absolute_url()).content.decode().replace("&quot;", '"')
    assert f'src="http://testserver{_embed(component)}"' in page
    assert client.get(_embed(component, 1)).status_code == 404  # no resource cards
    closed = _seeded(space, name, published=False)
    private = _seeded(factories.SpaceFactory(organization=organization, private=True), name)
    assert client.get(_embed(closed)).status_code == 404
    assert client.get(_embed(private)).status_code in (302, 404)  # to log in


def test_draft_refused_and_hidden_initiatives_have_no_card(client, space, org_admin):
    from agora.components.initiatives.models import Initiative

    component = _seeded(space, "initiatives")
    public = Initiative.objects.filter(component=component, state=Initiative.State.COLLECTING).first()
    assert public is not None
    assert client.get(_embed(component, public.pk)).status_code == 200
    for state in (Initiative.State.DRAFT, Initiative.State.COMMITTEE, Initiative.State.SUBMITTED):
        Initiative.objects.filter(pk=public.pk).update(state=state)
        assert client.get(_embed(component, public.pk)).status_code == 404, state
    Initiative.objects.filter(pk=public.pk).update(state=Initiative.State.COLLECTING)
    hide_content(actor=org_admin, obj=public)
    assert client.get(_embed(component, public.pk)).status_code == 404
    client.force_login(org_admin)  # a moderator, who may read it, gets no card of it either
    assert client.get(_embed(component, public.pk)).status_code == 404


def test_a_vote_in_preparation_has_no_card_nor_share_links(client, space, org_admin):
    from agora.components.votations.models import Votation

    component = _seeded(space, "votations")
    draft = Votation.objects.create(component=component, title={"fr": "Vote en préparation"})
    assert client.get(_embed(component, draft.pk)).status_code == 404
    client.force_login(org_admin)
    assert client.get(_embed(component, draft.pk)).status_code == 404
    draft.component = component
    page = client.get(draft.get_absolute_url())
    assert page.status_code == 200 and 'id="share-title"' not in page.content.decode()


def test_a_project_of_another_component_has_no_card(client, space):
    budgets = _seeded(space, "budgets")
    other = _seeded(space, "budgets")
    project_id = _public_resource(other)[0]
    assert client.get(_embed(budgets, project_id)).status_code == 404
    assert client.get(_embed(other, project_id)).status_code == 200
