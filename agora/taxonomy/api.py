"""What other components use of the taxonomy: the default illustration of a
category, shown on the card of an idea or a project that has no picture of
its own."""

# Built-in illustrations (static files, abstract shapes in the design tokens'
# colours, no text: decorative). A category always gets the same one.
ILLUSTRATIONS = 6


def illustration_path(category_id: int | None) -> str | None:
    """The static path of the illustration of the category `category_id`
    (None without a category), chosen from its id: no query."""
    if not category_id:
        return None
    return f"taxonomy/illustrations/{(int(category_id) - 1) % ILLUSTRATIONS + 1}.svg"
