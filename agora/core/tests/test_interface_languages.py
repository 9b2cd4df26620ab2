"""Interface languages (issue 22, section 4): a language is added with a
message catalogue, even one Django does not ship (Corsican); organizations
choose among the installation's languages; right-to-left languages turn the
page around (dir="rtl")."""

import shutil
import subprocess

import pytest
from django.utils.translation import get_language_info

from agora.core.models import Organization

CORSICAN_PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: co\\n"

msgid "Search"
msgstr "Circà"

msgid "Skip to main content"
msgstr "Andà à u cuntenutu"
"""


def test_corsican_is_known_although_django_does_not_ship_it():
    info = get_language_info("co")
    assert info["name_local"] == "Corsu" and info["bidi"] is False


@pytest.fixture
def corsican(settings, tmp_path):
    assert shutil.which("msgfmt"), "gettext's msgfmt is needed (apt-get install gettext)"
    folder = tmp_path / "locale" / "co" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(CORSICAN_PO, encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(folder / "django.mo"), str(folder / "django.po")], check=True)
    settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]
    settings.LANGUAGES = [*settings.LANGUAGES, ("co", "Corsu")]


def test_a_language_added_with_its_catalogue_is_offered_and_spoken(client, organization, corsican):
    organization.available_languages = ["fr", "en", "co"]
    organization.save()
    assert Organization.objects.get(pk=organization.pk).languages == ["fr", "en", "co"]
    page = client.get("/").content.decode()
    assert '<option value="co" lang="co" >Corsu</option>' in page
    response = client.post("/i18n/setlang/", {"language": "co", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="co" dir="ltr"' in page and "Andà à u cuntenutu" in page


def test_an_organization_offers_only_the_installations_languages(client, organization, settings):
    organization.available_languages = ["fr", "en", "co"]  # co is not among settings.LANGUAGES here
    organization.save()
    assert organization.languages == ["fr", "en"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "co"
    assert '<html lang="fr" dir="ltr"' in client.get("/").content.decode()


def test_a_right_to_left_language_turns_the_page(client, organization, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "العربية")]
    organization.available_languages = ["fr", "en", "ar"]
    organization.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    assert '<html lang="ar" dir="rtl"' in client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en" dir="ltr"' in client.get("/").content.decode()
