"""The queryset methods of reportable content. A reportable model's manager
inherits them so every read says which content it shows:

    class IdeaQuerySet(ModeratedQuerySet): ...
    objects = IdeaQuerySet.as_manager()

    Idea.objects.filter(component=c).visible()          # public lists, map, search, exports
    Idea.objects.filter(pk=pk).with_hidden_flag()       # a page that says "hidden by moderation"

Both rest on agora.moderation.selectors.hidden_condition."""

from django.db import models

from agora.moderation.selectors import visible, with_hidden_flag


class ModeratedQuerySet(models.QuerySet):
    def visible(self):
        """Without the content moderation hid."""
        return visible(self)

    def with_hidden_flag(self):
        """Each row with `is_hidden` (True when moderation hid it)."""
        return with_hidden_flag(self)
