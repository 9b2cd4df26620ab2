"""What verifications erase when a person deletes their account.

Erased: every personal value of every verification of the account, in
every organization and whatever its state: names, street, town and the
letter's code (pending letters, so the letters list and letters.csv), the
birth date, postal code and district, the hashed phone number and codes,
the identity document's names, birth date and its scan (the file itself),
the officer's free-text reason, a conflict's key. Pending and conflicting
verifications are closed. The sign-in of the identity provider (OIDC
claims) is the accounts app's (allauth's SocialAccount).

Kept: the salted identity key (`Identity`), held by the deleted account,
and the stripped rows of the verifications that hold it: one identity
verifies one account per organization, so the same person cannot verify a
second account without an officer settling the conflict. The key is an
HMAC with the organization's secret salt: it names nobody."""

from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.erasure import refresh_log_names
from agora.core.files import delete_file_after_commit
from agora.verifications.models import Verification
from agora.verifications.selectors import forget_verified


def erase_account(user) -> None:
    rows = list(Verification.objects.select_for_update().filter(user=user))
    for verification in rows:
        delete_file_after_commit(verification.document)
        verification.document = ""
        verification.data = {}
        verification.birth_date, verification.postal_code, verification.scope = None, "", None
        verification.conflict_key = ""
        verification.reason = ""
        if verification.status in (Verification.Status.PENDING, Verification.Status.CONFLICT):
            verification.status = Verification.Status.REJECTED
            verification.reason = str(_("The account was deleted."))
            verification.decided_at = timezone.now()
        verification.save()
    forget_verified(user)
    refresh_log_names(rows)
