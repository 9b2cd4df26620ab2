"""Uploaded images are checked by their content, not by their name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def validate_image(upload) -> None:
    """Raise ValidationError unless `upload` is a JPEG, PNG, GIF or WebP
    image no bigger than settings.AGORA_MAX_IMAGE_BYTES."""
    limit = settings.AGORA_MAX_IMAGE_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The image is too large (%(size)s). The limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="image_too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG, GIF or WebP picture."),
            code="not_an_image",
        )
    finally:
        upload.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("This image format is not accepted. Upload a JPEG, PNG, GIF or WebP picture."),
            code="image_format",
        )
