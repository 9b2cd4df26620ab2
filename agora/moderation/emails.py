"""E-mails of moderation, sent after the transaction commits.

Bodies are plain text rendered with autoescaping ON: user-written text
(report details, a moderator's message) arrives HTML-escaped, so no mail
client can turn it into markup."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


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
        with translation.override(language or person.language or organization.default_language):
            subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            body = render_to_string(f"{template}_message.txt", {**context, "person": person})
        EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]).send()
