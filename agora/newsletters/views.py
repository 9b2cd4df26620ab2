"""Public pages of newsletters: the archive of sent newsletters and the
one-click unsubscribe (no log-in)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from agora.accounts.services import withdraw_newsletter_consent
from agora.core.translations import translated
from agora.newsletters import rendering, selectors
from agora.newsletters.links import read_unsubscribe_token
from agora.web.views import paginate


def archive(request):
    newsletters = selectors.archive(request.organization)
    return render(request, "newsletters/archive.html", {"page": paginate(request, newsletters, 20)})


def detail(request, newsletter_id):
    newsletter = selectors.archived(request.organization, newsletter_id)
    if newsletter is None:
        raise Http404
    language = get_language() or request.organization.default_language
    return render(
        request,
        "newsletters/detail.html",
        {
            "newsletter": newsletter,
            "subject": translated(newsletter.subject, language),
            "parts": rendering.parts(newsletter, language),
        },
    )


# One-click unsubscribe (RFC 8058): the mail client posts "List-Unsubscribe=One-Click"
# to the link without a session or a CSRF token; the signed token is the permission.
# A GET (a person following the link, or a scanner opening it) only asks to confirm.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    parsed = read_unsubscribe_token(token)
    if parsed is None or parsed[1] != request.organization.pk:
        return render(request, "newsletters/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        withdraw_newsletter_consent(user_id=parsed[0], organization=request.organization)
        return render(request, "newsletters/unsubscribe.html", {"done": True})
    return render(request, "newsletters/unsubscribe.html", {"token": token})
