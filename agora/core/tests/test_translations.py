import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

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
