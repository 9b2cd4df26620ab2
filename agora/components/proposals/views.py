"""Public pages of a proposals component: list, map, idea page, embed,
the idea form (draft, similar ideas, publish), edit, withdraw, supports."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora import permissions
from agora.components import feeds
from agora.components.access import component_context, component_view
from agora.components.proposals import api, rules, selectors, services
from agora.components.proposals import cards as card_cache
from agora.components.proposals.forms import FilterForm, ProposalForm
from agora.components.proposals.models import Proposal
from agora.components.proposals.support_blocks import SupportBlocks
from agora.core import machine_translation, pagecache
from agora.core.files import file_response, private_file_response
from agora.core.images import variant_name
from agora.core.pagecache import cached_public_page
from agora.moderation.limits import PostingLimitReached
from agora.permissions import PermissionDenied
from agora.web import sharing
from agora.web.access import refuse_public

SEED_KEY = "proposals_seed"


def _seed(request) -> int:
    seed = request.session.get(SEED_KEY)
    if not isinstance(seed, int):
        seed = secrets.randbelow(1_000_000)
        request.session[SEED_KEY] = seed
    return seed


def _base_url(request) -> str:
    # E-mail links: the organization's one address (Organization.base_url).
    return request.organization.base_url


def _filters(request):
    component = request.component
    form = FilterForm(request.GET, component=component, user=request.user)
    filters = form.filters()
    order = filters.get("order") or component.settings_of().default_order
    seed = _seed(request) if order == "random" else 0
    return form, filters, seed


def _participation_context(request):
    component, user = request.component, request.user
    mode = selectors.supports_mode(component)
    return {
        "supports_mode": mode,
        "supports": selectors.supports_summary(user, component) if mode != "hidden" else None,
        "support_decision": permissions.component_action(user, component, "support") if mode == "enabled" else None,
        "threshold": component.settings_of().support_threshold,
    }


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _list_vary(request) -> str | None:
    """What a list page depends on beyond its URL, for the page cache: the
    visitor's seed when the page may be in random order (None: no seed yet,
    the view gives one). Read without the filter form, whose choices cost
    queries: with a random default order any URL may fall back to it (an
    invalid filter), so the seed is part of the key."""
    default = request.component.settings_of().default_order
    if default != "random" and request.GET.get("order") != "random":
        return "ordered"
    seed = request.session.get(SEED_KEY)
    return f"seed={seed}" if isinstance(seed, int) else None


def _cached_list_page(request, render):
    vary = _list_vary(request)
    if vary is None:
        return render(request)
    return pagecache.page(request, vary, lambda: render(request))


@component_view
def index(request):
    return _cached_list_page(request, _index_page)


def _index_page(request):
    component, user = request.component, request.user
    form, filters, seed = _filters(request)
    page, cards = selectors.list_page(
        component,
        user,
        filters=filters,
        seed=seed,
        number=request.GET.get("page"),
        per_page=component.settings_of().per_page,
        version=request.content_version,
    )
    supported = {proposal.pk for proposal in cards if proposal.visitor_supports}
    participation = _participation_context(request)
    blocks = SupportBlocks({**participation, "supported": supported, "component": component, "request": request})
    card_cache.attach_card_html(
        cards, organization=request.organization, supports_mode=selectors.supports_mode(component), visitor=blocks
    )
    return render(
        request,
        "proposals/index.html",
        component_context(
            request,
            page_obj=page,
            proposals=cards,
            filter_form=form,
            supported=supported,
            create_decision=permissions.can(user, "proposals.create", component),
            has_draft=user.is_authenticated and rules.visitor_counts(user, component)["draft"] is not None,
            proposals_left=selectors.proposals_left(user, component),
            query=_query_without_page(request),
            view="list",
            **participation,
            **feeds.links(component, "proposals"),
        ),
    )


@component_view
def map_view(request):
    return _cached_list_page(request, _map_page)


def _map_page(request):
    component = request.component
    form, filters, seed = _filters(request)
    proposals = selectors.proposals_for_list(component, request.user, filters=filters, seed=seed)
    layers = [{"name": str(layer), "geojson": layer.geojson} for layer in selectors.map_layers(component)]
    points = selectors.map_points(proposals)
    for point in points:
        point["url"] = f"{component.get_absolute_url()}{point['id']}/"
    return render(
        request,
        "proposals/map.html",
        component_context(
            request,
            filter_form=form,
            points=points,
            layers=layers,
            query=_query_without_page(request),
            view="map",
            tiles_url=settings.MAP_TILES_URL,
            tiles_attribution=settings.MAP_TILES_ATTRIBUTION,
        ),
    )


def _load(request, proposal_id, *, page: bool = False):
    proposal = selectors.proposal_for(request.component, request.user, proposal_id, page=page)
    if proposal is None:
        raise Http404
    return proposal


@component_view
@cached_public_page
def detail(request, proposal_id):
    component, user = request.component, request.user
    proposal = _load(request, proposal_id, page=True)
    if proposal.is_draft:
        return redirect("proposals:preview", **component.url_kwargs(), proposal_id=proposal.pk)
    if proposal.is_hidden:
        # Nothing of the idea (title, address, fields, files, conversation):
        # moderators read it in the back-office.
        return render(request, "proposals/hidden.html", component_context(request, proposal=proposal))
    context = _participation_context(request)
    context.update(machine_translation.show(request, [proposal], ("title", "body")))
    attachments = list(proposal.attachments.all())
    pictures = [each for each in attachments if each.is_image]
    return render(
        request,
        "proposals/detail.html",
        component_context(
            request,
            proposal=proposal,
            custom_values=selectors.custom_values_for(proposal, user),
            pictures=pictures,
            documents=[each for each in attachments if not each.is_image],
            is_supported=proposal.visitor_supports,
            edit_decision=permissions.can(user, "proposals.edit", proposal),
            withdraw_decision=permissions.can(user, "proposals.withdraw", proposal),
            **sharing.share_context(
                request,
                title=proposal.title,
                description=proposal.body,
                picture=pictures[0].picture(wanted=1200) if pictures else None,
                url=proposal.get_absolute_url(),
                embed_url=f"{proposal.get_absolute_url()}embed/",
            ),
            mentions=api.mentions_of(proposal, user),
            tiles_url=settings.MAP_TILES_URL,
            tiles_attribution=settings.MAP_TILES_ATTRIBUTION,
            **context,
        ),
    )


@component_view
def attachment(request, proposal_id, attachment_id):
    """An attachment, after the permission check (attachments are private
    files: a draft's or a hidden idea's have no public address)."""
    proposal = _load(request, proposal_id)
    if not permissions.can(request.user, "proposals.view_attachments", proposal):
        raise Http404
    found = next((each for each in proposal.attachments.all() if each.pk == attachment_id), None)
    if found is None:
        raise Http404
    return private_file_response(found.file, title=found.title)


@component_view
def attachment_variant(request, proposal_id, attachment_id, width):
    """A smaller copy of a picture (agora.core.images), for cards and the
    gallery: a private file, served after the same check as the picture (a
    draft's only to its author, a hidden idea's only to its author and the
    moderators)."""
    proposal = _load(request, proposal_id)
    if not permissions.can(request.user, "proposals.view_attachments", proposal):
        raise Http404
    found = next((each for each in proposal.attachments.all() if each.pk == attachment_id), None)
    if found is None or not found.is_image or width not in {w for w, _h in found.variants.get("sizes", [])}:
        raise Http404
    return file_response(found.file.storage, variant_name(found.file.name, width), title=found.title, private=True)


# --- filing ---------------------------------------------------------------------------------


def _form_page(request, form, proposal=None):
    return render(
        request,
        "proposals/form.html",
        component_context(
            request,
            form=form,
            proposal=proposal,
            tiles_url=settings.MAP_TILES_URL,
            tiles_attribution=settings.MAP_TILES_ATTRIBUTION,
        ),
        status=400 if form.is_bound and form.errors else 200,
    )


@component_view
def create(request):
    component, user = request.component, request.user
    official = request.POST.get("official") == "on" if request.method == "POST" else False
    decision = permissions.can(user, "proposals.create_official" if official else "proposals.create", component)
    if not decision and not permissions.can(user, "proposals.create_official", component):
        return refuse_public(request, decision)
    draft = selectors.my_draft(component, user)
    if draft is not None and request.method != "POST":
        messages.info(request, _("You have a draft idea: finish it or change it before filing another one."))
        return redirect("proposals:edit", **component.url_kwargs(), proposal_id=draft.pk)
    form = ProposalForm(request.POST or None, request.FILES or None, component=component, user=user)
    if request.method == "POST" and form.is_valid():
        not_located = form.locate(request.organization)
        try:
            # Filed by a desk agent acting for the person (agora.desk): the "desk" channel.
            channel = Proposal.Channel.DESK if getattr(request, "desk_agent", None) else Proposal.Channel.ONLINE
            proposal = services.create_draft(
                actor=user,
                component=component,
                official=form.cleaned_data.get("official", False),
                channel=channel,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as refusal:
            return refuse_public(request, refusal.decision)
        else:
            messages.success(request, _("Your draft is saved. Check it, then publish it."))
            if not_located:
                messages.warning(request, not_located)
            return redirect("proposals:preview", **component.url_kwargs(), proposal_id=proposal.pk)
    return _form_page(request, form)


@component_view
def edit(request, proposal_id):
    component, user = request.component, request.user
    proposal = _load(request, proposal_id)
    decision = permissions.can(user, "proposals.edit", proposal)
    if not decision:
        return refuse_public(request, decision)
    form = ProposalForm(request.POST or None, request.FILES or None, component=component, user=user, instance=proposal)
    if request.method == "POST" and form.is_valid():
        service = services.update_draft if proposal.is_draft else services.edit
        not_located = form.locate(request.organization)
        try:
            service(
                actor=user,
                proposal=proposal,
                remove_attachments=form.cleaned_data.get("remove_attachments"),
                picture_descriptions=form.picture_descriptions(),
                **form.service_kwargs(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as refusal:
            return refuse_public(request, refusal.decision)
        else:
            if not_located:
                messages.warning(request, not_located)
            if proposal.is_draft:
                messages.success(request, _("Your draft is saved. Check it, then publish it."))
                return redirect("proposals:preview", **component.url_kwargs(), proposal_id=proposal.pk)
            messages.success(request, _("Your idea is updated."))
            return redirect(proposal.get_absolute_url())
    return _form_page(request, form, proposal)


@component_view
def preview(request, proposal_id):
    """The draft as it will look, the similar ideas already filed, and the publish button."""
    component, user = request.component, request.user
    proposal = _load(request, proposal_id)
    if not proposal.is_draft:
        return redirect(proposal.get_absolute_url())
    similar = selectors.similar_proposals(component, title=proposal.title, body=proposal.body, exclude_id=proposal.pk)
    return render(
        request,
        "proposals/preview.html",
        component_context(
            request,
            proposal=proposal,
            similar=similar,
            custom_values=selectors.custom_values_for(proposal, user),
            supported=selectors.supported_ids(user, [p.pk for p in similar]),
            publish_decision=permissions.can(user, "proposals.publish", proposal),
            **_participation_context(request),
        ),
    )


@require_POST
@component_view
def publish(request, proposal_id):
    proposal = _load(request, proposal_id)
    try:
        proposal = services.publish(actor=request.user, proposal=proposal, base_url=_base_url(request))
    except PermissionDenied as refusal:
        return refuse_public(request, refusal.decision)
    except PostingLimitReached as limited:
        return refuse_public(request, permissions.deny(limited.messages[0]), status=429)
    messages.success(request, _("Your idea is published. A confirmation has been sent by e-mail."))
    return redirect(proposal.get_absolute_url())


@component_view
def withdraw(request, proposal_id):
    proposal = _load(request, proposal_id)
    decision = permissions.can(request.user, "proposals.withdraw", proposal)
    if not decision:
        return refuse_public(request, decision)
    if request.method == "POST":
        try:
            services.withdraw(actor=request.user, proposal=proposal)
        except PermissionDenied as refusal:
            return refuse_public(request, refusal.decision)
        messages.success(request, _("Your idea is withdrawn. It stays visible under “Withdrawn ideas”."))
        return redirect(proposal.get_absolute_url())
    return render(request, "proposals/withdraw.html", component_context(request, proposal=proposal))


def _back(request, proposal):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(proposal.get_absolute_url())


@require_POST
@component_view
def support(request, proposal_id):
    proposal = _load(request, proposal_id)
    try:
        services.support(actor=request.user, proposal=proposal)
    except PermissionDenied as refusal:
        return refuse_public(request, refusal.decision)
    messages.success(request, _("You support “%(title)s”.") % {"title": proposal.title})
    return _back(request, proposal)


@require_POST
@component_view
def unsupport(request, proposal_id):
    proposal = _load(request, proposal_id)
    try:
        services.unsupport(actor=request.user, proposal=proposal)
    except PermissionDenied as refusal:
        return refuse_public(request, refusal.decision)
    messages.success(request, _("You no longer support “%(title)s”.") % {"title": proposal.title})
    return _back(request, proposal)
