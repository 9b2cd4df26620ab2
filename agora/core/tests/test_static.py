"""Every static file a template names exists: with the manifest storage of
production, a missing one is a server error on every page that names it."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders

AGORA = Path(__file__).resolve().parents[2]
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def test_every_static_file_named_in_a_template_exists():
    named = {
        (path.relative_to(AGORA), match)
        for path in AGORA.glob("**/templates/**/*.html")
        for match in STATIC_TAG.findall(path.read_text(encoding="utf-8"))
    }
    assert named, "the scan found no {% static %} tag at all"
    missing = sorted((str(template), name) for template, name in named if not finders.find(name))
    assert not missing, missing
