from django import template

from agora.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """{% unread_notification_count as unread %}: one indexed COUNT query."""
    request = context.get("request")
    if request is None:
        return 0
    return unread_count(request.user, getattr(request, "organization", None))
