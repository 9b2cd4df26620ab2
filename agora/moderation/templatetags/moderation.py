"""{% load moderation %}: report links and hidden content in templates.

    {% include "moderation/_report_button.html" with object=comment %}
    {% if comment|is_hidden %}{% include "moderation/_hidden.html" %}{% else %}...{% endif %}

For lists, compute the hidden ids once in the view
(agora.moderation.selectors.hidden_ids) instead of `|is_hidden` per item."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from agora.moderation import selectors
from agora.moderation.registry import is_reportable

register = template.Library()


@register.filter
def report_url(obj) -> str:
    """The report form of a reportable object ('' for anything else)."""
    if obj is None or not is_reportable(obj):
        return ""
    content_type = ContentType.objects.get_for_model(type(obj))
    return reverse("moderation:report", kwargs={"content_type_id": content_type.pk, "object_id": obj.pk})


@register.filter
def is_hidden(obj) -> bool:
    return obj is not None and selectors.is_hidden(obj)


@register.filter
def mail_text(value) -> str:
    """User-written text inside a plain-text e-mail rendered with autoescape
    off: <, > and & are escaped so no markup can form even in a client that
    shows text as HTML, while apostrophes and quotes stay readable."""
    return str(value or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
