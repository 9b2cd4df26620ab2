"""Back-office screens of newsletters (/admin/newsletters/): the list, a
newsletter's page (audience and its count, preview per language, test,
sending and its progress), its blocks (an ordered list), its audience."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agora.core.richtext import html_to_markdown
from agora.core.translations import translated
from agora.newsletters import audiences, rendering, selectors, sending, services
from agora.newsletters.forms import AudienceForm, BlockForm, NewsletterForm, SendForm
from agora.newsletters.models import Block, Newsletter
from agora.web.access import backoffice_view
from agora.web.ordered_list import Column, Labels, OrderedList
from agora.web.views import call_service, done, paginate

SECTION = "newsletters"


def _context(request, **extra) -> dict:
    return {"bo_section": SECTION, **extra}


@backoffice_view("newsletters.manage")
def index(request):
    newsletters = selectors.newsletters_of(request.organization)
    return render(request, "newsletters/admin/index.html", _context(request, page=paginate(request, newsletters, 25)))


@backoffice_view("newsletters.manage")
def create(request):
    form = NewsletterForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        newsletter, response = call_service(
            request,
            services.create_newsletter,
            form=form,
            organization=request.organization,
            subject=form.translated_value("subject"),
        )
        if response is not None:
            return response
        if newsletter is not None:
            return done(
                request, _("The newsletter is started: add its blocks."), "newsletters_admin:blocks", newsletter.pk
            )
    return render(
        request,
        "newsletters/admin/form.html",
        _context(request, form=form, heading=_("New newsletter")),
        status=400 if form.errors else 200,
    )


@backoffice_view("newsletters.manage", target="newsletter")
def detail(request, newsletter_id):
    newsletter = request.newsletter
    listed = newsletter.status in (Newsletter.Status.SENDING, Newsletter.Status.SENT)
    return render(
        request,
        "newsletters/admin/detail.html",
        _context(
            request,
            newsletter=newsletter,
            blocks=list(newsletter.blocks.all()),
            audience=selectors.describe_audience(newsletter.organization, newsletter.audience),
            count=newsletter.recipient_count
            if listed
            else audiences.count(newsletter.organization, newsletter.audience),
            progress=sending.progress(newsletter) if listed else None,
            languages=request.organization.language_choices,
            send_form=SendForm(),
        ),
    )


@backoffice_view("newsletters.manage", target="newsletter")
def edit(request, newsletter_id):
    newsletter = request.newsletter
    form = NewsletterForm(request.POST or None, instance=newsletter, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        result, response = call_service(
            request,
            services.update_newsletter,
            form=form,
            newsletter=newsletter,
            subject=form.translated_value("subject"),
        )
        if response is not None:
            return response
        if result is not None:
            return done(request, _("Saved."), "newsletters_admin:detail", newsletter.pk)
    return render(
        request,
        "newsletters/admin/form.html",
        _context(request, form=form, newsletter=newsletter, heading=_("Edit the subject")),
        status=400 if form.errors else 200,
    )


@backoffice_view("newsletters.manage", target="newsletter")
def delete(request, newsletter_id):
    newsletter = request.newsletter
    if request.method == "POST":
        result, response = call_service(request, services.delete_newsletter, newsletter=newsletter)
        if response is not None:
            return response
        if result is not None:
            return done(request, _("The draft is deleted."), "newsletters_admin:index")
        return redirect("newsletters_admin:detail", newsletter.pk)
    return render(request, "newsletters/admin/delete.html", _context(request, newsletter=newsletter))


@backoffice_view("newsletters.manage", target="newsletter")
def audience(request, newsletter_id):
    newsletter = request.newsletter
    form = AudienceForm(
        request.POST or None,
        organization=request.organization,
        initial=AudienceForm.initial_from(newsletter.audience),
    )
    if request.method == "POST" and form.is_valid():
        result, response = call_service(
            request, services.set_audience, form=form, newsletter=newsletter, audience=form.audience()
        )
        if response is not None:
            return response
        if result is not None:
            return done(request, _("The audience is saved."), "newsletters_admin:detail", newsletter.pk)
    return render(
        request,
        "newsletters/admin/audience.html",
        _context(
            request,
            newsletter=newsletter,
            form=form,
            count=audiences.count(newsletter.organization, newsletter.audience),
            everyone=audiences.opted_in(newsletter.organization).count(),
        ),
        status=400 if form.errors else 200,
    )


@backoffice_view("newsletters.manage", target="newsletter")
def preview(request, newsletter_id, language):
    newsletter = request.newsletter
    if language not in request.organization.languages:
        raise Http404
    return render(
        request,
        "newsletters/admin/preview.html",
        _context(
            request,
            newsletter=newsletter,
            language=language,
            subject=translated(newsletter.subject, language),
            parts=rendering.parts(newsletter, language),
            languages=request.organization.language_choices,
        ),
    )


@backoffice_view("newsletters.manage", target="newsletter", post_only=True)
def test(request, newsletter_id):
    rows, response = call_service(request, services.send_test, newsletter=request.newsletter)
    if response is not None:
        return response
    if rows:
        messages.success(request, _("A test is on its way to %(address)s.") % {"address": request.user.email})
    return redirect("newsletters_admin:detail", newsletter_id)


@backoffice_view("newsletters.manage", target="newsletter")
def send(request, newsletter_id):
    newsletter = request.newsletter
    form = SendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, response = call_service(
            request, services.send, form=form, newsletter=newsletter, when=form.cleaned_data["when"]
        )
        if response is not None:
            return response
        if result is not None:
            text = (
                _("The newsletter is scheduled.")
                if result.status == Newsletter.Status.SCHEDULED
                else _("The newsletter is being sent: its progress is shown below.")
            )
            return done(request, text, "newsletters_admin:detail", newsletter.pk)
    return render(
        request,
        "newsletters/admin/send.html",
        _context(
            request,
            newsletter=newsletter,
            form=form,
            count=audiences.count(newsletter.organization, newsletter.audience),
            audience=selectors.describe_audience(newsletter.organization, newsletter.audience),
        ),
        status=400 if form.errors else 200,
    )


@backoffice_view("newsletters.manage", target="newsletter", post_only=True)
def unschedule(request, newsletter_id):
    result, response = call_service(request, services.cancel_schedule, newsletter=request.newsletter)
    if response is not None:
        return response
    if result is not None:
        messages.success(request, _("The sending is cancelled: the newsletter is a draft again."))
    return redirect("newsletters_admin:detail", newsletter_id)


@backoffice_view("newsletters.manage", target="newsletter")
def resend(request, newsletter_id):
    """Send again to the people the newsletter was possibly sent to (a
    confirmation first: some of them will receive it twice)."""
    newsletter = request.newsletter
    if request.method == "POST":
        count, response = call_service(request, services.resend_possibly_sent, newsletter=newsletter)
        if response is not None:
            return response
        if count:
            text = ngettext(
                "The newsletter will be sent again to %(n)s person.",
                "The newsletter will be sent again to %(n)s people.",
                count,
            ) % {"n": count}
            return done(request, text, "newsletters_admin:detail", newsletter.pk)
        return redirect("newsletters_admin:detail", newsletter.pk)
    progress = sending.progress(newsletter) if newsletter.recipients_listed else None
    return render(
        request,
        "newsletters/admin/resend.html",
        _context(request, newsletter=newsletter, unsure=progress["unsure"] if progress else 0),
    )


def _block_summary(block: Block) -> str:
    if block.kind == Block.Kind.TEXT:
        return html_to_markdown(translated(block.text))[:80]
    if block.kind == Block.Kind.IMAGE:
        return translated(block.image_alt)
    if block.kind == Block.Kind.BUTTON:
        return f"{translated(block.text)} → {block.url}"
    if block.kind == Block.Kind.UPCOMING:
        return ", ".join(translated(item.get("title")) for item in block.items)
    return ", ".join(translated(space.title) for space in block.spaces.all())


class BlockList(OrderedList):
    namespace, prefix, id_kwarg = "newsletters_admin", "<int:newsletter_id>/blocks/", "block_id"
    names = {
        "list": "blocks",
        "create": "block_create",
        "edit": "block_edit",
        "delete": "block_delete",
        "move": "block_move",
    }
    action, target = "newsletters.manage", "newsletter"
    bo_section = SECTION
    form_class = BlockForm
    columns = (
        Column(gettext_lazy("Block"), lambda block: block.get_kind_display()),
        Column(gettext_lazy("Content"), _block_summary),
    )
    labels = Labels(
        title=gettext_lazy("Blocks of the newsletter"),
        new=gettext_lazy("New block"),
        edit=gettext_lazy("Edit the block “%(title)s”"),
        delete=gettext_lazy("Delete the block “%(title)s”?"),
        caption=gettext_lazy("Blocks, in the order of the newsletter"),
        empty=gettext_lazy("No block yet: start with a text."),
    )
    templates = {"list": "newsletters/admin/blocks.html"}

    def queryset(self, request):
        return request.newsletter.blocks.prefetch_related("spaces").order_by("position", "pk")

    def new_instance(self, request):
        return Block(newsletter=request.newsletter)

    def context(self, request, **extra) -> dict:
        return {"newsletter": request.newsletter, **extra}

    def _fields(self, form) -> dict:
        return {
            "kind": form.cleaned_data["kind"],
            "text": form.text_value(),
            "url": form.cleaned_data.get("url") or "",
            "image": form.image_change(),
            "image_alt": form.translated_value("image_alt"),
            "spaces": list(form.cleaned_data.get("spaces") or []),
            "items": list(form.cleaned_data.get("items") or []),
        }

    def create(self, request, form):
        return services.save_block(actor=request.user, newsletter=request.newsletter, **self._fields(form))

    def update(self, request, item, form):
        return services.save_block(actor=request.user, newsletter=request.newsletter, block=item, **self._fields(form))

    def delete(self, request, item):
        services.delete_block(actor=request.user, block=item)

    def move(self, request, item, direction):
        services.move_block(actor=request.user, block=item, direction=direction)


BLOCKS = BlockList()
