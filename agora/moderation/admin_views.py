"""Back-office screens of moderation: queues (a space's, the organization's),
decisions on one item, blocking people, settings."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import Membership
from agora.moderation import selectors, services
from agora.moderation.forms import BlockForm, SettingsForm
from agora.moderation.models import Moderation
from agora.web.access import backoffice_view, refuse
from agora.web.views import call_service, done, paginate


def _status(request):
    status = request.GET.get("status", "pending")
    return status if status in selectors.STATUSES else "pending"


def _queue_page(request, *, space=None):
    status = _status(request)
    items = selectors.queue(request.organization, space=space, status=status)
    return render(
        request,
        "moderation/admin/queue.html",
        {
            "bo_section": "moderation",
            "tab": "moderation",
            "space": space,
            "status": status,
            "page": paginate(request, items),
            "statuses": [
                ("pending", _("Waiting for a decision")),
                ("hidden", _("Hidden")),
                ("all", _("All")),
            ],
        },
    )


@backoffice_view("moderation.organization")
def queue(request):
    """Every space and the content outside spaces (organization admins)."""
    return _queue_page(request)


@backoffice_view("moderation.manage", target="space")
def space_queue(request, space_id):
    return _queue_page(request, space=request.space)


def _item(request, moderation_id) -> Moderation:
    item = (
        Moderation.objects.select_related("space", "author", "content_type", "organization", "reviewed_by")
        .filter(pk=moderation_id, organization=request.organization)
        .first()
    )
    if item is None:
        raise Http404
    return item


def _back_to_queue(item):
    if item.space_id:
        return reverse("moderation_admin:space_queue", kwargs={"space_id": item.space_id})
    return reverse("moderation_admin:queue")


@backoffice_view("backoffice.access")
def item(request, moderation_id):
    item = _item(request, moderation_id)
    decision = permissions.can(request.user, "moderation.decide", item)
    if not decision:
        return refuse(request, decision)
    membership = None
    may_block = False
    if item.author_id:
        membership = Membership.objects.filter(user_id=item.author_id, organization=request.organization).first()
        may_block = bool(membership and permissions.can(request.user, "moderation.block", membership))
    return render(
        request,
        "moderation/admin/item.html",
        {
            "bo_section": "moderation",
            "tab": "moderation",
            "item": item,
            "reports": selectors.reports_of(item),
            "membership": membership,
            "may_block": may_block,
            "queue_url": _back_to_queue(item),
        },
    )


def _decision_view(service, success_text):
    @backoffice_view("backoffice.access", post_only=True)
    def view(request, moderation_id):
        found = _item(request, moderation_id)
        result, refused = call_service(request, service, moderation=found)
        if refused:
            return refused
        if result:
            return done(request, success_text(), "moderation_admin:item", moderation_id=found.pk)
        return redirect("moderation_admin:item", moderation_id=found.pk)

    return view


hide = _decision_view(services.hide, lambda: _("The content is hidden."))
unhide = _decision_view(services.unhide, lambda: _("The content is visible and its reports are closed."))


def _membership(request, user_id):
    membership = (
        Membership.objects.select_related("user", "organization")
        .filter(user_id=user_id, organization=request.organization)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


@backoffice_view("backoffice.access")
def block(request, user_id):
    membership = _membership(request, user_id)
    decision = permissions.can(request.user, "moderation.block", membership)
    if not decision:
        return refuse(request, decision)
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, refused = call_service(
            request, services.block_participant, form=form, membership=membership, message=form.cleaned_data["message"]
        )
        if refused:
            return refused
        if result:
            return done(
                request,
                _("%(person)s is blocked; the message was sent.") % {"person": membership.user.public_name},
                "moderation_admin:blocked",
            )
    return render(
        request,
        "moderation/admin/block.html",
        {
            "bo_section": "moderation",
            "form": form,
            "membership": membership,
            "person": membership.user,
        },
    )


@backoffice_view("backoffice.access", post_only=True)
def unblock(request, user_id):
    membership = _membership(request, user_id)
    result, refused = call_service(request, services.unblock_participant, membership=membership)
    if refused:
        return refused
    if result:
        return done(
            request, _("%(person)s is unblocked.") % {"person": membership.user.public_name}, "moderation_admin:blocked"
        )
    return redirect("moderation_admin:blocked")


@backoffice_view("moderation.organization")
def blocked(request):
    nickname = request.GET.get("nickname", "").strip().lstrip("@")
    if nickname:
        found = Membership.objects.filter(
            organization=request.organization, user__nickname__iexact=nickname, user__deleted_at__isnull=True
        ).first()
        if found:
            return redirect("moderation_admin:block", user_id=found.user_id)
    return render(
        request,
        "moderation/admin/blocked.html",
        {
            "bo_section": "moderation_blocked",
            "nickname": nickname,
            "not_found": bool(nickname),
            "page": paginate(request, selectors.blocked_memberships(request.organization)),
        },
    )


@backoffice_view("moderation.organization")
def moderation_settings(request):
    current = selectors.settings_of(request.organization)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        result, refused = call_service(
            request,
            services.update_settings,
            form=form,
            organization=request.organization,
            hide_after_reports=form.cleaned_data["hide_after_reports"],
        )
        if refused:
            return refused
        if result:
            return done(request, _("The moderation settings are saved."), "moderation_admin:settings")
    return render(
        request,
        "backoffice/form_page.html",
        {
            "bo_section": "moderation_settings",
            "form": form,
            "title": _("Moderation settings"),
            "intro": _(
                "Content reported by this number of people is hidden until a moderator decides. "
                "Moderators can hide content at any time."
            ),
        },
    )
