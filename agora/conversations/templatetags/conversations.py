from django import template

from agora.conversations import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_conversations(context) -> int:
    request = context.get("request")
    if request is None or not request.user.is_authenticated or getattr(request, "organization", None) is None:
        return 0
    return selectors.unread_count(request.user, request.organization)


@register.simple_tag(takes_context=True)
def person_blocked(context, person) -> bool:
    return selectors.has_blocked(context["request"].user, person)
