"""Assisted participation: desk agents, managed participants, acting for them."""

from datetime import date

from allauth.account.models import EmailAddress
from django.core import mail

from agora.actionlog.models import ActionLog
from agora.actionlog.services import log_action
from agora.desk import services
from agora.desk.middleware import SESSION_KEY
from agora.desk.models import DeskAgent, ManagedParticipant
from agora.permissions import can
from agora.testing import factories
from agora.verifications import services as verification_services
from agora.verifications.models import Verification

PERSON = {
    "last_name": "Lefèvre",
    "first_name": "Odette",
    "birth_date": "1941-04-02",
    "postal_code": "45400",
    "public_name": "Odette L.",
    "accepted_terms": "on",
}


def test_agent_creates_a_managed_participant(client, organization, agent):
    client.force_login(agent)
    response = client.post("/admin/desk/new/", PERSON)
    assert response.status_code == 302
    managed = ManagedParticipant.objects.get(organization=organization)
    user = managed.user
    assert user.email.endswith("@managed.invalid") and not EmailAddress.objects.filter(user=user).exists()
    verification = Verification.objects.get(user=user)
    assert (verification.method, verification.status, verification.decided_by) == ("in_person", "active", agent)
    # Without e-mail, the in-person check confirms the account: the person may take part.
    assert can(user, "participate", organization)


def test_one_person_one_account_across_channels(client, organization, agent, managed, participant):
    client.force_login(agent)
    response = client.post("/admin/desk/new/", {**PERSON, "last_name": "LEFEVRE"})
    assert response.status_code == 200
    assert ManagedParticipant.objects.count() == 1
    # Online, the same identity goes to the conflicts screen instead of verifying.
    verification = verification_services.record_in_person(
        actor=agent,
        organization=organization,
        user=participant,
        last_name="Lefevre",
        first_name="Odette",
        birth_date=date(1941, 4, 2),
    )
    assert verification.status == "conflict"


def test_acting_for_a_person_swaps_the_user_and_logs_the_agent(client, organization, agent, managed, rf):
    client.force_login(agent)
    response = client.post(f"/admin/desk/people/{managed.user_id}/act/")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == managed.user_id
    page = client.get("/").content.decode()
    assert "Odette L." in page and "desk-banner" in page and "/admin/desk/stop/" in page
    # A public page sees the person; the log row names the agent.
    from agora.desk.middleware import DeskMiddleware

    seen = {}

    def view(request):
        seen["user"], seen["agent"] = request.user, request.desk_agent
        log_action(actor=request.user, verb="test.assisted", target=None, organization=organization)
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = rf.get("/processes/")
    request.user, request.organization, request.session = agent, organization, client.session
    DeskMiddleware(view)(request)
    assert seen == {"user": managed.user, "agent": agent}
    row = ActionLog.objects.get(verb="test.assisted")
    assert row.actor == managed.user and row.data["assisted_by"] == agent.pk and row.created_at
    # Outside the request, nothing is added.
    assert "assisted_by" not in log_action(actor=agent, verb="x", target=None, organization=organization).data
    # The back-office stays the agent's own.
    assert client.get("/admin/desk/").status_code == 200
    response = client.post("/admin/desk/stop/")
    assert response.status_code == 302 and SESSION_KEY not in client.session
    assert "desk-banner" not in client.get("/").content.decode()


def test_a_removed_agent_stops_acting(client, organization, org_admin, agent, managed):
    client.force_login(agent)
    client.post(f"/admin/desk/people/{managed.user_id}/act/")
    services.revoke_agent(actor=org_admin, agent=DeskAgent.objects.get(user=agent))
    assert "desk-banner" not in client.get("/").content.decode()
    assert SESSION_KEY not in client.session


def test_claim_goes_through_allauth_confirmation(client, organization, agent, managed):
    client.force_login(agent)
    response = client.post(f"/admin/desk/people/{managed.user_id}/claim/", {"email": "odette@example.org"})
    assert response.status_code == 302
    assert mail.outbox and mail.outbox[-1].to == ["odette@example.org"]
    address = EmailAddress.objects.get(user=managed.user, email="odette@example.org")
    assert not address.verified
    managed.user.refresh_from_db()
    assert managed.user.email.endswith("@managed.invalid")  # not before confirmation
    from allauth.account.models import EmailConfirmationHMAC

    key = EmailConfirmationHMAC(address).key
    client.logout()
    client.post(f"/accounts/confirm-email/{key}/")
    managed.user.refresh_from_db()
    assert managed.user.email == "odette@example.org"
    managed.refresh_from_db()
    assert managed.is_claimed
    client.force_login(agent)
    assert client.post(f"/admin/desk/people/{managed.user_id}/act/").status_code == 302
    assert SESSION_KEY not in client.session  # a claimed account is no longer managed


def test_claim_refuses_an_address_in_use(client, agent, managed, participant):
    client.force_login(agent)
    response = client.post(f"/admin/desk/people/{managed.user_id}/claim/", {"email": participant.email})
    assert response.status_code == 200 and not mail.outbox


DESK_URLS = ["/admin/desk/", "/admin/desk/new/", "/admin/desk/check/", "/admin/desk/agents/"]


def test_plain_participants_are_refused_everything(client, organization, participant, managed):
    client.force_login(participant)
    urls = DESK_URLS + [
        f"/admin/desk/people/{managed.user_id}/",
        f"/admin/desk/people/{managed.user_id}/act/",
        f"/admin/desk/people/{managed.user_id}/claim/",
        "/admin/desk/agents/1/revoke/",
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, PERSON).status_code == 403, url
    assert SESSION_KEY not in client.session
    assert ManagedParticipant.objects.count() == 1


def test_agents_cannot_manage_agents(client, agent):
    client.force_login(agent)
    assert client.get("/admin/desk/").status_code == 200
    assert client.get("/admin/desk/agents/").status_code == 403


def test_admin_grants_agents(client, org_admin, participant, organization):
    client.force_login(org_admin)
    response = client.post("/admin/desk/agents/", {"email": participant.email})
    assert response.status_code == 302
    assert DeskAgent.objects.filter(organization=organization, user=participant).exists()


def test_anonymous_visitors_log_in(client, organization):
    for url in DESK_URLS:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_another_organizations_people_are_not_found(client, other_organization, managed):
    admin = factories.UserFactory()
    from agora.spaces.models import Role

    Role.objects.create(user=admin, organization=other_organization, name=Role.Name.ORGANIZATION_ADMIN)
    client.force_login(admin)
    response = client.get(f"/admin/desk/people/{managed.user_id}/", HTTP_HOST="other.example.org")
    assert response.status_code == 404


def test_the_administration_link_leads_desk_agents_to_the_desk(client, agent, participant, org_admin):
    from django.urls import reverse

    client.force_login(agent)
    assert f'href="{reverse("desk:index")}"' in client.get("/").content.decode()
    client.force_login(org_admin)
    assert f'href="{reverse("backoffice:dashboard")}"' in client.get("/").content.decode()
    client.force_login(participant)
    html = client.get("/").content.decode()
    assert reverse("desk:index") not in html and reverse("backoffice:dashboard") not in html
