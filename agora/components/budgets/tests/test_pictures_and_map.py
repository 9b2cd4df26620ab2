"""Projects' images (stored without metadata, copies made at upload, shown
with srcset beside the ballot) and their places (geocoded when an officer
types an address, on a map beside the ballot with a list alternative)."""

import io
import json
import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agora.components.budgets.models import Project
from agora.components.budgets.tests.factories import ProjectFactory
from agora.core import images
from agora.core.tests.test_images import photo_bytes
from agora.testing import factories


def admin_url(component, name="index", **kwargs):
    return reverse(
        f"budgets_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def _form(**extra):
    return {
        "title__fr": "Skatepark",
        "title__en": "",
        "description__fr": "<p>Une aire de glisse</p>",
        "description__en": "",
        "image_alt__fr": "",
        "image_alt__en": "",
        "cost": "45000",
        "category": "",
        "scope": "",
        "address": "",
        "latitude": "",
        "longitude": "",
        "weight": "0",
        "document_title": "",
        **extra,
    }


def _photo(name="skate.jpg", size=(1600, 1200)):
    return SimpleUploadedFile(name, photo_bytes(size), content_type="image/jpeg")


def test_a_project_image_is_stored_without_metadata_with_its_copies(client, space_admin, component, budget, settings):
    client.force_login(space_admin)
    response = client.post(
        admin_url(component, "project_create", budget_id=budget.pk),
        _form(image=_photo(), image_alt__fr="La rampe du skatepark"),
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    project = Project.objects.get()
    stored = (settings.MEDIA_ROOT / project.image.name).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (1200, 1600) and not dict(image.getexif())
    assert b"rue des Lilas" not in stored
    assert project.image_variants["sizes"] == [[320, 427], [640, 853], [1200, 1600]]
    for name in images.variant_names(project.image.name, project.image_variants):
        with Image.open(settings.MEDIA_ROOT / name) as copy:
            assert copy.format == "WEBP" and not dict(copy.getexif())


def test_a_project_image_needs_its_description(client, space_admin, component, budget):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    response = client.post(admin_url(component, "project_create", budget_id=budget.pk), _form(image=_photo()))
    assert response.status_code == 200 and not Project.objects.exists()
    assert "Describe the image for people who cannot see it." in response.content.decode()


def test_a_replaced_image_and_its_copies_are_deleted_after_the_commit(
    client, space_admin, component, budget, settings, django_capture_on_commit_callbacks
):
    client.force_login(space_admin)
    client.post(
        admin_url(component, "project_create", budget_id=budget.pk), _form(image=_photo(), image_alt__fr="La rampe")
    )
    project = Project.objects.get()
    old = [project.image.name, *images.variant_names(project.image.name, project.image_variants)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            admin_url(component, "project_edit", budget_id=budget.pk, project_id=project.pk),
            _form(image=_photo("new.png", (300, 200)), image_alt__fr="Le bol"),
        )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.image.name not in old and project.image_variants["sizes"] == [[200, 300]]
    assert not any((settings.MEDIA_ROOT / name).exists() for name in old)
    assert (settings.MEDIA_ROOT / project.image.name).exists()


def test_the_budget_page_shows_the_projects_on_a_map_beside_the_ballot_with_a_list(client, participant, budget):
    located = ProjectFactory(
        budget=budget,
        title={"fr": "Skatepark", "en": "Skatepark"},
        address="Gare",
        latitude=Decimal("47.496800"),
        longitude=Decimal("1.109900"),
    )
    ProjectFactory(budget=budget, title={"fr": "Sans lieu", "en": "Nowhere"})
    client.force_login(participant)
    page = client.get(budget.get_absolute_url()).content.decode()
    assert 'class="budget-layout budget-layout-map"' in page and 'id="ballot"' in page
    aside = page[page.index('<aside class="budget-side"') : page.index("</aside>")]
    assert 'id="budget-map"' in aside and "hidden" in aside  # drawn by map.js, the list works without it
    points = json.loads(
        re.search(r'<script id="budget-map-points" type="application/json">(.*?)</script>', aside, re.S).group(1)
    )
    assert points == [
        {
            "id": located.pk,
            "number": 1,
            "title": "Skatepark",
            "address": "Gare",
            "lat": 47.4968,
            "lng": 1.1099,
            "url": located.get_absolute_url(),
            "cost": located.cost,
        }
    ]
    assert f'<a href="{located.get_absolute_url()}">Skatepark</a>' in aside and "Sans lieu" not in aside
    assert "leaflet/leaflet.js" in page and "budgets/map.js" in page


def test_no_located_project_no_map(client, participant, budget):
    ProjectFactory(budget=budget)
    client.force_login(participant)
    page = client.get(budget.get_absolute_url()).content.decode()
    assert "budget-map" not in page and "leaflet" not in page


def test_ballot_lines_and_cards_show_the_projects_images(client, participant, space_admin, component, budget):
    client.force_login(space_admin)
    client.post(
        admin_url(component, "project_create", budget_id=budget.pk),
        _form(image=_photo(), image_alt__fr="La rampe du skatepark"),
    )
    project = Project.objects.get()
    client.force_login(participant)
    page = client.get(budget.get_absolute_url()).content.decode()
    thumbnail = re.search(r'<img class="budget-project-picture"[^>]*>', page).group(0)
    url_320 = project.image.storage.url(images.variant_name(project.image.name, 320))
    assert f'src="{url_320}"' in thumbnail and 'sizes="8rem"' in thumbnail and "320w" in thumbnail
    assert 'width="320" height="427"' in thumbnail and 'loading="lazy"' in thumbnail
    assert 'alt="La rampe du skatepark"' in thumbnail
    detail = client.get(project.get_absolute_url()).content.decode()
    assert 'alt="La rampe du skatepark"' in detail and "1200w" in detail and 'loading="eager"' in detail


def test_an_officer_typing_an_address_gets_it_placed_or_told(client, space_admin, component, budget):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    response = client.post(
        admin_url(component, "project_create", budget_id=budget.pk), _form(address="12 rue des Lilas"), follow=True
    )
    project = Project.objects.get()
    assert Decimal("47.50") < project.latitude < Decimal("47.51")
    assert "not found on the map" not in response.content.decode()
    response = client.post(
        admin_url(component, "project_edit", budget_id=budget.pk, project_id=project.pk),
        _form(address="Rue de Nulle-Part"),
        follow=True,
    )
    project.refresh_from_db()
    assert project.address == "Rue de Nulle-Part" and project.latitude is None
    assert "“Rue de Nulle-Part” was not found on the map" in response.content.decode()
    form = client.get(admin_url(component, "project_edit", budget_id=budget.pk, project_id=project.pk))
    assert f'data-geocode-url="{reverse("geocode")}"' in form.content.decode()
    assert "agora/geocode.js" in form.content.decode()


def test_a_participant_cannot_set_a_projects_place(client, participant, component, budget):
    project = ProjectFactory(budget=budget)
    client.force_login(participant)
    response = client.post(
        admin_url(component, "project_edit", budget_id=budget.pk, project_id=project.pk),
        _form(address="12 rue des Lilas"),
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.address == "" and project.latitude is None


def test_the_factory_city_is_not_needed(organization):
    # The local geocoder answers for any organization (the whole gazetteer when none is its town).
    from agora.core import geocoding

    assert geocoding.geocode("12 rue des Lilas", factories.OrganizationFactory(name="Autre Ville"))


def test_a_project_without_an_image_shows_its_categorys_illustration_on_its_card(client, budget):
    from agora.taxonomy.api import illustration_path

    category = factories.CategoryFactory(organization=budget.component.space.organization)
    ProjectFactory(budget=budget, category=category)
    ProjectFactory(budget=budget)
    page = client.get(budget.get_absolute_url()).content.decode()  # anonymous: the cards, not the ballot
    cards = page[page.index('<ul class="cards">') :]
    assert cards.count("card-illustration") == 1 and illustration_path(category.pk) in cards
    assert re.search(r'<img class="card-picture card-illustration" src="[^"]+" alt="" aria-hidden="true"', cards)
