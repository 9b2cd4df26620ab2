"""The back-office screens of the home page's blocks (agora.core.home): an
ordered list (agora.web.ordered_list) of the organization's blocks, a form
per kind, enabling, previews. Organization managers only."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from agora.core import home, home_page, services
from agora.core.forms import ErrorSummaryMixin, check_image_size
from agora.core.models import HomeBlock
from agora.core.views import render_home
from agora.web.access import backoffice_view
from agora.web.ordered_list import Column, Labels, OrderedList
from agora.web.views import call_service, done


class HomeBlockForm(ErrorSummaryMixin, forms.ModelForm):
    """The form of one block: "shown on the home page", then the fields of its kind
    (agora.core.home.BlockSettings), and the picture for the kinds that have one."""

    class Meta:
        model = HomeBlock
        fields = ["is_enabled"]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.kind = home.kind_of(self.instance.kind)
        if self.kind is None:
            raise Http404
        spec = self.kind.spec
        initial = spec.data_of(self.instance.settings or {}, organization) if self.instance.settings else {}
        for name, field in spec.form_fields(organization).items():
            if self.kind.image and name == f"image_alt__{organization.languages[0]}":
                self.fields["image"] = forms.FileField(
                    label=_("Image"),
                    required=False,
                    help_text=_(
                        "JPEG, PNG, GIF or WebP; it is stored without its metadata, with smaller copies for phones."
                    ),
                    widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
                )
                if self.instance.image:
                    self.fields["image"].initial = self.instance.image
            if name in initial:
                field.initial = initial[name]
            self.fields[name] = field
        self.settings: dict = {}

    def clean_image(self):
        return check_image_size(self.cleaned_data.get("image"))

    def clean(self):
        cleaned = super().clean()
        spec = self.kind.spec
        values = spec.settings_of(cleaned, self.organization)
        try:
            spec.validate(values, self.organization)
        except ValidationError as error:
            self.add_error(None, error)
        if self.kind.image and "image" not in self.errors:
            image = cleaned.get("image")
            has_image = isinstance(image, UploadedFile) or (image is not False and bool(self.instance.image))
            if has_image and not any((values.get("image_alt") or {}).values()):
                self.add_error(
                    f"image_alt__{self.organization.languages[0]}",
                    _("Describe the image for people who cannot see it."),
                )
        self.settings = values
        return cleaned

    def image_change(self):
        """None: keep the current image; False: remove it; a file: replace it."""
        image = self.cleaned_data.get("image")
        if image is False:
            return False
        return image if isinstance(image, UploadedFile) else None


def _kind_label(block) -> str:
    kind = home.kind_of(block.kind)
    return str(kind.label) if kind else block.kind


class HomeBlockList(OrderedList):
    namespace, prefix, id_kwarg = "backoffice", "organization/home/", "block_id"
    names = {
        "list": "home_blocks",
        "create": "home_block_create",
        "edit": "home_block_edit",
        "delete": "home_block_delete",
        "move": "home_block_move",
    }
    action, target = "organization.manage", "organization"
    bo_section = "home"
    form_class = HomeBlockForm
    columns = (
        Column(_("Block"), _kind_label),
        Column(_("Title"), lambda block: str(block).partition(" — ")[2]),
        Column(_("Shown"), template="backoffice/home/_shown_cell.html"),
    )
    labels = Labels(
        title=_("Home page"),
        new=_("Add a block"),
        edit=_("Edit the block “%(title)s”"),
        delete=_("Remove the block “%(title)s” from the home page?"),
        delete_warning=_("Its settings and its image are deleted; the rest of the page stays as it is."),
        caption=_("Blocks of the home page, in the order of the page"),
        empty=_("The home page shows its default composition."),
        created=_("The block is added to the home page."),
        saved=_("The block is saved."),
        deleted=_("The block is removed from the home page."),
    )
    templates = {"list": "backoffice/home/list.html", "form": "backoffice/home/form.html"}

    def queryset(self, request):
        return home_page.saved_blocks(request.organization)

    def new_instance(self, request):
        kind = home.kind_of(request.GET.get("kind") or request.POST.get("kind") or "")
        if kind is None:
            raise Http404
        return HomeBlock(organization=request.organization, kind=kind.name, settings={})

    def create_view(self, request, **_kwargs):
        if not (request.GET.get("kind") or request.POST.get("kind")):
            return self.choose_kind(request)
        return self.form_view(request)

    def choose_kind(self, request):
        taken = set(home_page.saved_blocks(request.organization).values_list("kind", flat=True)) or {
            block.kind for block in home_page.default_blocks(request.organization)
        }
        kinds = [(kind, not kind.repeatable and kind.name in taken) for kind in home.kinds()]
        return render(
            request,
            "backoffice/home/kinds.html",
            {
                "bo_section": self.bo_section,
                "labels": self.labels,
                "kinds": kinds,
                "list_url": self.url(request, "list"),
            },
        )

    def create(self, request, form):
        return services.add_home_block(
            actor=request.user,
            organization=request.organization,
            kind=form.instance.kind,
            settings=form.settings,
            is_enabled=form.cleaned_data["is_enabled"],
            image=form.image_change() or None,
        )

    def update(self, request, item, form):
        return services.update_home_block(
            actor=request.user,
            block=item,
            settings=form.settings,
            is_enabled=form.cleaned_data["is_enabled"],
            image=form.image_change(),
        )

    def delete(self, request, item):
        services.delete_home_block(actor=request.user, block=item)

    def move(self, request, item, direction):
        services.move_home_block(actor=request.user, block=item, direction=direction)

    def context(self, request, **extra):
        if "rows" in extra and not extra["rows"]:
            extra["defaults"] = home_page.default_blocks(request.organization)
        return extra


HOME_BLOCKS = HomeBlockList()


@backoffice_view("organization.manage", post_only=True)
def compose(request):
    """Save the default composition, so that each of its blocks can be changed."""
    _result, refused = call_service(request, services.compose_home_page, organization=request.organization)
    return refused or done(
        request, _("The default blocks are saved: change them as you wish."), "backoffice:home_blocks"
    )


@backoffice_view("organization.manage", post_only=True)
def toggle(request, block_id):
    block = home_page.saved_blocks(request.organization).filter(pk=block_id).first()
    if block is None:
        raise Http404
    enabled = request.POST.get("enabled") == "1"
    _result, refused = call_service(request, services.set_home_block_enabled, block=block, enabled=enabled)
    if refused:
        return refused
    return done(
        request,
        _("The block is shown on the home page.") if enabled else _("The block is hidden from the home page."),
        reverse("backoffice:home_blocks") + f"#row-{block.pk}",
    )


@backoffice_view("organization.manage")
def preview(request, block_id=None):
    """The home page as it will look: every block, or one block (even hidden), never cached."""
    if block_id is None:
        blocks = list(home_page.saved_blocks(request.organization).filter(is_enabled=True)) or home_page.default_blocks(
            request.organization
        )
    else:
        blocks = list(home_page.saved_blocks(request.organization).filter(pk=block_id))
        if not blocks:
            raise Http404
    response = render_home(request, blocks)
    response["X-Robots-Tag"] = "noindex"
    return response


def urls() -> list:
    return [
        *HOME_BLOCKS.urls(),
        path("organization/home/compose/", compose, name="home_compose"),
        path("organization/home/preview/", preview, name="home_preview"),
        path("organization/home/<int:block_id>/preview/", preview, name="home_block_preview"),
        path("organization/home/<int:block_id>/show/", toggle, name="home_block_toggle"),
    ]
