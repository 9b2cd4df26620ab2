"""Project documents are checked by their content, not by their name."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def document_kind(upload) -> str | None:
    """ "pdf", "odt", "docx" or None, from the bytes of the file."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(8)
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"PK\x03\x04"):
            upload.seek(0)
            try:
                with zipfile.ZipFile(upload) as archive:
                    names = set(archive.namelist())
                    if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                        return "odt"
                    if "[Content_Types].xml" in names and "word/document.xml" in names:
                        return "docx"
            except (zipfile.BadZipFile, OSError, KeyError):
                return None
        return None
    finally:
        upload.seek(position)


def validate_document(upload) -> str:
    limit = getattr(settings, "AGORA_MAX_DOCUMENT_BYTES", MAX_DOCUMENT_BYTES)
    if upload.size > limit:
        raise ValidationError(
            _("This document is too large (%(size)s); the limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    kind = document_kind(upload)
    if kind is None:
        raise ValidationError(_("This file is not a PDF, ODT or DOCX document."), code="not_a_document")
    return kind
