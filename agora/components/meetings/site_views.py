"""The global agenda (/agenda/: every public meeting of every public space,
as a list, a month table or a map), its iCalendar feed (/agenda.ics), the QR
code of a registration (a signed link, for the e-mail) and the landing page
of an invitation."""

import io
from datetime import date, timedelta

import qrcode
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.components.meetings import calendars, selectors, services
from agora.components.meetings.forms import AgendaFilterForm
from agora.components.meetings.models import Invitation, Registration
from agora.permissions import deny
from agora.spaces.models import Space
from agora.web.access import refuse_public
from agora.web.views import querystring_without_page

PER_PAGE = 20
ICS_LIMIT = 2000
VIEWS = ("list", "month", "map")


def _spaces(organization):
    now = timezone.now()
    return (
        Space.objects.filter(
            organization=organization,
            published_at__isnull=False,
            published_at__lte=now,
            components__manifest_name="meetings",
        )
        .exclude(private=True, transparent=False)
        .distinct()
        .order_by("kind", "-published_at", "id")
    )


def _month_of(raw: str | None) -> date:
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return timezone.localdate().replace(day=1)


def agenda(request):
    organization = request.organization
    filters = AgendaFilterForm(request.GET or None, organization=organization, spaces=_spaces(organization))
    chosen = filters.values()
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "list"
    context = {
        "filters": filters,
        "filtered": filters.filtered or any(request.GET.get(name) for name in ("space", "start", "end")),
        "view": view,
        "query": querystring_without_page(request),
        "query_without_view": _without(request, "view", "page", "month"),
        "ics_url": reverse("meetings_site:agenda_ics")
        + ("?" + _without(request, "view", "page", "month") if request.GET else ""),
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
    }
    if view == "month":
        month = _month_of(request.GET.get("month"))
        context["month"] = selectors.month_grid(organization, month, **chosen)
    else:
        meetings = selectors.agenda_meetings(organization, **chosen)
        if view == "map":
            items = list(meetings.filter(latitude__isnull=False)[:500])
            context["map_points"] = selectors.map_points(items)
            context["meetings"] = items
        else:
            page = Paginator(meetings, PER_PAGE).get_page(request.GET.get("page"))
            context["page_obj"] = page
            context["meetings"] = list(page.object_list)
    return render(request, "meetings/agenda.html", context, status=200 if not filters.errors else 400)


def _without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def agenda_ics(request):
    organization = request.organization
    filters = AgendaFilterForm(request.GET or None, organization=organization, spaces=_spaces(organization))
    chosen = filters.values()
    if not request.GET:
        chosen["when"] = ""
    meetings = selectors.agenda_meetings(organization, **chosen)
    if chosen.get("when") != "past":
        # A feed: from a month ago onwards, in time order.
        meetings = meetings.filter(ends_at__gte=timezone.now() - timedelta(days=31)).order_by("starts_at", "id")
    return calendars.feed_response(
        meetings,
        name=_("Agenda of %(name)s") % {"name": organization.name},
        organization=organization,
        filename="agenda.ics",
        limit=ICS_LIMIT,
    )


def qr(request, token):
    """The QR code of a registration: it opens the staff's attendance page with the code filled in."""
    try:
        registration_id = signing.loads(token, salt="meetings.qr")
    except signing.BadSignature:
        raise Http404 from None
    registration = (
        Registration.objects.select_related("meeting__component__space")
        .filter(pk=registration_id, meeting__component__space__organization=request.organization)
        .first()
    )
    if registration is None:
        raise Http404
    meeting = registration.meeting
    target = request.organization.base_url.rstrip("/") + reverse(
        "meetings_admin:attendance",
        kwargs={"space_id": meeting.component.space_id, "component_id": meeting.component_id, "meeting_id": meeting.pk},
    )
    image = qrcode.make(f"{target}?code={registration.code}", box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def invitation(request, token):
    """The link of an invitation: logged in, the invitation becomes the
    person's and they land on the meeting to register; otherwise they log in
    or create an account first and come back here."""
    found = (
        Invitation.objects.select_related("meeting__component__space")
        .filter(token=token, meeting__component__space__organization=request.organization)
        .first()
    )
    if found is None:
        raise Http404
    if not request.user.is_authenticated:
        messages.info(request, _("Log in or create an account with the address the invitation was sent to."))
        return redirect(f"{reverse('account_login')}?next={request.path}")
    if found.user_id not in (None, request.user.pk):
        return refuse_public(request, deny(_("This invitation was sent to another person.")))
    services.accept_invitation(user=request.user, invitation=found)
    return redirect(found.meeting)
