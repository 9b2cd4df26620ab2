"""The names of a stored picture's variants (agora.core.images writes them):
`<folder>/<random>.w320.webp` for `<folder>/<random>.jpg`. Below both the
pictures and the stored files, since `agora.core.files.find_orphan_files`
keeps the variants of every stored picture by their names."""

import os
import re

VARIANT_EXTENSION = ".webp"
VARIANT_NAME = re.compile(r"^(?P<stem>.+)\.w(?P<width>\d{1,5})\.webp$")


def variant_name(name: str, width: int) -> str:
    return f"{os.path.splitext(name)[0]}.w{int(width)}{VARIANT_EXTENSION}"


def variant_names(name: str, variants: dict | None) -> list[str]:
    return [variant_name(name, width) for width, _height in (variants or {}).get("sizes", [])]


def source_stem(name: str) -> str | None:
    """The name of a stored picture without its extension, for a variant's name; None otherwise."""
    match = VARIANT_NAME.match(name)
    return match.group("stem") if match else None
