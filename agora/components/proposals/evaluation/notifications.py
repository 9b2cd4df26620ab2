"""Telling an idea's author and followers that its answer or state was
published. Only PUBLISHED answers are announced (the working copy is staff's).

Through the platform's notification system (agora.notifications.services.
publish: followers of the idea + its author, each person's preferences for
e-mail); without it, by e-mail (plain text + HTML), one per person in their
language."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agora.outbox.services import new_key, queue_email

ANSWER_EVENT = "proposals.answer_published"
STATE_EVENT = "proposals.state_changed"


def _register_events():
    try:
        from agora.notifications import events
    except ImportError:  # pragma: no cover - the notification system is not installed
        return
    register = getattr(events, "register", None)
    get = getattr(events, "get", None)
    if register is None:
        return
    for name, label, message in (
        (ANSWER_EVENT, _("The city answered an idea I wrote or follow"),
         _("The city answered the idea “%(target)s”")),
        (STATE_EVENT, _("The state of an idea I wrote or follow changed"),
         _("The idea “%(target)s” is now “%(state)s”")),
    ):
        if get is None or get(name) is None:
            register(name, label=label, message=message)


_register_events()


def recipients(proposal, actor=None):
    """Active author and followers of the idea, without the person who acted."""
    from agora.accounts.models import User

    ids = set()
    if proposal.author_id:
        ids.add(proposal.author_id)
    try:
        from agora.follows.selectors import follower_ids
    except ImportError:  # pragma: no cover
        follower_ids = None
    if follower_ids is not None:
        ids |= follower_ids(proposal)
    if actor is not None and getattr(actor, "pk", None):
        ids.discard(actor.pk)
    return list(User.objects.filter(pk__in=ids, is_active=True, deleted_at__isnull=True).order_by("pk"))


def _notification_api():
    """agora.notifications.services.publish when the notification system offers it."""
    try:
        from agora.notifications import services
    except ImportError:  # pragma: no cover
        return None
    return getattr(services, "publish", None)


def answer_published(*, proposal, actor, state_changed: bool, answer_changed: bool, base_url: str = "") -> int:
    """Announce the newly published answer/state to the idea's author and
    followers. Returns how many people were handed over (to the notification
    system, which applies their preferences, or by e-mail). Call it inside
    the transaction that publishes the answer."""
    if not (state_changed or answer_changed):
        return 0
    people = recipients(proposal, actor)
    if not people:
        return 0
    event = ANSWER_EVENT if answer_changed else STATE_EVENT
    state = proposal.published_state
    publish = _notification_api()
    if publish is not None:
        publish(
            event=event, actor=actor, target=proposal,
            organization=proposal.component.space.organization, space=proposal.component.space,
            data={"state": str(state) if state else ""},
            extra_recipient_ids=[proposal.author_id] if proposal.author_id else (),
            personal_recipient_ids=[proposal.author_id] if proposal.author_id else (),
            space_followers=False, actor_followers=False,
        )
        return len(people)
    # Without the notification system: outbox e-mails of the answer's transaction.
    _send_emails(proposal, people, event, base_url)
    return len(people)


def _send_emails(proposal, people, event, base_url) -> int:
    organization = proposal.component.space.organization
    try:
        url = base_url.rstrip("/") + proposal.get_absolute_url()
    except Exception:  # noqa: BLE001 - the public page may not be mounted yet
        url = base_url
    sent = 0
    for person in people:
        language = organization.language_for(person)
        with translation.override(language):
            context = {
                "person": person, "proposal": proposal, "state": proposal.published_state,
                "answer": proposal.published_answer, "url": url, "organization": organization,
                "state_only": event == STATE_EVENT,
            }
            subject = " ".join(
                render_to_string("proposal_evaluation/email/answer_subject.txt", context).split()
            )
            body = render_to_string("proposal_evaluation/email/answer_message.txt", context)
            html = render_to_string("proposal_evaluation/email/answer_message.html", context)
        queue_email(key=new_key("proposal_evaluation.answer"), to=person.email, subject=subject, text=body,
                    html=html, organization=organization, language=language)
        sent += 1
    return sent
