"""The RSS and Atom feeds of an ideas component: its published ideas that
moderation did not hide, newest first."""

from agora.components import feeds
from agora.components.proposals import selectors


class IdeasFeed(feeds.ComponentFeed):
    def items_of(self, component):
        ideas = selectors.public_proposals(component).order_by("-published_at", "-id")
        return [_with_component(idea, component) for idea in ideas[: feeds.ITEMS]]

    def item_title(self, idea):
        return idea.title

    def item_description(self, idea):
        return feeds.summary(idea.body)

    def item_pubdate(self, idea):
        return idea.published_at


def _with_component(idea, component):
    idea.component = component
    return idea
