"""Back-office screen of the outbox: e-mails that failed for good (or were
held after a restore), with "send again"."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agora.outbox import selectors, services
from agora.outbox.delivery import guard
from agora.outbox.models import OutgoingEmail
from agora.permissions import is_platform_admin
from agora.web.access import backoffice_view
from agora.web.views import call_service, done, paginate


def _state(request):
    state = request.GET.get("state", OutgoingEmail.State.FAILED)
    return state if state in selectors.STATES else OutgoingEmail.State.FAILED


@backoffice_view("outbox.manage")
def email_list(request):
    state = _state(request)
    emails = selectors.emails_for(request.user, request.organization, state)
    return render(
        request,
        "outbox/admin/list.html",
        {
            "bo_section": "outbox",
            "state": state,
            "page": paginate(request, emails, 50),
            "all_organizations": is_platform_admin(request.user),
            "held": guard().held,
            "states": [
                (OutgoingEmail.State.FAILED, _("Failed")),
                (OutgoingEmail.State.UNSURE, _("Possibly sent")),
                (OutgoingEmail.State.HELD, _("Held after a restore")),
                (OutgoingEmail.State.PENDING, _("Waiting to be sent")),
            ],
        },
    )


@backoffice_view("outbox.manage", post_only=True)
def retry(request, email_id):
    email = selectors.email_for(request.user, request.organization, email_id)
    if email is None:
        raise Http404
    result, response = call_service(request, services.retry, email=email, organization=request.organization)
    if response is not None:
        return response
    if result is None:  # not waiting for a retry any more: the message says so
        return redirect("outbox_admin:list")
    return done(
        request,
        _("The e-mail to %(recipient)s will be sent again.") % {"recipient": email.recipient},
        "outbox_admin:list",
    )


@backoffice_view("outbox.manage", post_only=True)
def release(request):
    """Platform admins: send or cancel the e-mails held after a restore."""
    send_held = request.POST.get("held") == "send"
    result, response = call_service(request, services.release, send_held=send_held, organization=request.organization)
    if response is not None:
        return response
    text = (
        _("The outbox is released: the held e-mails will be sent.")
        if send_held
        else _("The outbox is released: the held e-mails are cancelled.")
    )
    return done(request, text, "outbox_admin:list")
