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
        # A page that read its target with selectors.with_following gives the answer: no query of its own.
        "following": _following(request.user, target),
        "next_url": request.get_full_path(),
        "label": label,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


def _following(user, target) -> bool:
    known = getattr(target, "visitor_follows", None)
    return (
        bool(known)
        if known is not None and getattr(user, "is_authenticated", False)
        else selectors.is_following(user, target)
    )
