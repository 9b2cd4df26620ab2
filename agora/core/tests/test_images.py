"""Pictures (agora.core.images): stored upright and without metadata, their
variants made once with the sizes pages need, and kept or removed with them."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone
from PIL import Image, PngImagePlugin

from agora.core import images
from agora.core.files import find_orphan_files

GPS = {1: "N", 2: (47.0, 30.0, 7.2), 3: "E", 4: (1.0, 6.0, 0.5)}


def photo_bytes(size=(400, 200), *, orientation=6, image_format="JPEG") -> bytes:
    """A phone photo: stored sideways with an EXIF orientation, with the GPS
    position, the camera and a comment in its metadata."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1]))  # left half blue: we can see the turn
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = GPS
    buffer = io.BytesIO()
    if image_format == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "taken at 12 rue des Lilas")
        image.save(buffer, "PNG", exif=exif.tobytes(), pnginfo=info)
    else:
        image.save(buffer, image_format, exif=exif.tobytes(), comment=b"taken at 12 rue des Lilas")
    return buffer.getvalue()


def _metadata_of(data: bytes) -> tuple:
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return (
            image.size,
            dict(exif),
            dict(exif.get_ifd(0x8825)),
            {
                key: value
                for key, value in image.info.items()
                if key
                not in (
                    "jfif",
                    "jfif_version",
                    "jfif_unit",
                    "jfif_density",
                    "progressive",
                    "progression",
                    "dpi",
                    "loop",
                    "background",
                    "timestamp",
                    "duration",
                )
            },
        )


def test_a_phone_photo_is_stored_upright_without_its_gps_position():
    original = photo_bytes()
    assert _metadata_of(original)[2], "the sample has no GPS position: the test would prove nothing"
    cleaned = images.clean_image(io.BytesIO(original))
    data = cleaned.read()
    size, exif, gps, info = _metadata_of(data)
    assert size == (200, 400)  # turned as the orientation said
    assert exif == {} and gps == {} and info == {}
    assert b"rue des Lilas" not in data and b"PhoneMaker" not in data
    assert cleaned.name.endswith(".jpg")
    with Image.open(io.BytesIO(data)) as image:  # blue on top after a quarter turn clockwise
        top, bottom = image.getpixel((100, 20)), image.getpixel((100, 380))
    assert top[2] > 150 and bottom[0] > 150


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_png_and_webp_lose_their_metadata_too(image_format):
    cleaned = images.clean_image(io.BytesIO(photo_bytes(image_format=image_format)))
    data = cleaned.read()
    _size, exif, gps, info = _metadata_of(data)
    assert exif == {} and gps == {} and info == {}
    assert b"rue des Lilas" not in data


def test_a_huge_photo_is_scaled_down_and_a_non_picture_refused():
    cleaned = images.clean_image(io.BytesIO(photo_bytes((3000, 1000), orientation=1)))
    with Image.open(cleaned) as image:
        assert image.size == (images.MAX_SIDE, round(1000 * images.MAX_SIDE / 3000))
    with pytest.raises(images.NotAPicture):
        images.clean_image(io.BytesIO(b"%PDF-1.4 not a picture"))


def test_variants_are_made_once_in_the_sizes_pages_need(settings):
    storage = storages["default"]
    name = storage.save("budgets/abc.jpg", ContentFile(photo_bytes((1600, 1200))))
    variants = images.make_variants(storage, name)
    # The EXIF orientation is honoured for a file stored as it came (an older upload).
    assert variants == {"width": 1200, "height": 1600, "sizes": [[320, 427], [640, 853], [1200, 1600]]}
    for width, height in variants["sizes"]:
        with storage.open(images.variant_name(name, width)) as handle:
            data = handle.read()
        size, exif, gps, _info = _metadata_of(data)
        assert size == (width, height) and exif == {} and gps == {}
        assert data[8:12] == b"WEBP"
    small = storage.save("budgets/small.png", ContentFile(photo_bytes((200, 100), orientation=1, image_format="PNG")))
    assert images.make_variants(storage, small)["sizes"] == [[200, 100]]


def test_picture_gives_src_srcset_and_dimensions():
    variants = {"width": 1200, "height": 800, "sizes": [[320, 213], [640, 427], [1200, 800]]}
    shown = images.picture(variants, lambda width: f"/p/{width or 'full'}", alt="Un banc")
    assert shown.src == "/p/640" and (shown.width, shown.height) == (640, 427)
    assert shown.srcset == "/p/320 320w, /p/640 640w, /p/1200 1200w"
    assert shown.full == "/p/full" and shown.alt == "Un banc"
    old = images.picture({}, lambda width: f"/p/{width or 'full'}", alt="x")
    assert old.src == "/p/full" and old.srcset == "" and old.width is None


def test_variants_live_and_die_with_their_picture(organization, django_capture_on_commit_callbacks):
    from agora.testing import factories

    user = factories.UserFactory()
    user.avatar = ContentFile(photo_bytes(orientation=1), name="me.jpg")
    user.save()
    storage = user.avatar.storage
    kept = images.make_variants(storage, user.avatar.name)
    lost_name = storage.save("avatars/0123456789abcdef0123456789abcdef.jpg", ContentFile(photo_bytes()))
    lost = images.make_variants(storage, lost_name)
    orphans = {each.name for each in find_orphan_files(min_age=timezone.timedelta(0))}
    assert orphans == {lost_name, *images.variant_names(lost_name, lost)}
    assert not orphans & set(images.variant_names(user.avatar.name, kept))
    with django_capture_on_commit_callbacks(execute=True):
        images.delete_image_after_commit(storage, user.avatar.name, kept)
    for name in (user.avatar.name, *images.variant_names(user.avatar.name, kept)):
        assert not storage.exists(name)


def test_pictures_stored_before_copies_existed_get_them(organization, django_capture_on_commit_callbacks, capsys):
    from django.core.management import call_command

    from agora.components.budgets.tests.factories import ProjectFactory
    from agora.components.proposals.models import Attachment
    from agora.components.proposals.tests.factories import ProposalFactory

    project = ProjectFactory()
    project.image = ContentFile(photo_bytes(), name="old.jpg")  # as stored before: metadata and all
    project.save()
    idea = ProposalFactory()
    picture = Attachment.objects.create(
        proposal=idea,
        file=ContentFile(photo_bytes(), name="x.jpg"),
        title="x",
        kind="image",
        content_type="image/jpeg",
        size=1,
    )
    document = Attachment.objects.create(
        proposal=idea,
        file=ContentFile(b"%PDF-1.4", name="x.pdf"),
        title="d",
        kind="document",
        content_type="application/pdf",
        size=8,
    )
    old_names = [project.image.name, picture.file.name]
    call_command("make_picture_copies")
    assert "2 picture(s) without copies" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_picture_copies", "--apply")
    project.refresh_from_db(), picture.refresh_from_db(), document.refresh_from_db()
    for stored, variants in ((project.image, project.image_variants), (picture.file, picture.variants)):
        assert variants["sizes"] and stored.name not in old_names
        with stored.open("rb") as handle, Image.open(handle) as image:
            assert image.size == (200, 400) and not dict(image.getexif())
    assert picture.size == picture.file.size and document.variants == {}
    assert not any(
        storage.exists(name) for storage, name in zip((project.image.storage, picture.file.storage), old_names)
    )
    call_command("make_picture_copies")
    assert "0 picture(s) without copies" in capsys.readouterr().out
