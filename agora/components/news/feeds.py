"""The RSS and Atom feeds of a news component: its published posts."""

from agora.components import feeds
from agora.components.news import selectors
from agora.core.translations import translated


class NewsFeed(feeds.ComponentFeed):
    def items_of(self, component):
        return selectors.public_posts(component)

    def item_title(self, post):
        return translated(post.title)

    def item_description(self, post):
        return feeds.summary(translated(post.body))

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated_at
