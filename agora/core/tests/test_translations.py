import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
FRENCH_PO = LOCALE / "fr" / "LC_MESSAGES" / "django.po"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed (CI installs it)")
def test_french_catalogue_is_complete(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", str(FRENCH_PO), "-o", str(tmp_path / "django.mo")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    compiled = gettext.GNUTranslations(open(tmp_path / "django.mo", "rb"))
    committed = gettext.GNUTranslations(open(FRENCH_PO.with_suffix(".mo"), "rb"))
    # The committed .mo is what Django loads: it must match the .po (run `make messages`).
    assert compiled._catalog == committed._catalog
