import pytest
from django.conf import settings

from agora.core.typography import fix_catalogue, french, french_catalogues

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Coût : %(cost)s", f"Coût{NBSP}: %(cost)s"),
        ("Envoyé ; merci ! Et ensuite ?", f"Envoyé{NNBSP}; merci{NNBSP}! Et ensuite{NNBSP}?"),
        ("au moins 80 %% des bulletins", f"au moins 80{NNBSP}%% des bulletins"),
        ("« %(title)s »", f"«{NNBSP}%(title)s{NNBSP}»"),
        ("Deux  : espaces", f"Deux{NBSP}: espaces"),
    ],
)
def test_french_spacing(text, expected):
    assert french(text) == expected
    assert french(expected) == expected  # idempotent


@pytest.mark.parametrize("text", ["https://example.org/?q=1", "à 14:30", "%(a)s/%(b)s", "%(name)s", "Bonjour."])
def test_what_french_spacing_leaves_alone(text):
    assert french(text) == text


def test_fixing_a_catalogue_changes_only_the_translations(tmp_path):
    catalogue = tmp_path / "django.po"
    catalogue.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid ""\n"Cost: %(cost)s"\nmsgstr ""\n"Coût "\n": %(cost)s"\n\n'
        'msgid "Fine"\nmsgstr "Très bien."\n\n#~ msgid "Old"\n#~ msgstr "Vieux : rien"\n',
        encoding="utf-8",
    )
    assert fix_catalogue(catalogue) == ["Cost: %(cost)s"]
    assert catalogue.read_text(encoding="utf-8") == (
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        f'#: a.py:1\n#, python-format\nmsgid ""\n"Cost: %(cost)s"\nmsgstr "Coût{NBSP}: %(cost)s"\n\n'
        'msgid "Fine"\nmsgstr "Très bien."\n\n#~ msgid "Old"\n#~ msgstr "Vieux : rien"\n'
    )
    assert fix_catalogue(catalogue) == []


@pytest.mark.parametrize(
    "french_po",
    french_catalogues(settings.BASE_DIR / "agora"),
    ids=lambda path: str(path.relative_to(settings.BASE_DIR)),
)
def test_french_catalogues_use_no_break_spaces(french_po):
    """Run `manage.py french_typography` (part of `make messages`) when this fails."""
    assert fix_catalogue(french_po, write=False) == []


@pytest.mark.parametrize(
    "french_po",
    french_catalogues(settings.BASE_DIR / "agora"),
    ids=lambda path: str(path.relative_to(settings.BASE_DIR)),
)
def test_french_catalogues_name_a_scope_perimetre(french_po):
    """One word for one thing: the platform calls a scope "Périmètre"; some components' catalogues
    said "Territoire", and which one a page showed depended on the order of the catalogues."""
    import re

    text = french_po.read_text(encoding="utf-8")
    for msgid, msgstr in re.findall(r'^msgid "(scope|Scopes?)"\nmsgstr "([^"]*)"', text, flags=re.MULTILINE):
        assert msgstr.lower().startswith("périmètre"), (msgid, msgstr)
