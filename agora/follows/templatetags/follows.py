from django import template

from agora.follows import registry, selectors

register = template.Library()


@register.inclusion_tag("follows/_button.html", takes_context=True)
def follow_button(context, target, label=""):
    """{% load follows %}{% follow_button space %}: a POST form (CSRF, no
    JavaScript needed) to follow or stop following `target`. Shown to
    logged-in people only; anonymous visitors get a log-in link."""
    request = context["request"]
    return {
        "target": target,
        "model_label": registry.label_of(target),
        "following": selectors.is_following(request.user, target),
        "next_url": request.get_full_path(),
        "label": label,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
