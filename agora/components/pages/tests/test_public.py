import pytest

from agora.components.pages import services
from agora.components.pages.tests.factories import PageFactory
from agora.core.translations import tr
from agora.spaces.models import Role
from agora.testing import factories


@pytest.fixture
def component(process):
    return factories.ComponentFactory(space=process, manifest_name="pages", name=tr("Règlement", "Rules"))


def test_index_lists_the_pages_in_order(client, component):
    PageFactory(component=component, title=tr("Deuxième"), weight=2)
    PageFactory(component=component, title=tr("Première"), weight=1)
    response = client.get(component.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Première") < html.index("Deuxième")
    assert html.count("<h1") == 1


def test_index_with_a_single_page_shows_it(client, component):
    PageFactory(component=component, title=tr("Foire aux questions"), body=tr("<p>Réponse unique</p>"))
    html = client.get(component.get_absolute_url()).content.decode()
    assert "<h1>Foire aux questions</h1>" in html
    assert "Réponse unique" in html


def test_detail_in_english_and_unknown_slug(client, component):
    page = PageFactory(component=component, title=tr("Règles", "Rules"), body=tr("<p>Texte</p>", "<p>Text</p>"))
    PageFactory(component=component)
    client.cookies["agora_language"] = "en"
    html = client.get(page.get_absolute_url()).content.decode()
    assert "<h1>Rules</h1>" in html and "<p>Text</p>" in html
    assert client.get(component.get_absolute_url() + "nope/").status_code == 404


def test_table_of_contents_follows_the_setting(client, component):
    page = PageFactory(component=component, body=tr("<h2>Qui</h2><p>a</p><h2>Quand &amp; où</h2><p>b</p>"))
    PageFactory(component=component)
    html = client.get(page.get_absolute_url()).content.decode()
    assert 'href="#section-1"' not in html
    component.settings = {"show_table_of_contents": True}
    component.save()
    html = client.get(page.get_absolute_url()).content.decode()
    assert '<a href="#section-1">Qui</a>' in html
    assert '<a href="#section-2">Quand &amp; où</a>' in html
    assert '<h2 id="section-1">Qui</h2>' in html


def test_unpublished_component_is_hidden_but_previewed_by_a_collaborator(client, component):
    component.published_at = None
    component.save()
    PageFactory(component=component, title=tr("Brouillon"))
    assert client.get(component.get_absolute_url()).status_code == 404
    participant = factories.UserFactory()
    factories.member_of(participant, component.space.organization)
    client.force_login(participant)
    assert client.get(component.get_absolute_url()).status_code == 404
    collaborator = factories.RoleFactory(space=component.space, name=Role.Name.COLLABORATOR).user
    factories.member_of(collaborator, component.space.organization)
    client.force_login(collaborator)
    response = client.get(component.get_absolute_url())
    assert response.status_code == 200 and "Brouillon" in response.content.decode()


def test_unpublished_space_hides_its_pages(client, component):
    PageFactory(component=component)
    component.space.published_at = None
    component.space.save()
    assert client.get(component.get_absolute_url()).status_code == 404


def test_component_of_another_organization_is_not_reachable(client, organization, other_organization):
    other_space = factories.SpaceFactory(organization=other_organization, slug="budget")
    other = factories.ComponentFactory(space=other_space, manifest_name="pages")
    page = PageFactory(component=other, title=tr("Secret de B"))
    # Same path as on B's host, asked on A's host.
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(page.get_absolute_url()).status_code == 404
    # An A space with the same slug does not let B's component through.
    factories.SpaceFactory(organization=organization, slug="budget")
    assert client.get(page.get_absolute_url()).status_code == 404
    assert client.get(page.get_absolute_url(), HTTP_HOST="other.example.org").status_code == 200


def test_script_and_event_handlers_never_reach_the_page(client, component, org_admin):
    page = services.create_page(
        actor=org_admin,
        component=component,
        title=tr("XSS"),
        body=tr('<p>ok</p><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'),
    )
    PageFactory(component=component)
    html = client.get(page.get_absolute_url()).content.decode()
    assert "<p>ok</p>" in html
    assert "alert(1)" not in html and "onerror" not in html and "javascript:" not in html


def test_pages_are_listed_in_the_space_tabs(client, component):
    other = factories.ComponentFactory(space=component.space, manifest_name="pages", name=tr("FAQ"), weight=5)
    html = client.get(component.get_absolute_url()).content.decode()
    assert other.get_absolute_url() in html
    assert 'aria-current="page">Règlement' in html
