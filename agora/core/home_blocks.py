"""The core's kinds of home-page blocks: the hero and the free text
(registered in CoreConfig.ready; agora.core.home)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from agora.core.home import BlockKind, BlockSettings
from agora.core.translations import translated

_web_address = URLValidator(schemes=["http", "https"])


def check_link(value: str) -> None:
    """A call to action leads to a page of the site ("/processes/") or to an http(s) address."""
    if value.startswith("/") and not value.startswith("//"):
        return
    try:
        _web_address(value)
    except ValidationError:
        raise ValidationError(
            _("Enter an address that starts with “/” (a page of this site) or with “https://”."), code="link"
        ) from None


class HeroSettings(BlockSettings):
    translated = {
        "title": {"label": _("Title"), "max_length": 200, "help_text": _("Empty: the name of the organization.")},
        "text": {"label": _("Text"), "rich": True, "max_length": 5000},
        "image_alt": {
            "label": _("Description of the image"),
            "max_length": 300,
            "help_text": _("Say what the image shows, for people who cannot see it."),
        },
        "cta_label": {"label": _("Words of the button"), "max_length": 80},
    }

    def fields(self, organization):
        return {
            "cta_url": forms.CharField(
                label=_("Address of the button"),
                required=False,
                max_length=500,
                validators=[check_link],
                help_text=_(
                    "A page of this site (“/processes/”) or a full address. "
                    "Empty: no button (visitors who are not logged in are "
                    "invited to create an account)."
                ),
            )
        }

    def validate(self, values, organization):
        if values.get("cta_url") and not values.get("cta_label"):
            first = organization.languages[0]
            raise ValidationError({f"cta_label__{first}": _("Give the words of the button.")})


def render_hero(request, block, lead):
    organization = request.organization
    settings = block.settings
    text = translated(settings.get("text")) or translated(organization.description)
    return render_to_string(
        "core/home/hero.html",
        {
            "block": block,
            "lead": lead,
            "title": translated(settings.get("title")) or organization.name,
            "text": text,
            "picture": block.picture(),
            "cta_url": settings.get("cta_url", ""),
            "cta_label": translated(settings.get("cta_label")),
        },
        request=request,
    )


class TextSettings(BlockSettings):
    translated = {
        "title": {"label": _("Title"), "max_length": 200, "required": True},
        "text": {"label": _("Text"), "rich": True, "max_length": 20000, "required": True},
    }


def render_text(request, block, lead):
    text = translated(block.settings.get("text"))
    if not text:
        return ""
    return render_to_string(
        "core/home/text.html",
        {"block": block, "title": translated(block.settings.get("title")), "text": text},
        request=request,
    )


HERO = BlockKind(
    "hero",
    _("Hero banner"),
    _("The organization's title, a text, an image and a button, at the top of the page."),
    render=render_hero,
    settings=HeroSettings(),
    default_position=0,
    leads=True,
    image=True,
    repeatable=False,
)
TEXT = BlockKind(
    "text",
    _("Free text"),
    _("A title and a text written in Markdown."),
    render=render_text,
    settings=TextSettings(),
)
