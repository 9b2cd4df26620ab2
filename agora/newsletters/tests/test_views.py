"""The back-office screens (refused to anyone but the organization's
administrators), the public archive and the one-click unsubscribe."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agora.accounts.models import Membership
from agora.newsletters import sending
from agora.newsletters.links import unsubscribe_token
from agora.newsletters.models import Block, Newsletter, Recipient
from agora.outbox.models import OutgoingEmail
from agora.spaces.models import Role
from agora.testing import factories

from .conftest import opted_in


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


def _screens(newsletter):
    block = newsletter.blocks.first()
    n = {"newsletter_id": newsletter.pk}
    return [
        ("GET", reverse("newsletters_admin:index")),
        ("GET", reverse("newsletters_admin:create")),
        ("POST", reverse("newsletters_admin:create")),
        ("GET", reverse("newsletters_admin:detail", kwargs=n)),
        ("GET", reverse("newsletters_admin:edit", kwargs=n)),
        ("POST", reverse("newsletters_admin:edit", kwargs=n)),
        ("GET", reverse("newsletters_admin:delete", kwargs=n)),
        ("POST", reverse("newsletters_admin:delete", kwargs=n)),
        ("GET", reverse("newsletters_admin:audience", kwargs=n)),
        ("POST", reverse("newsletters_admin:audience", kwargs=n)),
        ("GET", reverse("newsletters_admin:preview", kwargs={**n, "language": "fr"})),
        ("POST", reverse("newsletters_admin:test", kwargs=n)),
        ("GET", reverse("newsletters_admin:send", kwargs=n)),
        ("POST", reverse("newsletters_admin:send", kwargs=n)),
        ("POST", reverse("newsletters_admin:unschedule", kwargs=n)),
        ("GET", reverse("newsletters_admin:resend", kwargs=n)),
        ("POST", reverse("newsletters_admin:resend", kwargs=n)),
        ("GET", reverse("newsletters_admin:blocks", kwargs=n)),
        ("GET", reverse("newsletters_admin:block_create", kwargs=n)),
        ("POST", reverse("newsletters_admin:block_create", kwargs=n)),
        ("GET", reverse("newsletters_admin:block_edit", kwargs={**n, "block_id": block.pk})),
        ("POST", reverse("newsletters_admin:block_edit", kwargs={**n, "block_id": block.pk})),
        ("POST", reverse("newsletters_admin:block_delete", kwargs={**n, "block_id": block.pk})),
        ("POST", reverse("newsletters_admin:block_move", kwargs={**n, "block_id": block.pk})),
    ]


@pytest.fixture
def moderator(organization, process):
    user = factories.UserFactory()
    factories.member_of(user, organization)
    Role.objects.create(user=user, organization=organization, space=process, name=Role.Name.MODERATOR)
    return user


@pytest.mark.parametrize("who", ["space_admin", "moderator", "participant"])
def test_every_screen_refuses_staff_without_the_right(client, request, draft, who, person):
    person()
    client.force_login(request.getfixturevalue(who))
    for method, url in _screens(draft):
        data = {"subject__fr": "Piraté", "kind": "text", "text__fr": "x", "direction": "down"}
        response = client.get(url) if method == "GET" else client.post(url, data)
        assert response.status_code == 403, (method, url)
    draft.refresh_from_db()
    assert draft.status == Newsletter.Status.DRAFT and draft.subject["fr"] == "Les nouvelles de juin"
    assert draft.blocks.count() == 2 and Newsletter.objects.count() == 1 and not mail.outbox


def test_anonymous_visitors_go_to_log_in(client, draft):
    for method, url in _screens(draft):
        response = client.get(url) if method == "GET" else client.post(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url


def test_another_organizations_newsletter_is_not_found(client, admin, other_organization):
    foreign = Newsletter.objects.create(organization=other_organization, subject={"fr": "Ailleurs"})
    client.force_login(admin)
    assert client.get(reverse("newsletters_admin:detail", kwargs={"newsletter_id": foreign.pk})).status_code == 404


def test_compose_audience_preview_test_and_send(client, organization, admin, process, person):
    client.force_login(admin)
    client.cookies["agora_language"] = "en"
    readers = [person(language="en"), person()]
    person(opted=False)
    response = client.post(
        reverse("newsletters_admin:create"), {"subject__fr": "Lettre de juillet", "subject__en": "July letter"}
    )
    newsletter = Newsletter.objects.get()
    assert response.status_code == 302
    n = {"newsletter_id": newsletter.pk}
    blocks_url = reverse("newsletters_admin:block_create", kwargs=n)
    assert (
        client.post(blocks_url, {"kind": "text", "text__fr": "**Bonjour**", "text__en": "**Hello**"}).status_code == 302
    )
    # An image needs its description.
    image = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    refused = client.post(blocks_url, {"kind": "image", "image": image})
    assert refused.status_code == 200 and "Describe the image" in refused.content.decode()
    image = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    assert (
        client.post(
            blocks_url, {"kind": "image", "image": image, "image_alt__fr": "Le parc", "image_alt__en": "The park"}
        ).status_code
        == 302
    )
    assert (
        client.post(blocks_url, {"kind": "button", "label__fr": "Voter", "url": "javascript:alert(1)"}).status_code
        == 200
    )
    assert (
        client.post(
            blocks_url, {"kind": "button", "label__fr": "Voter", "label__en": "Vote", "url": "/processes/"}
        ).status_code
        == 302
    )
    assert (
        client.post(blocks_url, {"kind": "spaces", "label__fr": "En cours", "spaces": [process.pk]}).status_code == 302
    )
    assert list(newsletter.blocks.values_list("kind", flat=True)) == ["text", "image", "button", "spaces"]
    assert newsletter.blocks.get(kind="text").text["fr"] == "<p><strong>Bonjour</strong></p>"

    page = client.get(reverse("newsletters_admin:preview", kwargs={**n, "language": "en"})).content.decode()
    assert "<strong>Hello</strong>" in page and 'alt="The park"' in page and "July letter" in page
    assert 'src="/media/newsletters/' in page  # from the site itself (its CSP), absolute only in the e-mail

    audience = client.get(reverse("newsletters_admin:audience", kwargs=n)).content.decode()
    assert "The saved audience reaches 2 people now." in audience
    detail = client.get(reverse("newsletters_admin:detail", kwargs=n)).content.decode()
    assert "2 recipients" in detail

    assert client.post(reverse("newsletters_admin:test", kwargs=n)).status_code == 302
    assert {message.to[0] for message in mail.outbox} == {admin.email}
    mail.outbox.clear()

    confirm = client.get(reverse("newsletters_admin:send", kwargs=n))
    assert confirm.status_code == 200
    assert client.post(reverse("newsletters_admin:send", kwargs=n), {"when": ""}).status_code == 302
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT
    assert sorted(message.to[0] for message in mail.outbox) == sorted(user.email for user in readers)
    english = next(message for message in mail.outbox if message.to[0] == readers[0].email)
    assert english.subject == "July letter" and 'alt="The park"' in english.alternatives[0][0]
    assert 'src="http://testserver/media/newsletters/' in english.alternatives[0][0]
    assert ">Vote</a>" in english.alternatives[0][0] and "Vote: http://testserver/processes/" in english.body
    progress = client.get(reverse("newsletters_admin:detail", kwargs=n)).content.decode()
    assert 'id="newsletter-progress"' in progress


def test_bad_input_comes_back_with_messages(client, admin, draft):
    client.force_login(admin)
    assert client.post(reverse("newsletters_admin:create"), {"subject__fr": ""}).status_code == 400
    n = {"newsletter_id": draft.pk}
    response = client.post(reverse("newsletters_admin:send", kwargs=n), {"when": "2001-01-01T10:00"})
    assert response.status_code == 400
    assert Newsletter.objects.get(pk=draft.pk).status == Newsletter.Status.DRAFT
    response = client.post(reverse("newsletters_admin:audience", kwargs=n), {"genders": ["robot"]})
    assert response.status_code == 400


def test_archive_shows_sent_newsletters_only(client, organization, admin, draft, person):
    person()
    sent = Newsletter.objects.create(organization=organization, subject={"fr": "Déjà partie", "en": "Already sent"})
    Block.objects.create(newsletter=sent, kind=Block.Kind.TEXT, position=1, text={"fr": "<p>Le contenu</p>"})
    Newsletter.objects.filter(pk=sent.pk).update(status=Newsletter.Status.SENDING)
    sending.send(sent.pk)
    archive = client.get(reverse("newsletters:archive")).content.decode()
    assert "Déjà partie" in archive and "Les nouvelles de juin" not in archive
    page = client.get(reverse("newsletters:detail", kwargs={"newsletter_id": sent.pk}))
    assert page.status_code == 200 and "Le contenu" in page.content.decode()
    assert client.get(reverse("newsletters:detail", kwargs={"newsletter_id": draft.pk})).status_code == 404


def test_the_officer_sends_again_to_those_it_was_possibly_sent_to(client, organization, admin, draft, person):
    first, second = person(), person()
    client.force_login(admin)
    client.post(reverse("newsletters_admin:send", kwargs={"newsletter_id": draft.pk}), {"when": ""})
    assert len(mail.outbox) == 2
    # As a worker killed while the relay had the second person's e-mail leaves it.
    row = Recipient.objects.get(newsletter=draft, user=second).email
    OutgoingEmail.objects.filter(pk=row.pk).update(state=OutgoingEmail.State.UNSURE)
    detail = reverse("newsletters_admin:detail", kwargs={"newsletter_id": draft.pk})
    resend = reverse("newsletters_admin:resend", kwargs={"newsletter_id": draft.pk})
    html = client.get(detail).content.decode()
    assert "Peut-être envoyés" in html and resend in html
    confirm = client.get(resend).content.decode()
    assert "la lettre lui a peut-être été envoyée." in confirm and "seconde copie" in confirm
    response = client.post(resend, follow=True)
    assert "La lettre va être renvoyée à 1 personne." in response.content.decode()
    assert [message.to[0] for message in mail.outbox] == [first.email, second.email, second.email]
    assert OutgoingEmail.objects.get(pk=row.pk).state == OutgoingEmail.State.SENT
    # Nothing left: the page says so, nothing is sent.
    response = client.post(resend, follow=True)
    assert "Il ne reste personne" in response.content.decode() and len(mail.outbox) == 3


def test_one_click_unsubscribe_without_logging_in(client, organization, participant):
    opted_in(participant, organization)
    url = reverse("newsletters:unsubscribe", kwargs={"token": unsubscribe_token(participant.pk, organization.pk)})
    page = client.get(url)
    assert page.status_code == 200
    assert Membership.objects.get(user=participant).newsletter_consent_at is not None  # a GET changes nothing
    # What a mail client posts (RFC 8058): no session, no CSRF token.
    client.handler.enforce_csrf_checks = True
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Membership.objects.get(user=participant).newsletter_consent_at is None


def test_a_forged_or_foreign_link_unsubscribes_nobody(client, organization, other_organization, participant):
    opted_in(participant, organization)
    for token in ("forged", unsubscribe_token(participant.pk, other_organization.pk)):
        response = client.post(reverse("newsletters:unsubscribe", kwargs={"token": token}))
        assert response.status_code == 404
    assert Membership.objects.get(user=participant).newsletter_consent_at is not None


def test_an_upcoming_debate_is_announced_from_the_debates_manifest(client, organization, admin, draft, process):
    """The block "upcoming" offers what the components' manifests declare (debates opening on a date to come)."""
    from datetime import timedelta

    from django.utils import timezone

    from agora.components.debates.models import Debate

    client.force_login(admin)
    client.cookies["agora_language"] = "en"
    component = factories.ComponentFactory(space=process, manifest_name="debates")
    soon = Debate.objects.create(
        component=component,
        title={"fr": "Quelle place pour les vélos ?", "en": "What room for bikes?"},
        starts_at=timezone.now() + timedelta(days=5),
    )
    Debate.objects.create(
        component=component, title={"fr": "Déjà ouvert"}, starts_at=timezone.now() - timedelta(days=1)
    )
    private = factories.SpaceFactory(organization=organization, private=True)
    hidden = Debate.objects.create(
        component=factories.ComponentFactory(space=private, manifest_name="debates"),
        title={"fr": "Entre membres"},
        starts_at=timezone.now() + timedelta(days=5),
    )
    n = {"newsletter_id": draft.pk}
    form = client.get(reverse("newsletters_admin:block_create", kwargs=n)).content.decode()
    assert "What room for bikes?" in form and "Déjà ouvert" not in form and "Entre membres" not in form
    url = reverse("newsletters_admin:block_create", kwargs=n)
    refused = client.post(url, {"kind": "upcoming", "items": [f"debates.Debate:{hidden.pk}"]})
    assert refused.status_code == 200 and draft.blocks.count() == 2
    response = client.post(url, {"kind": "upcoming", "label__en": "Coming up", "items": [f"debates.Debate:{soon.pk}"]})
    assert response.status_code == 302
    block = draft.blocks.get(kind="upcoming")
    assert [item["key"] for item in block.items] == [f"debates.Debate:{soon.pk}"]
    page = client.get(reverse("newsletters_admin:preview", kwargs={**n, "language": "en"})).content.decode()
    assert "Coming up" in page and "What room for bikes?" in page and soon.get_absolute_url() in page


def test_a_newsletter_for_private_members_stays_out_of_the_archive(client, organization, admin, person):
    from agora.spaces.models import SpaceMember

    private = factories.SpaceFactory(organization=organization, private=True)
    SpaceMember.objects.create(space=private, user=person())
    members = Newsletter.objects.create(
        organization=organization, subject={"fr": "Entre membres"}, audience={"private_members": [private.pk]}
    )
    Block.objects.create(newsletter=members, kind=Block.Kind.TEXT, position=1, text={"fr": "<p>Confidentiel</p>"})
    Newsletter.objects.filter(pk=members.pk).update(status=Newsletter.Status.SENDING)
    sending.send(members.pk)
    assert Newsletter.objects.get(pk=members.pk).status == Newsletter.Status.SENT and len(mail.outbox) == 1
    assert "Entre membres" not in client.get(reverse("newsletters:archive")).content.decode()
    assert client.get(reverse("newsletters:detail", kwargs={"newsletter_id": members.pk})).status_code == 404
