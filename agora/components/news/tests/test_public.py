import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agora.components.news.models import Post
from agora.components.news.tests.factories import PostFactory
from agora.components.registry import registry
from agora.core.translations import tr
from agora.spaces.models import Role, Space
from agora.testing import factories


@pytest.fixture
def component(process):
    return factories.ComponentFactory(space=process, manifest_name="news", name=tr("Actualités", "News"))


def days(n):
    return timezone.now() + timedelta(days=n)


def test_index_lists_published_posts_newest_first_and_hides_future_and_drafts(client, component):
    PostFactory(component=component, title=tr("Ancienne"), published_at=days(-5))
    PostFactory(component=component, title=tr("Récente"), published_at=days(-1))
    PostFactory(component=component, title=tr("Programmée"), published_at=days(2))
    draft = PostFactory(component=component, title=tr("Brouillon"), published_at=None)
    future = Post.objects.get(title__fr="Programmée")
    html = client.get(component.get_absolute_url()).content.decode()
    assert html.index("Récente") < html.index("Ancienne")
    assert "Programmée" not in html and "Brouillon" not in html
    assert client.get(future.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_detail_shows_the_post_signed_by_the_organization_or_its_author(client, component, organization):
    author = factories.UserFactory(name="Jeanne Martin", email="jeanne@example.org")
    official = PostFactory(component=component, author=author, official=True, title=tr("Officielle"))
    signed = PostFactory(component=component, author=author, official=False, title=tr("Signée"))
    html = client.get(official.get_absolute_url()).content.decode()
    assert "<h1>Officielle</h1>" in html and organization.name in html and "Jeanne Martin" not in html
    html = client.get(signed.get_absolute_url()).content.decode()
    assert "Jeanne Martin" in html
    assert "jeanne@example.org" not in html


def test_pagination_follows_the_setting(client, component):
    component.settings = {"posts_per_page": 2}
    component.save()
    for n in range(5):
        PostFactory(component=component, title=tr(f"Nouvelle {n}"), published_at=days(-n))
    html = client.get(component.get_absolute_url()).content.decode()
    assert "Nouvelle 0" in html and "Nouvelle 1" in html and "Nouvelle 2" not in html
    assert "Page 1 of 3" in html or "Page 1 sur 3" in html
    html = client.get(component.get_absolute_url() + "?page=3").content.decode()
    assert "Nouvelle 4" in html and "Nouvelle 3" not in html
    # Nonsense page numbers never fail.
    assert client.get(component.get_absolute_url() + "?page=abc").status_code == 200
    assert client.get(component.get_absolute_url() + "?page=999").status_code == 200


def test_a_broken_setting_falls_back_to_the_default(client, component):
    component.settings = {"posts_per_page": "lots"}
    component.save()
    for n in range(11):  # the default is 10 a page
        PostFactory(component=component, title=tr(f"Nouvelle {n}"), published_at=days(-n))
    response = client.get(component.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nouvelle 9" in html and "Nouvelle 10" not in html
    assert "Page 1 of 2" in html or "Page 1 sur 2" in html


def test_unpublished_component_only_for_the_space_staff(client, component, participant):
    component.published_at = None
    component.save()
    PostFactory(component=component, title=tr("Interne"))
    draft = PostFactory(component=component, title=tr("Brouillon"), published_at=None)
    assert client.get(component.get_absolute_url()).status_code == 404
    client.force_login(participant)
    assert client.get(component.get_absolute_url()).status_code == 404
    collaborator = factories.RoleFactory(space=component.space, name=Role.Name.COLLABORATOR).user
    factories.member_of(collaborator, component.space.organization)
    client.force_login(collaborator)
    client.cookies["agora_language"] = "en"
    html = client.get(component.get_absolute_url()).content.decode()
    assert "Interne" in html and "Brouillon" in html
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "not public yet" in response.content.decode()


def test_component_of_another_organization_is_not_reachable(client, other_organization):
    other = factories.ComponentFactory(
        space=factories.SpaceFactory(organization=other_organization), manifest_name="news"
    )
    post = PostFactory(component=other)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(post.get_absolute_url()).status_code == 404
    assert client.get(post.get_absolute_url(), HTTP_HOST="other.example.org").status_code == 200


def test_post_of_another_component_is_not_reachable_through_this_one(client, component):
    elsewhere = PostFactory(component=factories.ComponentFactory(space=component.space, manifest_name="news"))
    assert client.get(component.get_absolute_url() + f"{elsewhere.pk}/").status_code == 404


def test_rich_text_is_sanitized(client, component, org_admin):
    from agora.components.news.services import create_post

    post = create_post(
        actor=org_admin,
        component=component,
        title=tr("<b>Titre</b>"),
        body=tr('<p>ok</p><script>alert(1)</script><img src=x onerror=alert(2)><p onclick="alert(3)">x</p>'),
        published_at=days(-1),
    )
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<p>ok</p>" in html
    for payload in ("alert(1)", "onerror", "onclick", "<script>alert"):
        assert payload not in html
    assert "&lt;b&gt;Titre&lt;/b&gt;" in html  # titles are plain text, escaped


# --- home block ------------------------------------------------------------


def home_block(rf, organization, user=None):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.organization = organization
    request.user = user or AnonymousUser()
    from agora.core.models import HomeBlock

    kind = registry["news"].home_blocks[0]
    return kind.renderer()(request, HomeBlock(organization=organization, kind=kind.name, settings={"count": 3}), False)


def test_home_block_shows_the_three_latest_public_posts(rf, organization, other_organization, component):
    for n in range(4):
        PostFactory(component=component, title=tr(f"Publique {n}"), published_at=days(-n - 1))
    PostFactory(component=component, title=tr("Future"), published_at=days(1))
    PostFactory(component=component, title=tr("Brouillon"), published_at=None)
    hidden = [
        factories.ComponentFactory(space=component.space, manifest_name="news", published_at=None),
        factories.ComponentFactory(
            space=factories.SpaceFactory(organization=organization, published_at=None), manifest_name="news"
        ),
        factories.ComponentFactory(
            space=factories.SpaceFactory(organization=organization, private=True), manifest_name="news"
        ),
        factories.ComponentFactory(space=factories.SpaceFactory(organization=other_organization), manifest_name="news"),
    ]
    for c in hidden:
        PostFactory(component=c, title=tr("Cachée"), published_at=timezone.now())
    transparent = factories.ComponentFactory(
        space=factories.SpaceFactory(
            organization=organization, kind=Space.Kind.ASSEMBLY, private=True, transparent=True
        ),
        manifest_name="news",
    )
    PostFactory(component=transparent, title=tr("Transparente"), published_at=days(-0.5))

    with CaptureQueriesContext(connection) as queries:
        html = home_block(rf, organization)
    assert len(queries) <= 2
    assert "Transparente" in html and "Publique 0" in html and "Publique 1" in html
    assert "Publique 2" not in html and "Publique 3" not in html
    for absent in ("Future", "Brouillon", "Cachée"):
        assert absent not in html
    assert html.count("<h3>") == 3


def test_home_block_is_empty_without_public_news(rf, organization, component):
    PostFactory(component=component, published_at=None)
    assert home_block(rf, organization) == ""


def test_home_page_shows_the_latest_news(client, component):
    PostFactory(component=component, title=tr("Sur l'accueil"))
    html = client.get("/").content.decode()
    assert "Sur l&#x27;accueil" in html or "Sur l'accueil" in html


# --- hooks -----------------------------------------------------------------


def test_export_search_and_stats_contain_only_public_posts(component):
    author = factories.UserFactory(email="secret@example.org", name="Agent Secret")
    PostFactory(component=component, title=tr("Publiée"), author=author, official=True)
    PostFactory(component=component, title=tr("Signée"), author=author, official=False)
    PostFactory(component=component, title=tr("Future"), published_at=days(3))
    PostFactory(component=component, title=tr("Brouillon"), published_at=None)
    manifest = registry["news"]
    response = manifest.hook(manifest.exports["json"])(component)
    content = response.content.decode()
    data = json.loads(content)
    assert sorted(p["title"]["fr"] for p in data["posts"]) == ["Publiée", "Signée"]
    assert "secret@example.org" not in content and "Future" not in content and "Brouillon" not in content
    assert {p["signed_by"] for p in data["posts"]} == {component.space.organization.name, "Agent Secret"}
    assert {title for title, _text, _url in manifest.hook(manifest.search)(component)} == {"Publiée", "Signée"}
    assert manifest.hook(manifest.stats)(component)[0][1] == 2

    component.space.private = True
    component.space.save()
    assert json.loads(manifest.hook(manifest.exports["json"])(component).content)["posts"] == []
    assert list(manifest.hook(manifest.search)(component)) == []


@pytest.mark.parametrize("kind", [Space.Kind.PROCESS, Space.Kind.ASSEMBLY])
def test_seed_creates_three_published_posts(organization, kind):
    component = factories.ComponentFactory(
        space=factories.SpaceFactory(organization=organization, kind=kind), manifest_name="news"
    )
    registry["news"].hook(registry["news"].seed)(component)
    posts = Post.objects.filter(component=component)
    assert posts.count() == 3
    assert all(p.is_published and p.title.get("fr") and p.title.get("en") for p in posts)


def test_home_block_shows_a_post_copied_into_several_spaces_once(rf, organization, component):
    """The same announcement published in two processes used to take two of
    the three places of the home page's news."""
    other = factories.ComponentFactory(space=factories.SpaceFactory(organization=organization), manifest_name="news")
    for target in (component, other):
        PostFactory(component=target, title=tr("Des permanences pour vous accompagner"), published_at=days(-1))
    PostFactory(component=component, title=tr("Réunion publique"), published_at=days(-2))
    PostFactory(component=other, title=tr("Compte rendu"), published_at=days(-3))
    html = home_block(rf, organization)
    assert html.count("Des permanences pour vous accompagner") == 1
    assert "Réunion publique" in html and "Compte rendu" in html and html.count("<h3>") == 3


def test_home_block_gives_each_space_its_latest_post_before_a_second_of_a_busy_space(rf, organization, component):
    quiet = factories.ComponentFactory(space=factories.SpaceFactory(organization=organization), manifest_name="news")
    for n in range(4):
        PostFactory(component=component, title=tr(f"Fréquente {n}"), published_at=days(-n - 1))
    PostFactory(component=quiet, title=tr("Calme"), published_at=days(-10))
    html = home_block(rf, organization)
    assert "Calme" in html and "Fréquente 0" in html and "Fréquente 1" in html and "Fréquente 2" not in html
    assert html.index("Fréquente 0") < html.index("Fréquente 1") < html.index("Calme")  # newest first
