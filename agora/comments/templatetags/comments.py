from django import template
from django.utils.translation import gettext as _

from agora.comments import selectors
from agora.comments.forms import CommentForm
from agora.comments.mentions import render_body
from agora.comments.registry import adapter_for, adapter_of
from agora.core import machine_translation
from agora.permissions import can

register = template.Library()

PER_PAGE = 10


def thread_context(request, target, *, page=None, order=None) -> dict:
    adapter = adapter_of(target)
    user = request.user
    decision = can(user, "comments.create", target)
    official = bool(decision) and bool(can(user, "comments.official", target))
    # A page that read its target with selectors.with_thread_total gives the count: no query of its own.
    thread = selectors.thread_page(
        target,
        user=user,
        page=page or 1,
        per_page=PER_PAGE,
        order=order or selectors.DEFAULT_ORDER,
        total=getattr(target, "thread_total", None),
    )
    alignment = adapter.alignment_enabled(target)
    shown = [
        comment
        for root in thread.comments
        for comment in (root, *root.children)
        if not comment.is_deleted and not getattr(comment, "is_hidden", False)
    ]
    return {
        **machine_translation.show(request, shown, ("body",)),
        "request": request,
        "user": user,
        "target": target,
        "model_label": target._meta.label_lower,
        "target_url": adapter.url(target),
        "decision": decision,
        "can_comment": bool(decision),
        "can_official": official,
        "alignment_enabled": alignment,
        "max_length": adapter.max_length(target),
        "thread": thread,
        "form": CommentForm(max_length=adapter.max_length(target), alignment=alignment, official=official),
        "orders": [("oldest", _("Oldest first")), ("recent", _("Most recent first")), ("best", _("Best rated first"))],
        "next_url": request.get_full_path(),
    }


@register.inclusion_tag("comments/_thread.html", takes_context=True)
def comments_for(context, target):
    """{% load comments %}{% comments_for post %}: the paged thread of a
    commentable object with the forms to take part (no JavaScript needed;
    HTMX loads further pages in place, a small script helps with @mentions)."""
    request = context["request"]
    data = thread_context(
        request, target, page=request.GET.get("comments_page"), order=request.GET.get("comments_order")
    )
    data["csrf_token"] = context.get("csrf_token")
    return data


@register.filter
def comments_shown(target) -> bool:
    """Whether a page shows the comments of `target`: when comments are on, or
    when some were written before an officer turned them off (they stay readable).
    {% if project|comments_shown %}{% comments_for project %}{% endif %}"""
    adapter = adapter_for(target)
    if adapter is None:
        return False
    return adapter.enabled(target) or selectors.comment_count(target) > 0


@register.filter
def comment_body(comment):
    """The comment's text, escaped, with paragraphs and links on mentions."""
    return render_body(comment.body, getattr(comment, "linked_nicknames", {}))
