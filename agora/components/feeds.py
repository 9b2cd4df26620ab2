"""RSS and Atom feeds of a component's public resources (news, ideas,
meetings), on django.contrib.syndication.

A component's `feeds.py` subclasses `ComponentFeed` with `items_of(component)`
(public resources only: published, not hidden, newest first) and the item
methods; `urls(feed)` gives its two URLs, "feed/" (RSS 2.0) and "feed/atom/".
A feed exists only for a public component (published, in a public space):
feeds are read by programs that never log in, and are copied around."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agora.components.access import component_view
from agora.core.translations import translated
from agora.web.sharing import Feed as FeedLink
from agora.web.sharing import plain_description

ITEMS = 30


class ComponentFeed(Feed):
    def items_of(self, component) -> list:
        raise NotImplementedError

    def get_object(self, request, *args, **kwargs):
        component = request.component
        if not component.is_public:
            raise Http404
        return component

    def title(self, component):
        return f"{component} — {translated(component.space.title)} — {component.space.organization.name}"

    def link(self, component):
        return component.get_absolute_url()

    def description(self, component):
        return _("The latest of “%(name)s”.") % {"name": component}

    def items(self, component):
        return self.items_of(component)[:ITEMS]

    def item_link(self, item):
        return item.get_absolute_url()

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = get_language()
        return feed


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self, component):
        return self.description(component)


def urls(feed_class) -> list:
    """The RSS and Atom URLs of a component's feed (names "feed" and "feed_atom")."""
    atom_class = type(f"{feed_class.__name__}Atom", (AtomMixin, feed_class), {})
    return [
        path("feed/", _view(feed_class), name="feed"),
        path("feed/atom/", _view(atom_class), name="feed_atom"),
    ]


def _view(feed_class):
    """A new feed object per request (Feed keeps state on itself), behind the component's checks."""

    def view(request):
        return feed_class()(request)

    view.__name__ = f"{feed_class.__name__.lower()}_view"
    return component_view(view)


def links(component, namespace: str) -> dict:
    """{"feeds": [...]} for the <link rel="alternate"> of a component's pages (public components only)."""
    if not component.is_public:
        return {}
    kwargs = component.url_kwargs()
    return {
        "feeds": [
            FeedLink(f"{component} (RSS)", reverse(f"{namespace}:feed", kwargs=kwargs), "rss"),
            FeedLink(f"{component} (Atom)", reverse(f"{namespace}:feed_atom", kwargs=kwargs), "atom"),
        ]
    }


def summary(text: str) -> str:
    return plain_description(text, 500)
