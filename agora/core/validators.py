"""Checks on uploaded files, by content rather than by name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def validate_image(upload) -> None:
    """A real JPEG, PNG, GIF or WebP picture no larger than
    settings.AGORA_MAX_IMAGE_BYTES, whatever its name says."""
    limit = settings.AGORA_MAX_IMAGE_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This image is too large (%(size)s); the limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a picture we can read. Upload a JPEG, PNG, GIF or WebP image."),
            code="not_an_image",
        ) from None
    finally:
        upload.seek(position)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("This image format is not accepted. Upload a JPEG, PNG, GIF or WebP image."),
            code="format",
        )
