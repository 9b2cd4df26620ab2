"""Ideas' pictures: a description is required, the file is stored upright and
without its metadata with smaller copies made at upload, cards show the first
picture, the idea page a gallery, and the copies are private files served
after the same check as the picture (never a draft's or a hidden idea's to
the public). Addresses typed without coordinates are geocoded on save."""

import io
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from agora.components.proposals.models import Attachment, Proposal
from agora.core import images
from agora.core.tests.test_images import photo_bytes
from agora.moderation.models import Moderation

from .conftest import configure

BODY = "Installer des arceaux pour les vélos devant la médiathèque municipale."
DESCRIPTION = "Le parvis de la médiathèque, des vélos attachés aux grilles"


def url(component, name, **kwargs):
    return reverse(f"proposals:{name}", kwargs={**component.url_kwargs(), **kwargs})


@pytest.fixture
def with_pictures(component):
    return configure(component, attachments_enabled=True, geolocation_mode="optional")


def _photo(name="parvis.jpg", size=(1600, 1200)):
    return SimpleUploadedFile(name, photo_bytes(size), content_type="image/jpeg")


def _file(client, component, author, **fields):
    client.force_login(author)
    data = {"title": "Arceaux", "body": BODY, **fields}
    return client.post(url(component, "create"), data)


def _published(client, component, author, django_capture_on_commit_callbacks, **fields):
    response = _file(client, component, author, **fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal = Proposal.objects.get(author=author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(component, "publish", proposal_id=proposal.pk))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PUBLISHED
    return proposal


@pytest.mark.parametrize(
    "language, message",
    [
        ("en", "Describe this picture for people who cannot see it."),
        ("fr", "Décrivez cette image pour les personnes qui ne peuvent pas la voir."),
    ],
)
def test_a_picture_without_its_description_is_refused(client, with_pictures, participant, settings, language, message):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = _file(client, with_pictures, participant, picture_1=_photo())
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="id_picture_1_alt_error"' in page and 'aria-invalid="true"' in page
    assert not Proposal.objects.exists() and not Attachment.objects.exists()


def test_a_picture_sent_as_a_document_is_sent_back_to_the_picture_fields(client, with_pictures, participant):
    response = _file(client, with_pictures, participant, attachments=_photo())
    assert response.status_code == 400
    assert "“parvis.jpg” is a picture: add it with a “Picture” field below" in response.content.decode()


def test_a_picture_is_stored_upright_without_metadata_with_its_copies(client, with_pictures, participant, settings):
    response = _file(client, with_pictures, participant, picture_1=_photo(), picture_1_alt=DESCRIPTION)
    assert response.status_code == 302
    picture = Attachment.objects.get()
    assert picture.kind == "image" and picture.alt_text == DESCRIPTION and picture.content_type == "image/jpeg"
    assert re.fullmatch(r"proposals/[0-9a-f]{32}\.jpg", picture.file.name)
    stored = (settings.AGORA_PRIVATE_MEDIA_ROOT / picture.file.name).read_bytes()
    assert picture.size == len(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (1200, 1600)  # upright (the photo said "turn a quarter")
        assert not dict(image.getexif()) and not image.getexif().get_ifd(0x8825)
    assert b"rue des Lilas" not in stored
    assert picture.variants == {"width": 1200, "height": 1600, "sizes": [[320, 427], [640, 853], [1200, 1600]]}
    for name in images.variant_names(picture.file.name, picture.variants):
        assert (settings.AGORA_PRIVATE_MEDIA_ROOT / name).exists()  # private, like the picture
        assert not (settings.MEDIA_ROOT / name).exists()


def test_cards_show_the_first_picture_and_the_idea_page_a_gallery(
    client, with_pictures, participant, settings, django_capture_on_commit_callbacks
):
    proposal = _published(
        client,
        with_pictures,
        participant,
        django_capture_on_commit_callbacks,
        picture_1=_photo(),
        picture_1_alt=DESCRIPTION,
        picture_2=_photo("plan.png", (800, 400)),
        picture_2_alt="Le plan des arceaux",
    )
    first, second = proposal.attachments.order_by("weight")
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    card_page = client.get(url(with_pictures, "index")).content.decode()
    card = re.search(r'<img class="card-picture"[^>]*>', card_page).group(0)
    base = first.get_absolute_url()
    assert f'src="{base}320/"' in card and f'srcset="{base}320/ 320w, {base}640/ 640w, {base}1200/ 1200w"' in card
    assert 'width="320" height="427"' in card and 'loading="lazy"' in card and f'alt="{DESCRIPTION}"' in card
    assert "sizes=" in card and "Le plan des arceaux" not in card_page  # only the first picture

    page = client.get(proposal.get_absolute_url()).content.decode()
    gallery = page[page.index('class="gallery-section"') :]
    gallery = gallery[: gallery.index("</section>")]
    assert gallery.count("<figure>") == 2 and gallery.count("<figcaption") == 2
    assert f'<a class="gallery-link" href="{base}">' in gallery  # the picture itself, without script
    assert f'alt="{DESCRIPTION}"' in gallery and 'alt="Le plan des arceaux"' in gallery
    assert "square.jpg" not in page and "Picture 2 of 2" in gallery
    assert f'href="{base}"' not in page.replace(gallery, "")  # not listed again among the documents

    for width, height in first.variants["sizes"]:
        response = client.get(f"{base}{width}/")
        assert response.status_code == 200 and response["Content-Type"] == "image/webp"
        assert response["X-Content-Type-Options"] == "nosniff"
        with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
            assert image.size == (width, height) and not dict(image.getexif())
    assert client.get(f"{base}999/").status_code == 404  # only the copies that were made
    assert second.variants["sizes"][-1] == [400, 800]  # turned upright
    assert client.get(f"{second.get_absolute_url()}1200/").status_code == 404  # the first one's width


def test_a_drafts_copies_are_only_for_its_author(client, with_pictures, participant, other_participant):
    _file(client, with_pictures, participant, picture_1=_photo(), picture_1_alt=DESCRIPTION)
    picture = Attachment.objects.get()
    address = f"{picture.get_absolute_url()}320/"
    assert client.get(address).status_code == 200
    client.force_login(other_participant)
    assert client.get(address).status_code == 404
    client.logout()
    assert client.get(address).status_code == 404


def test_a_hidden_ideas_copies_are_refused_to_the_public(
    client, with_pictures, participant, organization, other_participant, django_capture_on_commit_callbacks
):
    proposal = _published(
        client,
        with_pictures,
        participant,
        django_capture_on_commit_callbacks,
        picture_1=_photo(),
        picture_1_alt=DESCRIPTION,
    )
    picture = proposal.attachments.get()
    addresses = [f"{picture.get_absolute_url()}{width}/" for width, _h in picture.variants["sizes"]]
    client.force_login(other_participant)
    assert all(client.get(address).status_code == 200 for address in addresses)
    Moderation.objects.create(
        organization=organization,
        space=with_pictures.space,
        content_type=ContentType.objects.get_for_model(Proposal),
        object_id=proposal.pk,
        hidden_at=timezone.now(),
        hidden_by=Moderation.HiddenBy.choices[0][0],
    )
    assert [client.get(address).status_code for address in addresses] == [404] * len(addresses)
    client.logout()
    assert [client.get(address).status_code for address in addresses] == [404] * len(addresses)
    assert "card-picture" not in client.get(url(with_pictures, "index")).content.decode()
    client.force_login(participant)  # its author still sees them
    assert client.get(addresses[0]).status_code == 200


def test_descriptions_are_changed_and_removed_pictures_lose_their_copies(
    client, with_pictures, participant, settings, django_capture_on_commit_callbacks
):
    _file(client, with_pictures, participant, picture_1=_photo(), picture_1_alt=DESCRIPTION)
    picture = Attachment.objects.get()
    edit = url(with_pictures, "edit", proposal_id=picture.proposal_id)
    assert DESCRIPTION in client.get(edit).content.decode()
    response = client.post(edit, {"title": "Arceaux", "body": BODY, f"alt_{picture.pk}": " "})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = client.post(edit, {"title": "Arceaux", "body": BODY, f"alt_{picture.pk}": "Le parvis, vu de la rue"})
    assert response.status_code == 302
    picture.refresh_from_db()
    assert picture.alt_text == "Le parvis, vu de la rue"
    names = [picture.file.name, *images.variant_names(picture.file.name, picture.variants)]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit, {"title": "Arceaux", "body": BODY, f"alt_{picture.pk}": "x", "remove_attachments": [picture.pk]}
        )
    assert not Attachment.objects.exists()
    assert not any((settings.AGORA_PRIVATE_MEDIA_ROOT / name).exists() for name in names)


def test_an_address_typed_without_coordinates_is_placed_on_the_map(client, with_pictures, participant):
    response = _file(client, with_pictures, participant, address="12 rue des Lilas")
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert Decimal("47.50") < proposal.latitude < Decimal("47.51") and proposal.longitude is not None
    page = client.get(response["Location"]).content.decode()
    assert "was not found on the map" not in page


def test_an_address_not_found_is_saved_without_a_position_and_the_page_says_so(client, with_pictures, participant):
    response = _file(client, with_pictures, participant, address="Rue de Nulle-Part")
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.address == "Rue de Nulle-Part" and proposal.latitude is None
    page = client.get(response["Location"]).content.decode()
    assert "“Rue de Nulle-Part” was not found on the map" in page


def test_the_address_field_offers_the_lookup(client, with_pictures, participant):
    client.force_login(participant)
    page = client.get(url(with_pictures, "create")).content.decode()
    field = re.search(r'<input type="text" name="address"[^>]*>', page).group(0)
    assert f'data-geocode-url="{reverse("geocode")}"' in field
    assert 'data-lat-input="id_latitude"' in field and "agora/geocode.js" in page
