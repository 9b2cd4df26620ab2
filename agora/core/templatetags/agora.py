import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from agora import permissions
from agora.core.icons import ICONS
from agora.core.translations import translated

register = template.Library()


@register.filter(name="t")
def translate_content(value, language=None):
    """{{ space.title|t }}: content in the current language, with fallbacks."""
    return translated(value, language)


@register.filter
def trusted_html(value):
    """{{ page.body|t|trusted_html }} for rich text that was sanitized with
    nh3 when it was saved (agora.core.sanitize); never for raw input."""
    return mark_safe(value or "")


@register.simple_tag(takes_context=True)
def can(context, action, target=None):
    """{% can "space.manage" space as decision %}{% if decision %}..."""
    return permissions.can(context["request"].user, action, target)


@register.filter
def error_summary(form):
    """Every error of `form` once, in the order of the form: [(bound field or None, message)].
    The summary's heading counts this list, so "3 errors" lists three."""
    items = [(None, error) for error in form.non_field_errors()]
    for field in form:
        items.extend((None if field.is_hidden else field, error) for error in field.errors)
    known = {field.name for field in form}
    for name, errors in form.errors.items():
        if name != "__all__" and name not in known:  # an error added for a field the form does not show
            items.extend((None, error) for error in errors)
    return items


@register.filter
def errors_summarised(form):
    """{{ form|errors_summarised }} in an error summary: the form's own
    template (core/forms/div.html) then leaves out the errors the summary
    already says, so a refusal reads once on the page. Prints nothing."""
    if form is not None and hasattr(form, "errors"):
        form.errors_summarised = True
    return ""


@register.simple_tag
def icon(name, size=""):
    """{% icon "search" %}: a Lucide icon from the site's sprite (agora.core.icons),
    hidden from assistive technologies: the text beside it says what it means.
    `size`: "large" for an empty state's picture. An unknown name is an error
    (a typo would otherwise show nothing). Each icon's markup is made once per
    process (a page shows dozens; the sprite's hashed URL is looked up in the
    static files' manifest), again after a change of the static files' settings."""
    return _icon_html(name, size == "large")


@functools.cache
def _icon_html(name: str, large: bool) -> str:
    if name not in ICONS:
        raise ValueError(f"No icon {name!r} in agora.core.icons.ICONS")
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        "icon icon-large" if large else "icon",
        static("agora/icons.svg"),
        name,
    )


@receiver(setting_changed)
def _static_settings_changed(setting, **kwargs):
    if setting in ("STATIC_URL", "STORAGES", "STATIC_ROOT"):
        _icon_html.cache_clear()
    if setting == "ROOT_URLCONF":
        _site_url.cache_clear()


@register.simple_tag
def site_url(name):
    """{% site_url "home" %}: {% url "home" %} for a page without arguments,
    looked up once per process (for each script prefix and URL
    configuration): base.html names a dozen on every page."""
    return _site_url(name, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=512)
def _site_url(name: str, prefix: str, urlconf) -> str:
    return reverse(name, urlconf=urlconf)
