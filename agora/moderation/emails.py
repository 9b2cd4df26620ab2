"""E-mails of moderation: outbox rows of the moderation's transaction.

Bodies are plain text rendered with autoescaping ON: user-written text
(report details, a moderator's message) arrives HTML-escaped, so no mail
client can turn it into markup."""

from django.template.loader import render_to_string
from django.utils import translation

from agora.outbox.services import new_key, queue_email


def base_url(organization) -> str:
    return organization.base_url


def send(*, organization, recipients, template: str, context: dict, language: str | None = None) -> None:
    """Render <template>_subject.txt and <template>_message.txt (template:
    "moderation/email/blocked") and send one e-mail per recipient (User
    objects; deleted and deactivated accounts are skipped)."""
    context = {"organization": organization, "base_url": base_url(organization), **context}
    for person in recipients:
        if person is None or person.is_deleted or not person.is_active or not person.email:
            continue
        chosen = language or organization.language_for(person)
        with translation.override(chosen):
            subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            body = render_to_string(f"{template}_message.txt", {**context, "person": person})
        kind = template.replace("/email/", ".").replace("/", ".")
        queue_email(key=new_key(kind), kind=kind, to=person.email, subject=subject, text=body,
                    organization=organization, language=chosen)
