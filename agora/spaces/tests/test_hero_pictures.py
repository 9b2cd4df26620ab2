"""A space's hero image: stored upright without metadata, WebP copies made on
upload, shown with srcset on the space's card and page, never without its
description."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agora.core import images
from agora.core.tests.test_images import photo_bytes
from agora.permissions import PermissionDenied
from agora.spaces import services
from agora.spaces.models import Space


def _photo(name="parc.jpg", size=(1600, 1200)):
    return SimpleUploadedFile(name, photo_bytes(size), content_type="image/jpeg")


def _values(**extra):
    return {"title": {"fr": "Budget participatif"}, "slug": "bp", **extra}


def test_a_hero_image_gets_its_webp_copies(organization, org_admin, settings):
    space = services.create_space(
        actor=org_admin,
        organization=organization,
        kind="process",
        values=_values(hero_image=_photo(), hero_image_alt={"fr": "Le parc en été"}),
    )
    space.refresh_from_db()
    assert space.hero_image_variants["sizes"] == [[320, 427], [640, 853], [1200, 1600]]
    for name in images.variant_names(space.hero_image.name, space.hero_image_variants):
        with Image.open(settings.MEDIA_ROOT / name) as copy:
            assert copy.format == "WEBP" and not dict(copy.getexif())


def test_a_hero_image_needs_its_description(organization, org_admin, process):
    with pytest.raises(ValidationError) as refused:
        services.create_space(
            actor=org_admin,
            organization=organization,
            kind="process",
            values=_values(hero_image=_photo(), hero_image_alt={"fr": "", "en": ""}),
        )
    assert refused.value.code == "image_alt"
    assert not Space.objects.filter(slug="bp").exists()
    with pytest.raises(ValidationError) as refused:
        services.update_space(actor=org_admin, space=process, values={"hero_image": _photo()})
    assert refused.value.code == "image_alt"


def test_a_participant_cannot_change_the_hero_image(participant, process):
    with pytest.raises(PermissionDenied):
        services.update_space(
            actor=participant, space=process, values={"hero_image": _photo(), "hero_image_alt": {"fr": "Le parc"}}
        )


def test_a_replaced_hero_image_and_its_copies_are_deleted(
    organization, org_admin, settings, django_capture_on_commit_callbacks
):
    space = services.create_space(
        actor=org_admin,
        organization=organization,
        kind="process",
        values=_values(hero_image=_photo(), hero_image_alt={"fr": "Le parc"}),
    )
    old = [space.hero_image.name, *images.variant_names(space.hero_image.name, space.hero_image_variants)]
    with django_capture_on_commit_callbacks(execute=True):
        space = services.update_space(actor=org_admin, space=space, values={"hero_image": _photo("b.png", (300, 200))})
    assert space.hero_image_variants["sizes"] == [[200, 300]]  # turned upright
    assert not any((settings.MEDIA_ROOT / name).exists() for name in old)
    with django_capture_on_commit_callbacks(execute=True):
        space = services.update_space(actor=org_admin, space=space, values={"hero_image": ""})
    assert not space.hero_image and space.hero_image_variants == {}


def test_card_and_page_show_the_hero_image_with_srcset(client, organization, org_admin):
    space = services.create_space(
        actor=org_admin,
        organization=organization,
        kind="process",
        values=_values(hero_image=_photo(), hero_image_alt={"fr": "Le parc en été"}),
    )
    services.publish_space(actor=org_admin, space=space)
    page = client.get("/processes/bp/").content.decode()
    hero = re.search(r'<img class="space-hero-picture"[^>]*>', page).group(0)
    assert 'alt="Le parc en été"' in hero and ".w640.webp 640w" in hero and 'sizes="' in hero
    assert 'width="1200" height="1600"' in hero  # the largest copy for a banner
    listing = client.get("/processes/").content.decode()
    card = re.search(r'<img class="card-picture"[^>]*>', listing).group(0)
    assert 'alt="Le parc en été"' in card and ".w320.webp 320w" in card and 'width="320"' in card
