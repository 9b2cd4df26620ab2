from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from agora.taxonomy.api import illustration_path

register = template.Library()


@register.simple_tag
def category_illustration(category_id, media=True):
    """The card's media for a resource without a picture of its own: its
    category's illustration, decorative (empty alt, hidden from assistive
    technologies). Nothing without a category. media=False: the <img> alone."""
    path = illustration_path(category_id)
    if path is None:
        return ""
    image = format_html(
        '<img class="card-picture card-illustration" src="{}" alt="" aria-hidden="true" width="480" '
        'height="320" loading="lazy" decoding="async">',
        static(path),
    )
    return format_html('<div class="card-media" aria-hidden="true">{}</div>', image) if media else image
