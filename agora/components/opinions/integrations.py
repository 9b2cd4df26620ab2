"""How the platform's moderation (agora.moderation) sees a statement of an opinion
map: the manifest names this adapter. A statement moderation hides leaves the
voting, the map and the exports: it is rejected, as an officer's rejection does
(`services.follow_moderation`), and published again if moderation shows it again."""

from django.utils.translation import gettext_lazy

from agora.components.opinions import services
from agora.moderation import registry as moderation_registry
from agora.permissions import can


class StatementReports(moderation_registry.ReportableAdapter):
    label = gettext_lazy("statement of an opinion map")

    def organization(self, statement):
        return statement.conversation.component.space.organization

    def space(self, statement):
        return statement.conversation.component.space

    def author(self, statement):
        return statement.author

    def excerpt(self, statement):
        return statement.text

    def url(self, statement):
        return statement.conversation.component.get_absolute_url()

    def can_view(self, user, statement):
        return statement.state == statement.State.PUBLISHED and bool(
            can(user, "component.view", statement.conversation.component)
        )

    def hidden_changed(self, statement, hidden):
        services.follow_moderation(statement=statement, hidden=hidden)
