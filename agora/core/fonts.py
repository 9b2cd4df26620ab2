"""An organization's own font: a WOFF2 file its administrator uploads,
checked by its content, stored under a random name, and declared with
@font-face in the themed stylesheet (/theme.css, core.views.theme_css), a
file of this site like agora.css: no inline style, nothing the
Content-Security-Policy has to allow beyond the media host (font-src).

    upload = clean_font(upload)   # before the row is saved: a ContentFile named *.woff2
    font_css(organization)        # the @font-face and the token that uses it ("" without a font)

The font applies to the headings or to all the text (Organization.font_use);
the system font stack follows it, so that text shows at once in a system
font (font-display: swap) and whatever glyph the font lacks still shows."""

import hashlib
import re
import struct

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# A web font of a few styles weighs 20 to 150 KB; 1 MB leaves room and refuses anything else.
MAX_FONT_BYTES = 1024 * 1024
WOFF2_SIGNATURE = b"wOF2"
# The WOFF2 header (W3C WOFF2 §3): signature, flavor, length, numTables, reserved, ...: 48 bytes.
HEADER_SIZE = 48
FAMILY = "Agora organization font"
FALLBACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
# What a stored font's address may contain to be written in url("..."): a random name under MEDIA_URL.
_SAFE_URL = re.compile(r"^[A-Za-z0-9:/._~%?=&+-]+$")


def clean_font(upload) -> ContentFile:
    """The font to store instead of `upload`: a WOFF2 file (by its bytes, never
    its name) of at most MAX_FONT_BYTES whose header is consistent (its
    declared length is the file's, it has tables, its reserved field is 0)."""
    if upload.size > MAX_FONT_BYTES:
        raise ValidationError(
            _("This font is too large (%(size)s); the limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_FONT_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(MAX_FONT_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_FONT_BYTES:
        raise ValidationError(
            _("This font is too large (%(size)s); the limit is %(limit)s."),
            params={"size": filesizeformat(len(data)), "limit": filesizeformat(MAX_FONT_BYTES)},
            code="too_large",
        )
    if not is_woff2(data):
        raise ValidationError(
            _("This file is not a WOFF2 font. Convert your font to WOFF2 (the format of web fonts) first."),
            code="not_a_font",
        )
    return ContentFile(data, name="font.woff2")


def is_woff2(data: bytes) -> bool:
    if len(data) < HEADER_SIZE or not data.startswith(WOFF2_SIGNATURE):
        return False
    length, tables, reserved = struct.unpack(">IHH", data[8:16])
    return length == len(data) and tables > 0 and reserved == 0


def font_url(organization) -> str:
    """The address of the organization's font, "" without one (or with an
    address that could not be written safely in CSS)."""
    font = getattr(organization, "font", None)
    if not font:
        return ""
    url = font.url
    return url if _SAFE_URL.match(url) else ""


def font_css(organization) -> str:
    """The themed stylesheet's text: the @font-face of the organization's font
    and the design token that uses it, "" without a font."""
    url = font_url(organization)
    if not url:
        return ""
    token = "--font-body" if organization.font_use == "all" else "--font-heading"
    # One file for every weight (font-weight 100 900): browsers use it as it is rather than
    # thickening an already bold face for headings; a variable font covers the range itself.
    return (
        f'@font-face {{ font-family: "{FAMILY}"; src: url("{url}") format("woff2"); '
        f"font-weight: 100 900; font-style: normal; font-display: swap; }}\n"
        f':root {{ {token}: "{FAMILY}", {FALLBACK}; }}\n'
    )


def version(organization) -> str:
    """What the themed stylesheet's address carries, so that browsers keep it
    for a year and fetch the new one as soon as the font changes."""
    return hashlib.sha1(font_css(organization).encode()).hexdigest()[:12]
