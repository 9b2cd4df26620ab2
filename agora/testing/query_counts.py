"""For the tests that pin the SQL queries of pages (docs/proposals.md,
"Queries per page"): a participant in the middle of a vote, and the queries
of one page.

`busy_participant` is a member who accepted the current terms, with a
confirmed e-mail, two active verifications, unread notifications and an
unread private message; `follow` and `gate` add follows and the eligibility
rules of a component's actions (which the person meets); the components' own
rows (supports, a draft, a ballot) are added by each test."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agora.conversations.models import Conversation, Message, Participant
from agora.core import pagecache
from agora.follows.services import add_follow
from agora.notifications.models import Notification
from agora.testing import factories
from agora.verifications.models import EligibilityRule, EnabledMethod, Verification


def page_queries(client, url, *, cold=False, between=None) -> tuple[int, list[str]]:
    """(status, the SQL of the queries) of a GET of `url` after one that
    warmed the process's memo (agora.core.pagecache.memo) and the caches;
    `cold`: after a change of settings (a component, a phase, a category:
    both versions move, every memo and cached page is stale); `between`: a
    function called between the two GETs (a support, a comment)."""
    client.get(url)
    if cold:
        pagecache.bump_version()
    if between is not None:
        between()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, [query["sql"] for query in captured.captured_queries]


def busy_participant(organization):
    person = factories.UserFactory()
    factories.member_of(person, organization)
    scope = factories.ScopeFactory(organization=organization)
    for method in ("census", "sms"):
        EnabledMethod.objects.get_or_create(organization=organization, method=method)
    now = timezone.now()
    Verification.objects.create(
        organization=organization,
        user=person,
        method="census",
        status=Verification.Status.ACTIVE,
        birth_date=date(1980, 5, 4),
        postal_code="41000",
        scope=scope,
        decided_at=now,
    )
    Verification.objects.create(
        organization=organization, user=person, method="sms", status=Verification.Status.ACTIVE, decided_at=now
    )
    other = factories.UserFactory()
    factories.member_of(other, organization)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=person,
                organization=organization,
                event="follows.new_follower",
                actor=other,
                read_at=None if n % 2 else now,
            )
            for n in range(6)
        ]
    )
    conversation = Conversation.objects.create(organization=organization, started_by=other, last_message_at=now)
    Participant.objects.create(conversation=conversation, user=person)
    Participant.objects.create(conversation=conversation, user=other, last_read_at=now)
    Message.objects.create(conversation=conversation, author=other, body="Bonjour !")
    person.busy_scope = scope
    return person


def follow(person, *targets):
    for target in targets:
        add_follow(user=person, target=target)


def gate(component, *actions, min_age=18, methods=("census",)):
    """Eligibility rules the busy participant meets (so the pages show the buttons)."""
    for action in actions:
        EligibilityRule.objects.update_or_create(
            component=component, action=action, defaults={"methods": list(methods), "min_age": min_age}
        )
