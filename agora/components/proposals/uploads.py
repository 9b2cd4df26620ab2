"""Attachments checked by their content (never by their name or the type
the browser claims): JPEG/PNG/WebP pictures that Pillow can read, PDF
files, and docx/odt documents recognised from their ZIP structure."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from agora.core.files import DOCX_TYPE, ODT_TYPE, Detected
from agora.core.files import detect as detect_any

__all__ = ["DOCX_TYPE", "ODT_TYPE", "Detected", "check_attachment", "detect"]

# The pictures an idea accepts (what the attachment types setting offers).
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
KIND_LABELS = {"image": "JPEG, PNG, WebP", "pdf": "PDF", "docx": "Word (docx)", "odt": "OpenDocument (odt)"}


def detect(upload) -> Detected | None:
    found = detect_any(upload)
    if found is not None and found.kind == "image" and found.image_format not in IMAGE_FORMATS:
        return None
    return found


def check_attachment(upload, *, allowed_kinds, max_bytes) -> Detected:
    """The detected type of an upload, or a ValidationError a person can act on."""
    allowed_text = ", ".join(KIND_LABELS[k] for k in allowed_kinds if k in KIND_LABELS)
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s); the limit is %(limit)s."),
            params={"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    found = detect(upload)
    if found is None or found.kind not in allowed_kinds:
        raise ValidationError(
            _("“%(name)s” is not an accepted file. Accepted types: %(types)s."),
            params={"name": upload.name, "types": allowed_text},
            code="file_type",
        )
    return found
