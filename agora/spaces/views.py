from django.http import Http404
from django.shortcuts import render

from agora.core import pagecache
from agora.core.translations import translated
from agora.spaces import selectors
from agora.spaces.models import Space
from agora.web import sharing
from agora.web.access import refuse_public


def process_list(request):
    periods = selectors.processes_by_period(request.organization, request.user)
    return render(request, "spaces/process_list.html", {"periods": periods, "groups": selectors.groups_of(periods)})


def process_group_detail(request, group_id):
    """A group's page: its description and the processes of it the person may see."""
    group = selectors.process_group_for(request.organization, group_id)
    if group is None:
        raise Http404
    periods = selectors.processes_by_period(request.organization, request.user, group=group)
    return render(request, "spaces/process_group_detail.html", {"group": group, "periods": periods})


def assembly_list(request):
    return render(
        request,
        "spaces/assembly_list.html",
        {"assemblies": selectors.assemblies(request.organization, request.user)},
    )


def _space_page(request, kind, slug, template):
    with pagecache.memo_scope(getattr(request, "settings_version", None)):
        return _space_page_in_scope(request, kind, slug, template)


def _space_page_in_scope(request, kind, slug, template):
    space, decision = selectors.space_for(request.user, request.organization, kind, slug)
    if space is None or (not decision and not space.is_published):
        raise Http404
    if not decision:
        return refuse_public(request, decision, space=space)
    context = {"space": space, "components": selectors.visible_components(space, request.user)}
    if kind == Space.Kind.ASSEMBLY:
        context["members"] = space.assembly_members.select_related("user")
        context["children"] = selectors.listed_spaces(request.organization, request.user, kind).filter(parent=space)
    if space.is_published and not space.private:  # a private space, even transparent, is not shared
        context.update(
            sharing.share_context(
                request,
                title=translated(space.title),
                description=translated(space.short_description) or translated(space.description),
                picture=space.hero_picture(wanted=1200),
            )
        )
    return render(request, template, context)


def process_detail(request, slug):
    return _space_page(request, Space.Kind.PROCESS, slug, "spaces/process_detail.html")


def assembly_detail(request, slug):
    return _space_page(request, Space.Kind.ASSEMBLY, slug, "spaces/assembly_detail.html")
