"""What other components use of the taxonomy: the picture of a category,
shown on the card of an idea, a project or a result that has no picture of
its own: the image the officer uploaded for the category, else a built-in
illustration."""

from typing import Any

from agora.core.images import Picture, picture
from agora.core.translations import translated
from agora.core.variants import variant_name
from agora.taxonomy.models import Category

# Built-in illustrations (static files, abstract shapes in the design tokens'
# colours, no text: decorative). A category always gets the same one.
ILLUSTRATIONS = 6


def illustration_path(category_id: int | None) -> str | None:
    """The static path of the illustration of the category `category_id`
    (None without a category), chosen from its id: no query."""
    if not category_id:
        return None
    return f"taxonomy/illustrations/{(int(category_id) - 1) % ILLUSTRATIONS + 1}.svg"


def category_picture(category: Any, *, wanted: int = 320) -> Picture | None:
    """The uploaded image of `category` (a Category, or any object with its
    `image` name, `image_variants` and `image_alt`, as the ideas' memo of
    terms), None when it has none: no query."""
    name = str(getattr(category, "image", "") or "")
    if not name:
        return None
    storage = Category._meta.get_field("image").storage
    return picture(
        getattr(category, "image_variants", None),
        lambda width: storage.url(variant_name(name, width) if width else name),
        alt=translated(getattr(category, "image_alt", None) or {}),
        wanted=wanted,
    )
