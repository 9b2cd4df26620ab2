from django.http import HttpResponse

from agora.core.richtext import markdown_to_html
from agora.web.access import backoffice_view

MAX_PREVIEW = 200_000  # characters


@backoffice_view("backoffice.access", post_only=True)
def markdown_preview(request):
    """The HTML a Markdown text will be saved as (sanitized), for the preview
    of the back-office's text fields: the same rendering as on save."""
    text = request.POST.get("text", "")[:MAX_PREVIEW]
    response = HttpResponse(markdown_to_html(text), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
