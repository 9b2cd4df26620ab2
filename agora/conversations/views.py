"""Pages of private conversations. Every page is for its participants only:
anyone else gets a 404, whatever their role."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agora.accounts.models import User
from agora.conversations import selectors, services
from agora.conversations.forms import MessageForm, PreferencesForm, StartForm
from agora.conversations.models import MessagingPreference
from agora.permissions import PermissionDenied, can

MESSAGES_PER_PAGE = 50


def _render_refusal(request, decision):
    return render(request, "conversations/refused.html", {"decision": decision}, status=403)


@login_required
def inbox(request):
    conversations = Paginator(selectors.inbox(request.user, request.organization), 25).get_page(request.GET.get("page"))
    return render(request, "conversations/inbox.html", {"page": conversations})


@login_required
@require_http_methods(["GET", "POST"])
def start(request):
    decision = can(request.user, "participate", request.organization)
    if not decision:
        return _render_refusal(request, decision)
    initial = {"to": request.GET.get("to", "")}
    form = StartForm(request.POST or None, initial=initial, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.start_conversation(
                actor=request.user,
                organization=request.organization,
                recipients=form.cleaned_data["to"],
                body=form.cleaned_data["body"],
            )
        except PermissionDenied as refusal:
            form.add_error("to", refusal.decision.reason)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("conversations:detail", conversation.pk)
    return render(request, "conversations/start.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, conversation_id):
    conversation = selectors.conversation_for(request.user, request.organization, conversation_id)
    form = MessageForm(request.POST or None)
    reply_decision = can(request.user, "conversations.reply", conversation)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.send_message(actor=request.user, conversation=conversation, body=form.cleaned_data["body"])
            except PermissionDenied as refusal:
                form.add_error(None, refusal.decision.reason)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(reverse("conversations:detail", args=[conversation.pk]) + "#latest")
    else:
        services.mark_read(actor=request.user, conversation=conversation)
    all_messages = selectors.messages_of(conversation)
    paginator = Paginator(all_messages, MESSAGES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    participants = list(selectors.participants_of(conversation))
    return render(
        request,
        "conversations/detail.html",
        {
            "conversation": conversation,
            "page": page,
            "form": form,
            "reply_decision": reply_decision,
            "others": [p for p in participants if p.user_id != request.user.pk],
        },
    )


@login_required
@require_POST
def leave(request, conversation_id):
    conversation = selectors.conversation_for(request.user, request.organization, conversation_id)
    services.leave_conversation(actor=request.user, conversation=conversation)
    messages.success(request, _("You left the conversation."))
    return redirect("conversations:inbox")


def _person(nickname):
    person = User.objects.filter(nickname__iexact=nickname).first()
    if person is None:
        raise Http404
    return person


@login_required
@require_POST
def block(request, nickname):
    person = _person(nickname)
    try:
        services.block_person(actor=request.user, person=person, organization=request.organization)
    except PermissionDenied as refusal:
        return _render_refusal(request, refusal.decision)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("%(name)s can no longer write to you.") % {"name": person.public_name})
    return redirect("conversations:settings")


@login_required
@require_POST
def unblock(request, nickname):
    person = _person(nickname)
    try:
        services.unblock_person(actor=request.user, person=person, organization=request.organization)
    except PermissionDenied as refusal:
        return _render_refusal(request, refusal.decision)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("%(name)s can write to you again.") % {"name": person.public_name})
    return redirect("conversations:settings")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = (
        MessagingPreference.objects.filter(user=request.user).values_list("accept_from", flat=True).first()
        or MessagingPreference.AcceptFrom.EVERYONE
    )
    form = PreferencesForm(request.POST or None, initial={"accept_from": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_preferences(
                actor=request.user, accept_from=form.cleaned_data["accept_from"], organization=request.organization
            )
        except PermissionDenied as refusal:
            return _render_refusal(request, refusal.decision)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message settings are saved."))
            return redirect("conversations:settings")
    return render(
        request,
        "conversations/settings.html",
        {
            "form": form,
            "blocked": selectors.blocked_people(request.user),
        },
    )
