from django.shortcuts import render

from agora import permissions
from agora.actionlog.wording import describe_all
from agora.backoffice import selectors
from agora.components.models import Component
from agora.core import attention
from agora.web.access import backoffice_view


@backoffice_view("backoffice.access")
def dashboard(request):
    organization = request.organization
    spaces = selectors.spaces_for(request.user, organization)
    components = Component.objects.filter(space__in=spaces).select_related("space").order_by("space_id", "weight")
    log = []
    if permissions.can(request.user, "actionlog.browse", organization):
        log = describe_all(selectors.log_entries(request.user, organization)[:10])
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "bo_section": "dashboard",
            # What needs the person's attention, as each app and component declares it.
            "attention": attention.items_for(request.user, organization),
            "counts": selectors.dashboard_counts(organization),
            "my_spaces": spaces,
            "stats": selectors.component_stats(components),
            "log": log,
        },
    )
