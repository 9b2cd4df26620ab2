"""French punctuation spacing in Agora's own sentences (the French catalogues).

French puts a no-break space before ":" and a narrow no-break space before
";", "!", "?" and "%", and inside « guillemets », so that a line never starts
with the punctuation mark. The spaces are written in the catalogues, where
Agora's sentences are (numbers and amounts get theirs from agora.core.formats);
nothing is added to what people type.

`make messages` runs `manage.py french_typography`, which fixes the catalogues;
a test fails when a French catalogue has a breakable space there.
"""

import re
from pathlib import Path
from typing import cast

NBSP, NNBSP = "\u00a0", "\u202f"

_RULES = (
    (re.compile(r" +:"), NBSP + ":"),
    (re.compile(r" +([;!?])"), NNBSP + r"\1"),
    (re.compile(r" +%%"), NNBSP + "%%"),  # "80 %%" in a python-format string
    (re.compile(r"« +"), "«" + NNBSP),
    (re.compile(r" +»"), NNBSP + "»"),
)
_BREAKABLE = re.compile(r" [:;!?»]| %%|« ")


def french(text: str) -> str:
    """`text` with no-break spaces where French typography wants them."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def breakable_spaces(text: str) -> bool:
    return bool(_BREAKABLE.search(text))


# --- catalogues ---------------------------------------------------------------------
# A minimal .po reader: only the translations that change are written back (one line
# each); every other line of the file, msgids included, is kept as it was.

_FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$')


def _unescape(text: str) -> str:
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def _fields(lines: list[str]) -> list[list] | None:
    """[[field, raw text, [line numbers]]] of an entry; None for an obsolete or malformed block."""
    fields: list[list] = []
    for number, line in enumerate(lines):
        match = _FIELD.match(line)
        if match:
            fields.append([match.group(1), match.group(2), [number]])
        elif line.startswith('"') and fields:
            fields[-1][1] += line[1:-1]
            fields[-1][2].append(number)
        elif line and not line.startswith("#") or line.startswith("#~"):
            return None
    return fields or None


def fix_catalogue(path: Path, *, write: bool = True) -> list[str]:
    """The msgids whose French translation had breakable spaces (fixed when `write`)."""
    lines: list[str | None] = list(Path(path).read_text(encoding="utf-8").split("\n"))
    fixed, start = [], 0
    while start < len(lines):
        end = start
        while end < len(lines) and lines[end] != "":
            end += 1
        fields = _fields(cast(list[str], lines[start:end]))  # the Nones are behind, in entries already fixed
        if fields:
            texts = {name: _unescape(raw) for name, raw, _numbers in fields}
            if texts.get("msgid") and any(
                name.startswith("msgstr") and breakable_spaces(text) for name, text in texts.items()
            ):
                fixed.append(texts["msgid"])
                for name, _raw, numbers in fields:
                    if name.startswith("msgstr") and breakable_spaces(texts[name]):
                        lines[start + numbers[0]] = f'{name} "{_escape(french(texts[name]))}"'
                        for number in numbers[1:]:
                            lines[start + number] = None
        start = end + 1
    if write and fixed:
        Path(path).write_text("\n".join(line for line in lines if line is not None), encoding="utf-8")
    return fixed


def french_catalogues(root: Path) -> list[Path]:
    return sorted(path for path in Path(root).glob("**/locale/fr/LC_MESSAGES/django.po") if ".venv" not in path.parts)
