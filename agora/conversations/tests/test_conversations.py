import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from agora.accounts.services import delete_account
from agora.actionlog.models import ActionLog
from agora.conversations import selectors, services
from agora.conversations.models import Conversation, Message, MessagingPreference, PersonBlock
from agora.moderation.limits import PostingLimitReached
from agora.notifications.models import Notification, Preference
from agora.permissions import PermissionDenied
from agora.spaces.models import Role
from agora.testing import factories

from .conftest import person


def start(client, to, body="Bonjour"):
    return client.post(reverse("conversations:start"), {"to": to, "body": body})


def test_start_from_a_profile_reply_and_read(client, organization, alice, bob, django_capture_on_commit_callbacks):
    Preference.objects.create(user=bob, organization=organization, email_frequency="immediate")
    client.force_login(alice)
    profile = client.get(reverse("accounts:profile", args=["bob"]))
    assert f"{reverse('conversations:start')}?to=bob" in profile.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, "bob", "Bonjour Bob")
    conversation = Conversation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "conversations:detail", args=[conversation.pk]
    )
    told = Notification.objects.get(event="conversations.new_message")
    assert (
        told.recipient == bob
        and told.actor == alice
        and told.url == reverse("conversations:detail", args=[conversation.pk])
    )
    assert "Bonjour Bob" not in str(told.data) + told.target_repr  # the text stays in the conversation
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [bob.email]  # bob chose e-mails at once
    assert "Bonjour Bob" not in mail.outbox[0].body
    client.force_login(bob)
    inbox = client.get(reverse("conversations:inbox"))
    assert b"unread" in inbox.content or "non lu".encode() in inbox.content
    assert selectors.unread_count(bob, organization) == 1
    page = client.get(reverse("conversations:detail", args=[conversation.pk]))
    assert "Bonjour Bob" in page.content.decode()
    assert selectors.unread_count(bob, organization) == 0
    client.post(reverse("conversations:detail", args=[conversation.pk]), {"body": "Salut Alice"})
    assert list(conversation.messages.values_list("body", flat=True)) == ["Bonjour Bob", "Salut Alice"]
    assert selectors.unread_count(alice, organization) == 1


def test_writing_again_to_the_same_person_continues_the_conversation(organization, alice, bob):
    first = services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="1")
    second = services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="2")
    assert first == second and first.messages.count() == 2
    # Every change writes its action-log row: the second message is a reply.
    verbs = list(ActionLog.objects.filter(actor=alice).order_by("id").values_list("verb", flat=True))
    assert verbs == ["conversations.started", "conversations.replied"]


def test_small_groups_have_a_size_limit(settings, client, organization, alice, bob, carol):
    settings.AGORA_CONVERSATION_MAX_PARTICIPANTS = 3
    group = services.start_conversation(
        actor=alice, organization=organization, recipients=[bob, carol], body="Conseil de quartier"
    )
    assert group.participants.count() == 3
    dave = person(organization, nickname="dave")
    with pytest.raises(PermissionDenied):
        services.start_conversation(actor=alice, organization=organization, recipients=[bob, carol, dave], body="Trop")
    client.force_login(alice)
    response = start(client, "bob carol dave")
    assert response.status_code == 200 and Conversation.objects.count() == 1


def test_nobody_else_reads_a_conversation(client, organization, alice, bob, carol, org_admin):
    conversation = services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="Secret")
    url = reverse("conversations:detail", args=[conversation.pk])
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    factories.member_of(superuser, organization)
    moderator = person(organization)
    Role.objects.create(user=moderator, organization=organization, name=Role.Name.ORGANIZATION_ADMIN)
    for outsider in (carol, org_admin, superuser, moderator):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "intrusion"}).status_code == 404
        assert client.post(reverse("conversations:leave", args=[conversation.pk])).status_code == 404
        assert b"Secret" not in client.get(reverse("conversations:inbox")).content
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    # from another organization's site
    client.force_login(alice)
    assert client.get(url, HTTP_HOST="other.example.org").status_code == 404
    assert Message.objects.count() == 1


def test_leaving(client, organization, alice, bob):
    conversation = services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="Bonjour")
    client.force_login(bob)
    assert client.get(reverse("conversations:leave", args=[conversation.pk])).status_code == 405
    client.post(reverse("conversations:leave", args=[conversation.pk]))
    assert client.get(reverse("conversations:detail", args=[conversation.pk])).status_code == 404
    # alice keeps reading, cannot reply to nobody
    assert not services_can_reply(alice, conversation)
    with pytest.raises(PermissionDenied):
        services.send_message(actor=alice, conversation=conversation, body="Tu es là ?")


def services_can_reply(user, conversation):
    from agora.permissions import can

    return bool(can(user, "conversations.reply", conversation))


def test_refusing_messages(client, organization, alice, bob, carol):
    MessagingPreference.objects.create(user=bob, accept_from=MessagingPreference.AcceptFrom.NOBODY)
    with pytest.raises(PermissionDenied):
        services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="Bonjour")
    client.force_login(alice)
    response = start(client, "bob")
    assert response.status_code == 200 and not Conversation.objects.exists()
    # only known people
    MessagingPreference.objects.filter(user=bob).update(accept_from=MessagingPreference.AcceptFrom.KNOWN)
    with pytest.raises(PermissionDenied):
        services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="Bonjour")
    services.start_conversation(actor=bob, organization=organization, recipients=[alice, carol], body="Groupe")
    services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="Bonjour")


def test_preferences_page(client, alice):
    client.force_login(alice)
    response = client.post(reverse("conversations:settings"), {"accept_from": "known"})
    assert response.status_code == 302
    assert MessagingPreference.objects.get(user=alice).accept_from == "known"
    assert client.post(reverse("conversations:settings"), {"accept_from": "nonsense"}).status_code == 200
    client.logout()
    assert client.post(reverse("conversations:settings"), {"accept_from": "nobody"}).status_code == 302
    assert MessagingPreference.objects.get(user=alice).accept_from == "known"


def test_blocking_a_person(client, organization, alice, bob):
    conversation = services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="Bonjour")
    client.force_login(bob)
    response = client.post(reverse("conversations:block", args=["alice"]))
    assert response.status_code == 302 and PersonBlock.objects.filter(blocker=bob, blocked=alice).exists()
    # alice can neither continue nor start again
    with pytest.raises(PermissionDenied):
        services.send_message(actor=alice, conversation=conversation, body="Encore")
    with pytest.raises(PermissionDenied):
        services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="Encore")
    client.force_login(alice)
    page = client.get(reverse("conversations:detail", args=[conversation.pk])).content.decode()
    assert 'name="body"' not in page
    assert client.post(reverse("conversations:detail", args=[conversation.pk]), {"body": "x"}).status_code == 200
    assert conversation.messages.count() == 1
    # bob unblocks
    client.force_login(bob)
    client.post(reverse("conversations:unblock", args=["alice"]))
    services.send_message(actor=alice, conversation=conversation, body="Merci")


def test_blocking_is_refused_to_anonymous_and_to_oneself(client, alice):
    response = client.post(reverse("conversations:block", args=["alice"]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    client.force_login(alice)
    assert client.post(reverse("conversations:block", args=["alice"])).status_code == 403
    assert client.post(reverse("conversations:block", args=["nobody-here"])).status_code == 404
    assert not PersonBlock.objects.exists()


def test_starting_is_refused_without_the_right(client, organization, alice, bob):
    # anonymous
    response = start(client, "bob")
    assert response.status_code == 302 and not Conversation.objects.exists()
    # blocked by the moderators of the organization
    from django.utils import timezone

    from agora.accounts.models import Membership

    Membership.objects.filter(user=alice).update(blocked_at=timezone.now())
    client.force_login(alice)
    assert start(client, "bob").status_code == 403
    with pytest.raises(PermissionDenied):
        services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="x")
    # writing to oneself, to someone who is not a participant of the organization
    with pytest.raises(PermissionDenied):
        services.start_conversation(actor=bob, organization=organization, recipients=[bob], body="x")
    stranger = factories.UserFactory()
    with pytest.raises(PermissionDenied):
        services.start_conversation(actor=bob, organization=organization, recipients=[stranger], body="x")
    assert not Conversation.objects.exists()


def test_a_blocked_member_cannot_reply(organization, alice, bob):
    from django.utils import timezone

    from agora.accounts.models import Membership

    conversation = services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="Bonjour")
    Membership.objects.filter(user=bob).update(blocked_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.send_message(actor=bob, conversation=conversation, body="x")


def test_deleted_accounts_stay_readable(client, organization, alice, bob, carol):
    conversation = services.start_conversation(
        actor=alice, organization=organization, recipients=[bob, carol], body="Message d'Alice"
    )
    delete_account(user=alice)
    client.force_login(bob)
    page = client.get(reverse("conversations:detail", args=[conversation.pk])).content.decode()
    assert "Message d&#x27;Alice" in page
    assert "Deleted participant" in page or "Participant supprimé" in page or "Participante supprimée" in page
    assert "alice" not in page.lower().replace("message d&#x27;alice", "")
    # the others continue; nobody can write to the deleted account
    services.send_message(actor=bob, conversation=conversation, body="On continue")
    with pytest.raises(PermissionDenied):
        services.start_conversation(actor=bob, organization=organization, recipients=[alice], body="x")


def test_messages_are_rate_limited(settings, organization, alice, bob):
    settings.AGORA_POSTING_LIMITS = {"message": [(2, 60)], "conversation": []}
    conversation = services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="1")
    services.send_message(actor=alice, conversation=conversation, body="2")
    with pytest.raises(PostingLimitReached) as raised:
        services.send_message(actor=alice, conversation=conversation, body="3")
    assert isinstance(raised.value, ValidationError)
    assert conversation.messages.count() == 2


def test_rate_limit_message_on_the_page(settings, client, organization, alice, bob):
    settings.AGORA_POSTING_LIMITS = {"message": [(1, 3600)], "conversation": []}
    conversation = services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="1")
    client.force_login(alice)
    response = client.post(reverse("conversations:detail", args=[conversation.pk]), {"body": "2"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "post again" in text or "nouveau" in text


def test_empty_and_too_long_messages(organization, alice, bob):
    with pytest.raises(ValidationError):
        services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="   ")
    with pytest.raises(ValidationError):
        services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="x" * 2001)


def test_the_action_log_holds_no_text_nor_names(organization, alice, bob):
    from agora.actionlog.models import ActionLog

    services.start_conversation(actor=alice, organization=organization, recipients=[bob], body="Très privé")
    services.block_person(actor=bob, person=alice, organization=organization)
    for row in ActionLog.objects.filter(verb__startswith="conversations."):
        assert "Très privé" not in str(row.data) and "Très privé" not in row.target_repr
        assert alice.public_name not in row.target_repr and bob.public_name not in row.target_repr


def test_inbox_queries_do_not_grow(client, organization, alice, django_assert_max_num_queries):
    for index in range(8):
        other = person(organization, nickname=f"other{index}")
        services.start_conversation(actor=other, organization=organization, recipients=[alice], body="Bonjour")
    client.force_login(alice)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("conversations:inbox"))
    assert response.content.decode().count("conversations/") >= 8
