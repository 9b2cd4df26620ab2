"""Pictures people upload: what is stored of them, and the smaller copies
(variants) that cards and galleries show.

    upload = clean_image(upload)                # before the row is saved
    row.image_variants = make_variants(row.image.storage, row.image.name)
    picture(row.image_variants, url_of, alt)    # what an <img> needs (src, srcset, width, height)

- **Upright and without metadata.** `clean_image` applies the EXIF orientation
  (a phone's portrait photo is stored upright) and re-encodes the picture
  without any of its metadata: EXIF (the GPS position where it was taken, the
  camera's serial number, the date), XMP, IPTC and comments. Only the colour
  profile is kept. A picture larger than MAX_SIDE pixels on its long side is
  scaled down. An animated GIF is kept as it is (GIF has no EXIF).
- **Variants made once, at upload.** `make_variants` writes WebP copies
  WIDTHS pixels wide (never wider than the picture) next to the stored file,
  in the same storage: `<folder>/<random>.w320.webp` for `<folder>/<random>.jpg`
  (the names: agora.core.variants).
  A private picture's variants are private files too (served by the view that
  serves the picture, after the same permission check). Their names derive
  from the picture's name, so `agora.core.files.find_orphan_files` keeps the
  variants of every stored picture and removes those of a deleted one.
- **Deleted together.** `delete_image_after_commit` deletes the picture and
  its variants once the transaction commits.
"""

import io
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from agora.core.files import delete_file_after_commit, storage_errors
from agora.core.validators import validate_image
from agora.core.variants import variant_name, variant_names

logger = logging.getLogger("agora.files")

# Widths of the variants: a card (about 20 rem wide) uses 320 or 640 (high-density
# screens), the gallery 640 or 1280.
WIDTHS = (320, 640, 1280)
# The long side of a stored picture; larger photos (a phone's 4000 px) are scaled down.
MAX_SIDE = 2560
# Pictures of more pixels than this are refused before being decoded (decompression bombs).
MAX_PIXELS = 40_000_000
VARIANT_FORMAT = "WEBP"  # the extension in agora.core.variants says the same

_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}


class NotAPicture(ValidationError):
    def __init__(self):
        super().__init__(
            _("This file is not a picture we can read. Upload a JPEG, PNG, GIF or WebP image."), code="not_an_image"
        )


def _open(content) -> Image.Image:
    content.seek(0)
    try:
        image = Image.open(content)
        if image.width * image.height > MAX_PIXELS:
            raise NotAPicture()
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise NotAPicture() from error
    return image


def _upright(image: Image.Image) -> Image.Image:
    """The picture turned as its EXIF orientation says, as a new image with no info."""
    turned = ImageOps.exif_transpose(image)
    if turned is image:
        turned = image.copy()
    return turned


def _encode(image: Image.Image, image_format: str, icc_profile=None) -> bytes:
    """The pixels in `image_format`, with nothing of the original's metadata:
    Pillow writes EXIF, XMP, comments or text chunks from the image's `info`
    or when asked to, and `info` is emptied (a palette's transparency excepted)."""
    transparency = image.info.get("transparency")
    if image_format == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    elif image_format == "WEBP" and image.mode not in ("RGB", "RGBA"):
        has_alpha = "A" in image.getbands() or transparency is not None
        image = image.convert("RGBA" if has_alpha else "RGB")
    image.info = {}
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        options.update(quality=88, optimize=True, progressive=True)
    elif image_format == "WEBP":
        options.update(quality=82, method=2)  # method 4: files some 7 % smaller in twice the time
    elif image_format == "PNG":
        options.update(optimize=True)
        if transparency is not None and image.mode in ("P", "L", "RGB"):
            options["transparency"] = transparency
    output = io.BytesIO()
    image.save(output, format=image_format, **options)
    return output.getvalue()


def check_picture(image, alt: dict | None) -> None:
    """What a service checks of a picture before saving it: a new upload by its
    content, format and size (agora.core.validators), and any picture has a
    description for people who cannot see it (in one language at least)."""
    if isinstance(image, UploadedFile):
        validate_image(image)
    if image and not any((alt or {}).values()):
        raise ValidationError(_("Describe the image for people who cannot see it."), code="image_alt")


def clean_image(upload, *, max_side: int = MAX_SIDE) -> ContentFile:
    """The picture to store instead of `upload`: upright, without metadata,
    at most `max_side` pixels on its long side, in its own format (JPEG,
    PNG, WebP; an animated GIF unchanged). NotAPicture if it cannot be read."""
    with _open(upload) as image:
        image_format = image.format
        if image_format not in _FORMATS:
            raise NotAPicture()
        if image_format == "GIF" and getattr(image, "is_animated", False):
            upload.seek(0)
            return ContentFile(upload.read(), name="picture.gif")
        icc_profile = image.info.get("icc_profile")
        picture = _upright(image)
    if image_format == "GIF":  # a still GIF: stored as PNG (no palette surprises, no comments)
        image_format = "PNG"
    if max(picture.size) > max_side:
        picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    data = _encode(picture, image_format, icc_profile)
    return ContentFile(data, name=f"picture{_FORMATS[image_format]}")


# --- variants -------------------------------------------------------------------------------


def make_variants(storage, name: str | None, widths=WIDTHS) -> dict:
    """Write the variants of the stored picture `name` in `storage`; returns
    what pages need: {"width", "height", "sizes": [[width, height], ...]}
    (widths increasing). An unreadable file gives {} (the page then shows the
    picture itself)."""
    if not name:
        return {}
    try:
        with storage.open(name, "rb") as handle:
            image = _open(io.BytesIO(handle.read()))
    except (OSError, NotAPicture) as error:
        logger.warning("No variants for %s: %s", name, error)
        return {}
    with image:
        icc_profile = image.info.get("icc_profile")
        picture = _upright(image)
    width, height = picture.size
    sizes, written = [], []
    try:
        for wanted in sorted({min(int(w), width) for w in widths}):
            copy = picture.copy()
            if wanted < width:
                copy = copy.resize((wanted, max(1, round(height * wanted / width))), Image.Resampling.LANCZOS)
            data = _encode(copy, VARIANT_FORMAT, icc_profile)
            target = variant_name(name, wanted)
            if storage.exists(target):
                storage.delete(target)
            written.append(storage.save(target, ContentFile(data)))
            sizes.append([copy.width, copy.height])
    except storage_errors() as error:
        # The picture itself is stored: pages show it without variants.
        logger.warning("Could not store the variants of %s: %s", name, error)
        for each in written:
            try:
                storage.delete(each)
            except storage_errors():
                pass
        return {"width": width, "height": height, "sizes": []}
    return {"width": width, "height": height, "sizes": sizes}


def delete_image_after_commit(storage, name: str | None, variants: dict | None) -> None:
    """The picture and its variants, once the transaction commits."""
    if not name:
        return
    delete_file_after_commit(storage, name)
    for each in variant_names(name, variants):
        delete_file_after_commit(storage, each)


# --- what pages show ------------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """What an <img> of a stored picture needs: `src` (the variant closest
    above the wanted width), `srcset` of every variant, its `width` and
    `height` (so the page keeps its place before the picture loads), `alt`,
    and `full` (the stored picture itself)."""

    src: str
    srcset: str
    width: int | None
    height: int | None
    alt: str
    full: str


def picture(variants: dict | None, url_of, *, alt: str, wanted: int = 640) -> Picture:
    """`url_of(width)` gives the address of a variant, `url_of(None)` that of
    the stored picture."""
    full = url_of(None)
    sizes = (variants or {}).get("sizes") or []
    if not sizes:
        return Picture(full, "", (variants or {}).get("width"), (variants or {}).get("height"), alt, full)
    chosen = next(((w, h) for w, h in sizes if w >= wanted), sizes[-1])
    srcset = ", ".join(f"{url_of(w)} {w}w" for w, _h in sizes)
    return Picture(url_of(chosen[0]), srcset, chosen[0], chosen[1], alt, full)
