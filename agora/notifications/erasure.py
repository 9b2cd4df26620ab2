"""What notifications erase when a person deletes their account: their own
notifications and preferences, and their name in other people's
notifications about them (the text was copied when each was written)."""

from django.contrib.contenttypes.models import ContentType

from agora.notifications.models import Notification, Preference


def erase_account(user) -> None:
    Notification.objects.filter(recipient=user).delete()
    Preference.objects.filter(user=user).delete()
    Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(type(user)), target_id=str(user.pk)
    ).update(target_repr=str(user)[:300])
