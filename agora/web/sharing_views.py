"""The page between a shared page and the visitor's Mastodon server."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from agora.web import sharing

MAX_TEXT = 500  # a toot


@require_GET
def share_mastodon(request):
    """GET ?instance=<server>&text=...: the link to share `text` from one's own
    server (https://<server>/share?text=...). A link to follow, not a redirect:
    the Content-Security-Policy's form-action allows only this site, and the
    visitor sees where they are going before they go."""
    text = (request.GET.get("text") or "")[:MAX_TEXT]
    instance = request.GET.get("instance") or ""
    target = sharing.mastodon_share_url(instance, text) if instance else None
    status = 400 if instance and target is None else 200
    return render(
        request,
        "web/share_mastodon.html",
        {"text": text, "instance": instance, "target": target, "invalid": status == 400},
        status=status,
    )
