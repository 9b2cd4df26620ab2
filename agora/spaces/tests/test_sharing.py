"""A space's page (a process, an assembly) is shared as the components'
resources are (issue 22, section 5): share links, Open Graph and Twitter card
metadata with the space's picture; nothing for a private space, even a
transparent one, nor for a space not published yet."""

import re

import pytest
from django.urls import reverse

from agora.core.translations import tr
from agora.spaces import services
from agora.spaces.models import Space
from agora.spaces.tests.test_hero_pictures import _photo, _values
from agora.testing import factories

pytestmark = pytest.mark.django_db


def og(page: str, prop: str) -> str | None:
    found = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', page)
    return found.group(1) if found else None


def test_a_public_process_page_has_its_metadata_picture_and_share_links(client, organization, org_admin):
    space = services.create_space(
        actor=org_admin,
        organization=organization,
        kind="process",
        values=_values(
            hero_image=_photo(),
            hero_image_alt={"fr": "Le parc en été"},
            short_description={"fr": "Proposez & votez pour vos projets."},
        ),
    )
    services.publish_space(actor=org_admin, space=space)
    page = client.get("/processes/bp/").content.decode()
    assert og(page, "og:title") == "Budget participatif"
    assert og(page, "og:url") == "http://testserver/processes/bp/"
    assert og(page, "og:description") == "Proposez &amp; votez pour vos projets."
    assert og(page, "og:image").startswith("http://testserver/") and og(page, "og:image").endswith(".webp")
    assert og(page, "og:image:alt") == "Le parc en été"
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver%2Fprocesses%2Fbp%2F" in page
    assert page.count('id="share-title"') == 1
    assert '<script src="https://' not in page


def test_an_assembly_page_is_shared_too(client, organization):
    factories.SpaceFactory(organization=organization, kind=Space.Kind.ASSEMBLY, slug="conseil", title=tr("Conseil"))
    page = client.get(reverse("spaces:assembly", args=["conseil"])).content.decode()
    assert og(page, "og:title") == "Conseil" and 'id="share-title"' in page


@pytest.mark.parametrize("fields", [{"private": True}, {"private": True, "transparent": True}])
def test_a_private_space_is_not_shared(client, organization, org_admin, fields):
    factories.SpaceFactory(organization=organization, slug="prive", title=tr("Espace privé"), **fields)
    client.force_login(org_admin)
    page = client.get("/processes/prive/").content.decode()
    assert "Espace privé" in page and og(page, "og:title") is None and 'id="share-title"' not in page


def test_a_space_not_published_yet_is_not_shared(client, organization, org_admin):
    factories.SpaceFactory(organization=organization, slug="bientot", title=tr("Bientôt"), published_at=None)
    client.force_login(org_admin)  # its administrators preview it
    response = client.get("/processes/bientot/")
    assert response.status_code == 200 and "Bientôt" in response.content.decode()
    assert og(response.content.decode(), "og:title") is None
