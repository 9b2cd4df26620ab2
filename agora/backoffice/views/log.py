from django.shortcuts import render

from agora.actionlog.models import ActionLog
from agora.actionlog.wording import describe_all, described_verbs, verb_choices
from agora.backoffice import selectors
from agora.core.numbers import parse_id
from agora.web.access import backoffice_view
from agora.web.views import paginate


@backoffice_view("actionlog.browse")
def action_log(request):
    organization = request.organization
    spaces = selectors.spaces_for(request.user, organization)
    allowed = selectors.administered_space_ids(request.user, organization)
    if allowed is not None:
        spaces = spaces.filter(pk__in=allowed)
    space = None
    space_id = request.GET.get("space", "")
    if parse_id(space_id) is not None:
        space = spaces.filter(pk=parse_id(space_id)).first()
    verb = request.GET.get("verb", "")
    entries = selectors.log_entries(request.user, organization, space=space, verb=verb or None)
    page = paginate(request, entries, 50)
    verbs = sorted(
        set(described_verbs())
        | set(ActionLog.objects.filter(organization=organization).values_list("verb", flat=True).distinct())
    )
    return render(
        request,
        "backoffice/log.html",
        {
            "bo_section": "log",
            "page": page,
            "lines": describe_all(page),
            "spaces": spaces,
            "selected_space": space,
            "verbs": verb_choices(verbs),
            "verb": verb,
        },
    )
