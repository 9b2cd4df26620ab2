"""What pages need to know about the logged-in person (agora.visitor): one
query per page, the same answers as the models say, and fresh answers
wherever a write may depend on them."""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agora import visitor
from agora.testing import factories
from agora.testing.query_counts import busy_participant

FACTS = (
    "accounts.participation",
    "accounts.totp",
    "spaces.roles",
    "desk.agent",
    "notifications.unread",
    "conversations.unread",
    "verifications.attributes",
)


@pytest.fixture
def busy(organization):
    return busy_participant(organization)


def read_all(user, organization):
    return {name: visitor.read(user, organization, name) for name in FACTS}


def test_every_app_registers_its_fact():
    assert set(FACTS) <= set(visitor.registered())


def test_a_page_reads_every_fact_in_one_query(busy, organization):
    organization.staff_mfa_required = True  # the second factor is asked too
    with visitor.page_scope():
        with CaptureQueriesContext(connection) as queries:
            on_the_page = read_all(busy, organization)
            again = read_all(busy, organization)
    assert len(queries) == 1
    assert on_the_page == again == read_all(busy, organization)  # the same as each fact read alone


def test_the_facts_say_what_the_models_say(busy, organization, other_organization):
    from agora.conversations.selectors import inbox
    from agora.desk.models import DeskAgent
    from agora.notifications.models import Notification
    from agora.spaces.models import Role

    process = factories.SpaceFactory(organization=organization)
    Role.objects.create(user=busy, organization=organization, space=process, name=Role.Name.MODERATOR)
    Role.objects.create(user=busy, organization=other_organization, name=Role.Name.ORGANIZATION_ADMIN)
    DeskAgent.objects.create(organization=organization, user=busy)
    facts = read_all(busy, organization)
    email_verified, terms = facts["accounts.participation"]
    assert email_verified and not terms.needs_acceptance and not terms.blocked
    assert facts["spaces.roles"] == {("moderator", process.pk)}  # not the other organization's
    assert facts["desk.agent"] is True and facts["accounts.totp"] is False
    assert (
        facts["notifications.unread"]
        == Notification.objects.filter(recipient=busy, organization=organization, read_at__isnull=True).count()
        == 3
    )
    assert facts["conversations.unread"] == sum(1 for c in inbox(busy, organization) if c.unread) == 1
    attributes = facts["verifications.attributes"]
    assert attributes.methods == {"census", "sms"} and attributes.birth_date == date(1980, 5, 4)
    assert attributes.postal_code == "41000" and attributes.scope_id == busy.busy_scope.pk


def test_a_newcomer_blocked_with_older_terms_and_no_confirmed_email(organization):
    from allauth.account.models import EmailAddress

    from agora.verifications.selectors import NOTHING_VERIFIED

    person = factories.UserFactory()
    membership = factories.member_of(person, organization)
    membership.blocked_at = timezone.now()
    membership.save()
    factories.TermsVersionFactory(organization=organization, version=2)
    EmailAddress.objects.filter(user=person).update(verified=False)
    email_verified, terms = visitor.read(person, organization, "accounts.participation")
    assert not email_verified and terms.blocked and terms.needs_acceptance
    assert (terms.current_version, terms.accepted_version) == (2, 1)
    stranger = factories.UserFactory()  # no membership here
    _email, terms = visitor.read(stranger, organization, "accounts.participation")
    assert terms.accepted_version == 0 and not terms.blocked
    facts = read_all(stranger, organization)
    assert facts["spaces.roles"] == set() and facts["desk.agent"] is False
    assert facts["notifications.unread"] == facts["conversations.unread"] == 0
    assert facts["verifications.attributes"] == NOTHING_VERIFIED


def test_the_latest_verification_wins(organization):
    from agora.verifications.models import Verification

    person = factories.UserFactory()
    now = timezone.now()
    for method, code, decided in (
        ("census", "41000", now - timedelta(days=2)),
        ("letter", "41200", now),
        ("document", "41100", now - timedelta(days=1)),
    ):
        Verification.objects.create(
            organization=organization,
            user=person,
            method=method,
            postal_code=code,
            status=Verification.Status.ACTIVE,
            decided_at=decided,
        )
    Verification.objects.create(
        organization=organization,
        user=person,
        method="sms",
        postal_code="99999",
        status=Verification.Status.REVOKED,
        decided_at=now + timedelta(days=1),
    )
    attributes = visitor.read(person, organization, "verifications.attributes")
    assert attributes.postal_code == "41200" and attributes.methods == {"census", "letter", "document"}


def test_outside_a_page_each_read_asks_again(busy, organization):
    from agora.notifications.models import Notification

    assert visitor.read(busy, organization, "notifications.unread") == 3
    Notification.objects.filter(recipient=busy).update(read_at=timezone.now())
    assert visitor.read(busy, organization, "notifications.unread") == 0


def test_inside_a_write_transaction_a_page_asks_again(busy, organization):
    from agora.notifications.models import Notification

    with visitor.page_scope():
        assert visitor.read(busy, organization, "notifications.unread") == 3
        with transaction.atomic():
            Notification.objects.filter(recipient=busy).update(read_at=timezone.now())
            assert visitor.read(busy, organization, "notifications.unread") == 0
        visitor.forget(busy)
        assert visitor.read(busy, organization, "notifications.unread") == 0


def test_a_page_that_reads_a_conversation_shows_the_count_after_reading(client, busy, organization, settings):
    from agora.conversations.models import Conversation

    conversation = Conversation.objects.get(participants__user=busy)
    client.force_login(busy)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "1 unread" in client.get(reverse("conversations:inbox")).content.decode()
    page = client.get(reverse("conversations:detail", args=[conversation.pk])).content.decode()
    assert "Bonjour" in page and "1 unread" not in page  # the menu counts after the page marked it read


def test_marking_notifications_read_is_seen_by_the_same_page(busy, organization):
    from agora.notifications import services

    with visitor.page_scope():
        assert visitor.read(busy, organization, "notifications.unread") == 3
        services.mark_all_read(user=busy, organization=organization)
        assert visitor.read(busy, organization, "notifications.unread") == 0
