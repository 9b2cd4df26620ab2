"""What follows erase when a person deletes their account: what they
followed, and who followed them."""

from django.contrib.contenttypes.models import ContentType

from agora.follows.models import Follow


def erase_account(user) -> None:
    Follow.objects.filter(user=user).delete()
    Follow.objects.filter(content_type=ContentType.objects.get_for_model(type(user)), object_id=user.pk).delete()
