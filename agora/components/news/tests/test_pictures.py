"""A post's image: stored upright without metadata, WebP copies made on
upload, shown with srcset on the cards and the post's page, never without its
description; replaced or deleted with its copies."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from agora.components.news import services
from agora.components.news.models import Post
from agora.core import images
from agora.core.tests.test_images import photo_bytes
from agora.core.translations import tr
from agora.permissions import PermissionDenied
from agora.testing import factories


@pytest.fixture
def component(process):
    return factories.ComponentFactory(space=process, manifest_name="news", name=tr("Actualités", "News"))


def _photo(name="marche.jpg", size=(1600, 1200)):
    return SimpleUploadedFile(name, photo_bytes(size), content_type="image/jpeg")


def _create(component, actor, **extra):
    return services.create_post(
        actor=actor,
        component=component,
        title=tr("Le marché", "The market"),
        body=tr("<p>Ouvert</p>"),
        published_at=timezone.now(),
        **extra,
    )


def test_an_image_is_stored_without_metadata_with_its_webp_copies(component, org_admin, settings):
    post = _create(component, org_admin, image=_photo(), image_alt=tr("Les étals du marché"))
    post.refresh_from_db()
    stored = (settings.MEDIA_ROOT / post.image.name).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (1200, 1600) and not dict(image.getexif())
    assert post.image_variants["sizes"] == [[320, 427], [640, 853], [1200, 1600]]
    for name in images.variant_names(post.image.name, post.image_variants):
        with Image.open(settings.MEDIA_ROOT / name) as copy:
            assert copy.format == "WEBP"


def test_an_image_needs_its_description_and_the_right(component, org_admin, participant):
    with pytest.raises(ValidationError) as refused:
        _create(component, org_admin, image=_photo(), image_alt={"fr": "", "en": ""})
    assert refused.value.code == "image_alt" and not Post.objects.exists()
    with pytest.raises(PermissionDenied):
        _create(component, participant, image=_photo(), image_alt=tr("Le marché"))


def test_replaced_and_deleted_images_go_with_their_copies(
    component, org_admin, settings, django_capture_on_commit_callbacks
):
    post = _create(component, org_admin, image=_photo(), image_alt=tr("Le marché"))
    old = [post.image.name, *images.variant_names(post.image.name, post.image_variants)]
    with django_capture_on_commit_callbacks(execute=True):
        post = services.update_post(
            actor=org_admin,
            post=post,
            title=post.title,
            body=post.body,
            official=True,
            image_alt=tr("La halle"),
            published_at=post.published_at,
            image=_photo("halle.png", (300, 200)),
        )
    assert post.image_variants["sizes"] == [[200, 300]]  # turned upright
    assert not any((settings.MEDIA_ROOT / name).exists() for name in old)
    kept = post.image_variants
    post = services.update_post(
        actor=org_admin,
        post=post,
        title=tr("Renommé"),
        body=post.body,
        official=True,
        image_alt=tr("La halle"),
        published_at=post.published_at,
    )
    assert post.image_variants == kept
    current = [post.image.name, *images.variant_names(post.image.name, post.image_variants)]
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_post(actor=org_admin, post=post)
    assert not any((settings.MEDIA_ROOT / name).exists() for name in current)


def test_cards_and_page_show_the_copies_with_srcset_without_extra_queries(client, component, org_admin):
    client.get(component.get_absolute_url())
    _create(component, org_admin)  # each write changes the page: both lists below are rendered anew
    with CaptureQueriesContext(connection) as without:
        client.get(component.get_absolute_url())
    post = _create(component, org_admin, image=_photo(), image_alt=tr("Les étals du marché"))
    with CaptureQueriesContext(connection) as with_images:
        listing = client.get(component.get_absolute_url()).content.decode()
    assert len(with_images) == len(without), [q["sql"][:120] for q in with_images.captured_queries]
    card = re.search(r'<img class="card-picture"[^>]*>', listing).group(0)
    assert 'alt="Les étals du marché"' in card and ".w320.webp 320w" in card and 'sizes="' in card
    assert 'width="320" height="427"' in card
    page = client.get(post.get_absolute_url()).content.decode()
    picture = re.search(r'<img class="picture"[^>]*>', page).group(0)
    assert 'alt="Les étals du marché"' in picture and ".w1200.webp 1200w" in picture
