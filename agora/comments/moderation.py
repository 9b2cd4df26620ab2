"""Comments are reportable and hideable through agora.moderation."""

from django.utils.translation import gettext_lazy as _

from agora.comments.models import Comment
from agora.moderation.registry import ReportableAdapter, register
from agora.permissions import can


def register_reportable():
    class CommentReportable(ReportableAdapter):
        label = _("comment")

        def organization(self, comment):
            return comment.organization

        def space(self, comment):
            return comment.space

        def author(self, comment):
            return comment.author

        def excerpt(self, comment):
            return comment.body[:300]

        def url(self, comment):
            return comment.get_absolute_url()

        def can_view(self, user, comment):
            return not comment.is_deleted and bool(can(user, "comments.view", comment.target))

    register(Comment, CommentReportable())
