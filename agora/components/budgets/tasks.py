"""The receipt e-mail of a ballot, queued in the outbox (agora.outbox) with
the ballot, in its transaction."""

from django_tasks import task

from agora.components.budgets.models import Ballot
from agora.outbox.services import email_person


def queue_receipt(ballot, *, changed: bool):
    """The confirmation e-mail: the receipt code, never the choices. One per
    version of the ballot (its key names the ballot and when it was stored)."""
    voter = ballot.voter
    if voter is None:
        return None
    budget = ballot.budget
    space = budget.component.space
    organization = space.organization
    return email_person(
        key=f"budgets.receipt:{ballot.pk}:{ballot.updated_at.isoformat()}",
        kind="budgets.receipt",
        organization=organization,
        person=voter,
        subject_template="budgets/email/receipt_subject.txt",
        text_template="budgets/email/receipt.txt",
        context={
            "ballot": ballot,
            "budget": budget,
            "changed": changed,
            "space": space,
            "check_url": organization.base_url + budget.get_receipt_check_url(),
        },
    )


@task()
def send_receipt_task(ballot_id: int, language: str, changed: bool) -> bool:
    """Receipt tasks queued before the outbox existed (an upgrade with tasks
    waiting): the receipt goes through the outbox like any other."""
    ballot = (
        Ballot.objects.select_related("budget__component__space__organization", "voter").filter(pk=ballot_id).first()
    )
    return ballot is not None and queue_receipt(ballot, changed=changed) is not None
