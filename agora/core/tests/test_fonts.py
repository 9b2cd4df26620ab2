"""An organization's own font: a WOFF2 file (checked by its bytes and its
size) uploaded by its administrator, stored under a random name, declared
with @font-face in the themed stylesheet /theme.css (a file of this site: no
inline style), for the headings or all the text, with the system fonts
after it."""

import re
import struct
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agora.backoffice.tests.test_organization import settings_data
from agora.core import fonts, services
from agora.permissions import PermissionDenied

OPEN_SANS = Path(__file__).resolve().parents[2] / "demo" / "fonts" / "open-sans-700.woff2"


def _font(data=None, name="MaPolice-Bold.woff2"):
    return SimpleUploadedFile(name, OPEN_SANS.read_bytes() if data is None else data, content_type="font/woff2")


def woff2_header(length=64, tables=3, reserved=0, signature=b"wOF2"):
    """A WOFF2 file's header (and zeros): enough for the checks, not a font."""
    head = signature + b"\0\1\0\0" + struct.pack(">IHH", length, tables, reserved)
    return head + b"\0" * (length - len(head))


def test_a_woff2_font_is_recognised_by_its_bytes_and_its_header():
    assert fonts.is_woff2(OPEN_SANS.read_bytes())
    assert fonts.is_woff2(woff2_header())
    assert not fonts.is_woff2(woff2_header(signature=b"wOFF"))  # WOFF 1
    assert not fonts.is_woff2(woff2_header(tables=0))
    assert not fonts.is_woff2(woff2_header(reserved=1))
    assert not fonts.is_woff2(woff2_header()[:-1])  # shorter than it says
    assert not fonts.is_woff2(b"wOF2")
    assert not fonts.is_woff2(b"\0\1\0\0" + b"\0" * 60)  # a TrueType file


@pytest.mark.parametrize(
    "data",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        woff2_header(signature=b"wOFF"),
        b"\0\1\0\0" + b"\0" * 200,
        b"wOF2 but only a name",
    ],
)
def test_anything_but_a_woff2_font_is_refused(organization, org_admin, data):
    with pytest.raises(ValidationError) as refused:
        services.update_organization(actor=org_admin, organization=organization, values={"font": _font(data)})
    assert "font" in refused.value.message_dict
    organization.refresh_from_db()
    assert not organization.font


def test_a_font_larger_than_the_limit_is_refused(organization, org_admin):
    too_large = woff2_header(length=fonts.MAX_FONT_BYTES + 4)
    with pytest.raises(ValidationError) as refused:
        services.update_organization(actor=org_admin, organization=organization, values={"font": _font(too_large)})
    assert refused.value.error_dict["font"][0].code == "too_large"


def test_only_the_organizations_admin_uploads_a_font(organization, participant, process):
    from agora.spaces.models import Role
    from agora.testing import factories

    space_admin = factories.RoleFactory(space=process, name=Role.Name.SPACE_ADMIN).user
    for person in (participant, space_admin):
        with pytest.raises(PermissionDenied):
            services.update_organization(actor=person, organization=organization, values={"font": _font()})
    organization.refresh_from_db()
    assert not organization.font


def test_the_font_is_stored_under_a_random_name_and_replaced(
    organization, org_admin, settings, django_capture_on_commit_callbacks
):
    saved = services.update_organization(actor=org_admin, organization=organization, values={"font": _font()})
    name = saved.font.name
    assert re.fullmatch(r"organizations/fonts/[0-9a-f]{32}\.woff2", name)
    assert (settings.MEDIA_ROOT / name).read_bytes() == OPEN_SANS.read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        saved = services.update_organization(
            actor=org_admin, organization=saved, values={"font": _font(woff2_header())}
        )
    assert saved.font.name != name and not (settings.MEDIA_ROOT / name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        saved = services.update_organization(actor=org_admin, organization=saved, values={"font": ""})
    assert not saved.font


def test_the_themed_stylesheet_declares_the_font_with_the_system_fonts_after_it(client, organization, org_admin):
    assert "/theme.css" not in client.get("/").content.decode()  # no font: no stylesheet more
    services.update_organization(actor=org_admin, organization=organization, values={"font": _font()})
    page = client.get("/").content.decode()
    link = re.search(r'<link rel="stylesheet" href="(/theme\.css\?v=([0-9a-f]{12}))">', page)
    assert link and page.index("agora/agora.css") < page.index("/theme.css")
    response = client.get(link.group(1))
    css = response.content.decode()
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    organization.refresh_from_db()
    assert f'src: url("{organization.font.url}") format("woff2")' in css and "font-display: swap" in css
    assert re.search(r'--font-heading: "Agora organization font", system-ui, .*sans-serif;', css)
    assert "--font-body" not in css
    # An older version's address is not kept by browsers.
    assert client.get("/theme.css?v=000000000000")["Cache-Control"] == "no-cache"
    # All the text: the body's token, and a new address.
    services.update_organization(actor=org_admin, organization=organization, values={"font_use": "all"})
    page = client.get("/").content.decode()
    assert link.group(1) not in page
    assert '--font-body: "Agora organization font"' in client.get("/theme.css").content.decode()


def test_the_page_has_no_inline_style_for_the_font(client, organization, org_admin):
    services.update_organization(actor=org_admin, organization=organization, values={"font": _font()})
    page = client.get("/").content.decode()
    assert "@font-face" not in page and "style=" not in page
    assert "font-src 'self'" in client.get("/")["Content-Security-Policy"]


def test_the_settings_screen_uploads_and_checks_the_font(client, organization, org_admin):
    client.force_login(org_admin)
    url = reverse("backoffice:organization")
    form = client.get(url).content.decode()
    assert 'accept=".woff2,font/woff2"' in form and 'name="font_use"' in form
    fake = _font(b"<html>not a font</html>", name="police.woff2")
    response = client.post(url, settings_data(organization, font=fake))
    assert response.status_code == 200 and "font" in response.context["form"].errors
    organization.refresh_from_db()
    assert not organization.font
    response = client.post(url, settings_data(organization, font=_font(), font_use="all"))
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.font.name.endswith(".woff2") and organization.font_use == "all"
    # Saved again without a file: the font stays.
    assert client.post(url, settings_data(organization, font_use="headings")).status_code == 302
    organization.refresh_from_db()
    assert organization.font and organization.font_use == "headings"


def test_a_participant_cannot_change_the_font(client, organization, participant):
    client.force_login(participant)
    response = client.post(reverse("backoffice:organization"), settings_data(organization, font=_font()))
    assert response.status_code in (302, 403)
    organization.refresh_from_db()
    assert not organization.font
