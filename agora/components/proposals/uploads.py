"""Attachments checked by their content (never by their name or the type
the browser claims): JPEG/PNG/WebP pictures that Pillow can read, PDF
files, and docx/odt documents recognised from their ZIP structure."""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
KIND_LABELS = {"image": "JPEG, PNG, WebP", "pdf": "PDF", "docx": "Word (docx)", "odt": "OpenDocument (odt)"}


@dataclass(frozen=True)
class Detected:
    kind: str  # "image", "pdf", "docx", "odt"
    content_type: str

    @property
    def attachment_kind(self) -> str:
        return "image" if self.kind == "image" else "document"


def _read_head(upload, size=8) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _image(upload):
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    if image_format in IMAGE_TYPES:
        return Detected("image", IMAGE_TYPES[image_format])
    return None


def _office(upload):
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                if archive.read("mimetype").strip() == ODT_TYPE.encode():
                    return Detected("odt", ODT_TYPE)
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size < 1_000_000 and b"wordprocessingml.document.main+xml" in archive.read(info):
                    return Detected("docx", DOCX_TYPE)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)
    return None


def detect(upload) -> Detected | None:
    head = _read_head(upload)
    if head.startswith(b"%PDF-"):
        return Detected("pdf", "application/pdf")
    if head.startswith(b"PK\x03\x04"):
        return _office(upload)
    return _image(upload)


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
            params={"name": upload.name, "types": allowed_text}, code="file_type",
        )
    return found
