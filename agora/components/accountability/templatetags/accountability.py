"""{% load accountability %}{% follow_up_for object %}: "what became of it"
on the page of an idea (proposals.Proposal) or of a budget project
(budgets.Project). Renders nothing when no visible follow-up result comes from it.
(Not "results": on a project's page that is its budget's count.)"""

from itertools import count

from django import template
from django.template.loader import render_to_string

from agora.components.accountability.selectors import results_from

register = template.Library()
_ids = count(1)


@register.simple_tag(takes_context=True)
def follow_up_for(context, obj):
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or user is None:
        return ""
    results = results_from(obj, user)
    if not results:
        return ""
    return render_to_string(
        "accountability/_follow_up_for.html",
        {"results": results, "uid": f"{obj._meta.model_name}-{obj.pk}"},
        request=request,
    )


@register.simple_tag(takes_context=True)
def follow_up_of(context, obj):
    """{% follow_up_of project as results %}: the follow-up results that come
    from `obj` and that the person may see (for the budgets' publication
    confirmation: what a change of winners does to the follow-up)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or user is None:
        return []
    return results_from(obj, user)
