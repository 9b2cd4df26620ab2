import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from agora.components.proposals.uploads import check_attachment, detect

ALL = ["image", "pdf", "docx", "odt"]


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_types_are_found_from_the_content():
    assert detect(SimpleUploadedFile("x.txt", b"%PDF-1.7 ...")).kind == "pdf"
    odt = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
    assert detect(SimpleUploadedFile("x.pdf", odt)).kind == "odt"
    assert detect(SimpleUploadedFile("x.docx", _zip({"other.txt": "x"}))) is None
    assert detect(SimpleUploadedFile("x.pdf", b"MZ\x90 executable")) is None


def test_size_and_allowed_kinds_are_enforced():
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4" + b"0" * 2000)
    with pytest.raises(ValidationError, match="too large"):
        check_attachment(pdf, allowed_kinds=ALL, max_bytes=1000)
    with pytest.raises(ValidationError, match="not an accepted file"):
        check_attachment(pdf, allowed_kinds=["image"], max_bytes=10_000)
    assert check_attachment(pdf, allowed_kinds=ALL, max_bytes=10_000).content_type == "application/pdf"
