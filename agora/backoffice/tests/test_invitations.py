from django.core import mail

from agora.accounts.models import Invitation


def test_org_admin_sends_an_invitation_with_a_personal_link(client, organization, org_admin):
    client.force_login(org_admin)
    response = client.post("/admin/invitations/", {"email": "Nouvelle@Example.org"}, follow=True)
    assert response.status_code == 200
    invitation = Invitation.objects.get(organization=organization)
    assert invitation.email == "nouvelle@example.org"
    assert len(mail.outbox) == 1 and invitation.token in mail.outbox[0].body
    assert "nouvelle@example.org" in client.get("/admin/invitations/").content.decode()


def test_invalid_address_is_refused_with_a_message_and_nothing_sent(client, organization, org_admin):
    client.force_login(org_admin)
    response = client.post("/admin/invitations/", {"email": "not-an-address"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Invitation.objects.exists() and not mail.outbox


def test_participant_cannot_invite(client, organization, participant):
    client.force_login(participant)
    assert client.post("/admin/invitations/", {"email": "x@example.org"}).status_code == 403
    assert not Invitation.objects.exists()
