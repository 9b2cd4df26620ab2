from agora.demo.city import load_demo
from agora.spaces.models import Space
from agora.testing import factories


def test_search_finds_spaces_and_component_content_without_accents(client, db):
    load_demo(host="testserver")
    html = client.get("/search/", {"q": "reglement FAISABILITE"}).content.decode()
    assert "Règlement du budget participatif" in html  # a page of the pages component
    assert "Budget participatif 2026 › " in html  # shown with its space and component
    html = client.get("/search/", {"q": "berges"}).content.decode()
    assert "Consultation : réaménager les berges de la Loire" in html


def test_search_never_shows_private_unpublished_or_other_organizations_content(
    client, organization, other_organization
):
    factories.SpaceFactory(organization=organization, title={"fr": "Jardin secret"}, private=True)
    factories.SpaceFactory(organization=organization, title={"fr": "Jardin brouillon"}, published_at=None)
    factories.SpaceFactory(organization=other_organization, title={"fr": "Jardin voisin"})
    factories.SpaceFactory(organization=organization, title={"fr": "Jardin partagé"}, kind=Space.Kind.ASSEMBLY)
    response = client.get("/search/", {"q": "jardin"})
    html = response.content.decode()
    assert "Jardin partagé" in html
    assert "secret" not in html and "brouillon" not in html and "voisin" not in html
    assert response.context["count"] == 1


def test_search_escapes_the_query(client, organization):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
