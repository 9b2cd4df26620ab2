"""A category's own image: uploaded by an officer in the back-office with its
description, checked by its content, stored without metadata with its WebP
copies, and shown on the cards of ideas, projects and results of the
category that have no picture of their own (instead of the built-in
illustration), without a query more on the ideas list."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from agora.components.accountability.tests.factories import ResultFactory
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.components.proposals.tests.factories import ProposalFactory, ProposalsComponentFactory
from agora.core import images
from agora.core.tests.test_images import photo_bytes
from agora.core.translations import tr
from agora.permissions import PermissionDenied
from agora.taxonomy import services
from agora.taxonomy.api import illustration_path
from agora.taxonomy.models import Category
from agora.testing import factories


def _photo(name="parc.jpg", size=(1600, 1200)):
    return SimpleUploadedFile(name, photo_bytes(size), content_type="image/jpeg")


def _form(**extra):
    return {
        "name__fr": "Nature en ville",
        "name__en": "Nature in town",
        "description__fr": "",
        "description__en": "",
        "parent": "",
        "weight": "0",
        "image_alt__fr": "",
        "image_alt__en": "",
        **extra,
    }


def _with_image(organization, actor, **extra):
    return services.create_category(
        actor=actor,
        organization=organization,
        name=tr("Nature en ville", "Nature in town"),
        image=_photo(),
        image_alt=tr("Des arbres dans un parc", "Trees in a park"),
        **extra,
    )


def test_the_image_is_stored_without_metadata_with_its_webp_copies(organization, org_admin, settings):
    category = _with_image(organization, org_admin)
    category.refresh_from_db()
    assert category.image.name.startswith("categories/") and "parc" not in category.image.name
    with Image.open(io.BytesIO((settings.MEDIA_ROOT / category.image.name).read_bytes())) as image:
        assert image.size == (1200, 1600) and not dict(image.getexif())
    assert category.image_variants["sizes"] == [[320, 427], [640, 853], [1200, 1600]]
    for name in images.variant_names(category.image.name, category.image_variants):
        with Image.open(settings.MEDIA_ROOT / name) as copy:
            assert copy.format == "WEBP"


def test_the_image_needs_its_description_a_real_picture_and_the_right(organization, org_admin, participant):
    with pytest.raises(ValidationError) as refused:
        services.create_category(
            actor=org_admin, organization=organization, name=tr("Sport"), image=_photo(), image_alt={"fr": ""}
        )
    assert refused.value.code == "image_alt"
    fake = SimpleUploadedFile("parc.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        services.create_category(
            actor=org_admin, organization=organization, name=tr("Sport"), image=fake, image_alt=tr("Un parc")
        )
    assert refused.value.code == "not_an_image"
    with pytest.raises(PermissionDenied):
        _with_image(organization, participant)
    category = factories.CategoryFactory(organization=organization)
    with pytest.raises(PermissionDenied):
        services.update_category(
            actor=participant, category=category, name=tr("Sport"), image=_photo(), image_alt=tr("Un parc")
        )
    assert not Category.objects.exclude(image="").exists()


def test_replaced_and_removed_images_go_with_their_copies(
    organization, org_admin, settings, django_capture_on_commit_callbacks
):
    category = _with_image(organization, org_admin)
    old = [category.image.name, *images.variant_names(category.image.name, category.image_variants)]
    with django_capture_on_commit_callbacks(execute=True):
        category = services.update_category(
            actor=org_admin, category=category, name=category.name, image=_photo("kiosque.png", (300, 200))
        )
    assert category.image.name.endswith(".jpg") and category.image_alt["fr"] == "Des arbres dans un parc"
    assert not any((settings.MEDIA_ROOT / name).exists() for name in old)
    kept = category.image.name
    with django_capture_on_commit_callbacks(execute=True):
        category = services.update_category(actor=org_admin, category=category, name=category.name, image=False)
    category.refresh_from_db()
    assert not category.image and category.image_variants == {}
    assert not (settings.MEDIA_ROOT / kept).exists()


def test_an_officer_uploads_the_image_in_the_back_office(client, organization, org_admin):
    client.force_login(org_admin)
    url = reverse("backoffice:category_create")
    assert 'enctype="multipart/form-data"' in client.get(url).content.decode()
    response = client.post(url, _form(image=_photo()))
    assert response.status_code == 200 and "image_alt__fr" in response.context["form"].errors
    fake = SimpleUploadedFile("parc.jpg", b"GIF89a but not really", content_type="image/jpeg")
    response = client.post(url, _form(image=fake, image_alt__fr="Un parc"))
    assert response.status_code == 200 and "image" in response.context["form"].errors
    assert not Category.objects.exists()
    response = client.post(url, _form(image=_photo(), image_alt__fr="Des arbres dans un parc"))
    assert response.status_code == 302
    category = Category.objects.get()
    assert category.image and category.image_alt["fr"] == "Des arbres dans un parc"
    # Saved again without a file: the image stays.
    response = client.post(
        reverse("backoffice:category_edit", args=[category.pk]),
        _form(image_alt__fr="Des arbres dans un parc", weight="3"),
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.image and category.weight == 3


def test_a_participant_cannot_upload_a_category_image(client, organization, participant):
    category = factories.CategoryFactory(organization=organization)
    client.force_login(participant)
    response = client.post(
        reverse("backoffice:category_edit", args=[category.pk]),
        _form(image=_photo(), image_alt__fr="Un parc"),
    )
    assert response.status_code in (302, 403)
    category.refresh_from_db()
    assert not category.image


def test_cards_without_a_picture_show_the_categorys_image(client, organization, org_admin, process):
    with_image = _with_image(organization, org_admin)
    plain = factories.CategoryFactory(organization=organization)
    ideas = ProposalsComponentFactory(space=process)
    ProposalFactory(component=ideas, category=with_image, title="Un verger partagé")
    ProposalFactory(component=ideas, category=plain, title="Des bancs")
    page = client.get(ideas.get_absolute_url()).content.decode()
    assert 'alt="Des arbres dans un parc"' in page and with_image.image.name[:-4] in page
    assert 'srcset="' in page and ".w320.webp 320w" in page
    assert illustration_path(plain.pk) in page and illustration_path(with_image.pk) not in page

    budgets = factories.ComponentFactory(space=process, manifest_name="budgets", settings={})
    budget = BudgetFactory(component=budgets, envelope=100_000)
    ProjectFactory(budget=budget, category=with_image, cost=1000)
    page = client.get(budgets.get_absolute_url() + f"{budget.pk}/", follow=True).content.decode()
    assert 'alt="Des arbres dans un parc"' in page

    results = factories.ComponentFactory(space=process, manifest_name="accountability")
    ResultFactory(component=results, category=with_image)
    ResultFactory(component=results, category=plain)
    page = client.get(results.get_absolute_url()).content.decode()
    assert 'alt="Des arbres dans un parc"' in page and illustration_path(plain.pk) in page


def test_the_categorys_image_adds_no_query_to_the_ideas_list(client, organization, org_admin, process):
    ideas = ProposalsComponentFactory(space=process)
    plain = factories.CategoryFactory(organization=organization)
    for number in range(3):
        ProposalFactory(component=ideas, category=plain, title=f"Idée {number}")
    client.get(ideas.get_absolute_url())
    with CaptureQueriesContext(connection) as before:
        client.get(ideas.get_absolute_url())
    with_image = _with_image(organization, org_admin)
    for number in range(3):
        ProposalFactory(component=ideas, category=with_image, title=f"Autre idée {number}")
    client.get(ideas.get_absolute_url())
    with CaptureQueriesContext(connection) as after:
        page = client.get(ideas.get_absolute_url()).content.decode()
    assert page.count('alt="Des arbres dans un parc"') == 3
    assert len(after) == len(before)
