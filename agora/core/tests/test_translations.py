import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

AGORA = Path(__file__).resolve().parents[2]
# The project catalogue (agora/locale) and each app's own (agora/<app>/locale),
# so that apps written side by side never edit the same file.
FRENCH_CATALOGUES = sorted(AGORA.glob("**/locale/fr/LC_MESSAGES/django.po"))


def test_the_project_catalogue_is_among_them():
    assert AGORA / "locale" / "fr" / "LC_MESSAGES" / "django.po" in FRENCH_CATALOGUES


@pytest.mark.parametrize("french_po", FRENCH_CATALOGUES, ids=lambda p: str(p.relative_to(AGORA)))
def test_french_catalogue_is_complete(french_po, tmp_path):
    assert shutil.which("msgfmt"), "gettext's msgfmt is needed to check the catalogues (apt-get install gettext)"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", str(french_po), "-o", str(tmp_path / "django.mo")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    compiled = gettext.GNUTranslations(open(tmp_path / "django.mo", "rb"))
    committed = gettext.GNUTranslations(open(french_po.with_suffix(".mo"), "rb"))
    # The committed .mo is what Django loads: it must match the .po (run `make messages`).
    assert compiled._catalog == committed._catalog


# Every interface language the installation ships (settings.LANGUAGES) but English, in which the
# msgids are written: each locale/ directory that has a French catalogue has one in that language,
# complete (nothing untranslated, nothing fuzzy), checked by msgfmt (format strings) and compiled.
SHIPPED = [code for code, _name in settings.LANGUAGES if code != "en"]
LOCALE_DIRS = sorted(po.parents[2] for po in FRENCH_CATALOGUES)


def test_french_and_english_are_shipped():
    assert "fr" in SHIPPED and "en" in dict(settings.LANGUAGES)


@pytest.mark.parametrize("code", SHIPPED)
def test_a_shipped_language_has_every_catalogue(code):
    missing = [str(d.relative_to(AGORA)) for d in LOCALE_DIRS if not (d / code / "LC_MESSAGES" / "django.po").exists()]
    assert not missing, f"{code}: no catalogue in {missing}"


@pytest.mark.parametrize(
    "po",
    [d / code / "LC_MESSAGES" / "django.po" for code in SHIPPED for d in LOCALE_DIRS],
    ids=lambda p: str(p.relative_to(AGORA)),
)
def test_every_shipped_catalogue_is_complete_and_compiled(po, tmp_path):
    assert po.exists(), f"missing {po}"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", str(po), "-o", str(tmp_path / "django.mo")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    compiled = gettext.GNUTranslations(open(tmp_path / "django.mo", "rb"))
    committed = gettext.GNUTranslations(open(po.with_suffix(".mo"), "rb"))
    assert compiled._catalog == committed._catalog


def _messages(po, tmp_path, name):
    """The compiled catalogue of `po` ({msgid or (msgid, n) or "ctxt\x04msgid": msgstr}), as msgfmt
    builds it: only translated, non-fuzzy messages are in it."""
    mo = tmp_path / f"{name}.mo"
    subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True, capture_output=True)
    with open(mo, "rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def _msgid(key):
    msgid = key[0] if isinstance(key, tuple) else key
    context, sep, bare = msgid.partition("\x04")
    return f"[{context}] {bare}" if sep else msgid


@pytest.mark.parametrize(
    "po",
    [d / code / "LC_MESSAGES" / "django.po" for code in SHIPPED if code != "fr" for d in LOCALE_DIRS],
    ids=lambda p: str(p.relative_to(AGORA)),
)
def test_every_shipped_catalogue_has_every_french_msgid(po, tmp_path):
    # A string added to the French catalogue only (its msgid missing from this language's, or
    # left untranslated or fuzzy there) would show in English to the people who chose it.
    assert po.exists(), f"missing {po}"
    french = _messages(po.parents[2] / "fr" / "LC_MESSAGES" / "django.po", tmp_path, "fr")
    # Plural messages are keyed (msgid, form) and each language has its own number of forms.
    other = {_msgid(key) for key in _messages(po, tmp_path, "other")}
    missing = sorted({_msgid(key) for key in french} - other - {""})
    assert not missing, f"{po.relative_to(AGORA)} lacks {len(missing)} msgid(s) of the French catalogue: {missing}"
