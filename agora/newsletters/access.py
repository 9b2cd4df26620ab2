"""The back-office target "newsletter": a newsletter of the request's
organization (404 for any other), set on `request.newsletter`."""

from django.http import Http404

from agora.newsletters.models import Newsletter


def load_newsletter_target(request, kwargs) -> Newsletter:
    newsletter = Newsletter.objects.filter(organization=request.organization, pk=kwargs.get("newsletter_id")).first()
    if newsletter is None:
        raise Http404
    request.newsletter = newsletter
    return newsletter
