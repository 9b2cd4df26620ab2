"""How the conversation layer (comments, moderation) sees a debate. The
manifest (component.py) names these adapters; the layers read them there."""

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.comments import registry as comments_registry
from agora.core.formats import long_datetime
from agora.core.translations import translated
from agora.moderation import registry as moderation_registry
from agora.permissions import can


class DebateComments(comments_registry.Commentable):
    """Comments of a debate always say for, against or neutral; they are
    taken while the debate is open (after its start, before its end, until
    it is closed with conclusions), and stay readable afterwards."""

    def authors(self, debate):
        return [debate.author] if debate.author_id and not debate.official else []

    def is_visible(self, user, debate):
        return bool(can(user, "debates.view", debate))

    def alignment_enabled(self, debate) -> bool:
        return True

    def closed_reason(self, debate) -> str:
        if debate.closed_at is not None:
            return _("This debate is closed: comments stay readable, but no new one can be added.")
        state = debate.state
        if state == debate.State.UPCOMING:
            return _("This debate opens on %(date)s.") % {"date": long_datetime(debate.starts_at)}
        if state == debate.State.CLOSED:
            return _("This debate ended on %(date)s.") % {"date": long_datetime(debate.ends_at)}
        return ""


class DebateReports(moderation_registry.ReportableAdapter):
    label = gettext_lazy("debate")

    def organization(self, debate):
        return debate.component.space.organization

    def space(self, debate):
        return debate.component.space

    def author(self, debate):
        return None if debate.official else debate.author

    def excerpt(self, debate):
        return f"{translated(debate.title)}\n\n{strip_tags(translated(debate.description))}"[:1000]

    def can_view(self, user, debate):
        return bool(can(user, "component.view", debate.component))
