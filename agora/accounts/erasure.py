"""Erasing a person's personal data everywhere it is stored, when they
delete their account.

The accounts app anonymises the User row (services.delete_account); every
app that stores something about a person registers an eraser when it loads:

    from agora.accounts import erasure

    def erase(user): ...            # inside delete_account's transaction
    erasure.register(erase)

Erasers run after the User row is anonymised (its name and e-mail are gone,
`str(user)` is "Deleted participant"), in the same transaction: an error
rolls the whole deletion back. Files are deleted once the transaction
commits (`agora.core.files.delete_file_after_commit`), so a rollback never
loses a file the database still points to. What is kept, and why, is in docs/security.md
("Personal data and account deletion")."""

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.contenttypes.models import ContentType

from agora.accounts.models import ConsentRecord
from agora.actionlog.models import ActionLog

_erasers: list = []


def register(eraser) -> None:
    if eraser not in _erasers:
        _erasers.append(eraser)


def erase_everywhere(user) -> None:
    for eraser in _erasers:
        eraser(user)


def erase_sign_in_data(user) -> None:
    """The accounts app's own eraser: second factor (secrets, recovery
    codes), identity-provider accounts (their stored claims: names,
    birth date, address of an OpenID Connect login or verification) and
    the record of consents."""
    Authenticator.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()  # its tokens go with it
    ConsentRecord.objects.filter(user=user).delete()  # the record of consents: no account, nothing to prove


def refresh_log_names(objects) -> None:
    """Action-log rows about these objects keep the name shown when they were
    written ("letter · Jeanne Martin"): write what the objects say now."""
    for obj in objects:
        ActionLog.objects.filter(
            target_type=ContentType.objects.get_for_model(type(obj)), target_id=str(obj.pk)
        ).update(target_repr=str(obj)[:300])
