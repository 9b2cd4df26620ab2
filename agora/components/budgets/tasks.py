"""Background tasks of the budgets component (django-tasks)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_receipt_task(ballot_id: int, language: str, changed: bool) -> bool:
    """The confirmation e-mail: the receipt code, never the choices."""
    from agora.components.budgets.models import Ballot

    ballot = Ballot.objects.select_related("budget__component__space__organization", "voter").filter(
        pk=ballot_id).first()
    if ballot is None or ballot.voter is None or not ballot.voter.email or ballot.voter.is_deleted:
        return False
    budget = ballot.budget
    organization = budget.component.space.organization
    with translation.override(language or organization.languages[0]):
        context = {"ballot": ballot, "budget": budget, "organization": organization, "changed": changed,
                   "space": budget.component.space,
                   "check_url": organization.base_url + budget.get_receipt_check_url()}
        subject = render_to_string("budgets/email/receipt_subject.txt", context).strip()
        body = render_to_string("budgets/email/receipt.txt", context)
    send_mail(subject, body, getattr(organization, "from_email", "") or settings.DEFAULT_FROM_EMAIL,
              [ballot.voter.email])
    return True
