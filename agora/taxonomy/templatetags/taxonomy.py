from django import template
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html

from agora.taxonomy.api import category_picture, illustration_path

register = template.Library()

SIZES = "(min-width: 40em) 20rem, calc(100vw - 4rem)"


@register.simple_tag
def category_illustration(category, media=True):
    """The card's media for a resource without a picture of its own: the
    image its category's officer uploaded (with its description), else the
    category's built-in illustration (decorative: empty alt, hidden from
    assistive technologies). `category`: a Category, a term of the ideas'
    memo (with the image's name, copies and description) or an id (the
    built-in illustration only); nothing without a category. No query.
    media=False: the <img> alone."""
    if not category:
        return ""
    uploaded = category_picture(category) if not isinstance(category, int) else None
    if uploaded is not None:
        image = render_to_string(
            "core/_picture.html", {"picture": uploaded, "class": "card-picture card-illustration", "sizes": SIZES}
        )
        return format_html('<div class="card-media">{}</div>', image) if media else image
    path = illustration_path(category if isinstance(category, int) else category.pk)
    if path is None:
        return ""
    image = format_html(
        '<img class="card-picture card-illustration" src="{}" alt="" aria-hidden="true" width="480" '
        'height="320" loading="lazy" decoding="async">',
        static(path),
    )
    return format_html('<div class="card-media" aria-hidden="true">{}</div>', image) if media else image
