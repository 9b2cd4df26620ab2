"""At the desk, the agent acting for a person runs the verification an
eligibility rule asks for, inside the assisted session: the verification is
the person's, the action log names the agent, and the person then takes
part (here: votes) without leaving the assisted session."""

from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from agora.actionlog.models import ActionLog
from agora.components.budgets.models import Ballot
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.desk.middleware import SESSION_KEY
from agora.testing import factories
from agora.verifications import services as verification_services
from agora.verifications.identity import person_key
from agora.verifications.models import CensusEntry, EligibilityRule, EnabledMethod, Verification
from agora.verifications.tests.oidc_provider import LocalOidcProvider


@pytest.fixture
def budget(process):
    component = factories.ComponentFactory(space=process, manifest_name="budgets", settings={})
    phase = factories.PhaseFactory(space=process, is_active=True)
    component.phase_settings = {str(phase.pk): {"votes_enabled": True}}
    component.save()
    budget = BudgetFactory(component=component, min_projects=1, max_projects=2)
    ProjectFactory(budget=budget, cost=10_000)
    return budget


def _act(client, agent, person):
    client.force_login(agent)
    assert client.post(f"/admin/desk/people/{person.pk}/act/").status_code == 302
    assert client.session[SESSION_KEY] == person.pk


def test_the_agent_runs_the_census_check_a_rule_asks_for_then_votes(client, organization, agent, odette, budget):
    EnabledMethod.objects.create(organization=organization, method="census")
    CensusEntry.objects.create(
        organization=organization,
        birth_date=date(1950, 3, 12),
        postal_code="45100",
        key=person_key(organization, last_name="Lefèvre", first_name="Odette", birth_date=date(1950, 3, 12)),
    )
    EligibilityRule.objects.create(component=budget.component, action="vote", methods=["census"])
    _act(client, agent, odette)
    page = client.get(budget.get_absolute_url()).content.decode()
    # The refusal says what is missing and links to the method, with the way back.
    assert f'href="/verifications/census/?next={budget.get_absolute_url()}"' in page
    form = client.get(f"/verifications/census/?next={budget.get_absolute_url()}")
    assert form.status_code == 200 and "desk-banner" in form.content.decode()
    response = client.post(
        "/verifications/census/",
        {"last_name": "LEFEVRE", "first_name": "Odette", "birth_date": "1950-03-12", "next": budget.get_absolute_url()},
    )
    assert response.status_code == 302 and response["Location"] == budget.get_absolute_url()
    census = Verification.objects.get(method="census")
    assert census.user == odette and census.status == "active"
    assert not Verification.objects.filter(user=agent).exists()
    log = ActionLog.objects.filter(verb="verification.granted", actor=odette).latest("pk")
    assert log.data["method"] == "census" and log.data["assisted_by"] == agent.pk
    # Still in the assisted session: the vote is now open to her, through the desk.
    project = budget.projects.get()
    response = client.post(budget.get_absolute_url(), {"project": str(project.pk), "vote": "1"})
    assert response.status_code == 302
    ballot = Ballot.objects.get(voter=odette)
    assert ballot.channel == Ballot.Channel.DESK


CLAIMS = {
    "sub": "fc-odette",
    "given_name": "Odette",
    "family_name": "Lefèvre",
    "birthdate": "1950-03-12",
    "address": {"postal_code": "45100"},
}


@pytest.fixture
def provider(organization, org_admin, settings):
    settings.AGORA_OUTGOING_ALLOWED_HOSTS = ["127.0.0.1/32"]
    with LocalOidcProvider(dict(CLAIMS)) as provider:
        verification_services.configure_oidc(
            actor=org_admin,
            organization=organization,
            name="FranceConnect",
            slug="franceconnect",
            server_url=provider.url,
            client_id=provider.client_id,
            secret=provider.client_secret,
        )
        yield provider


def test_the_agent_runs_an_identity_provider_check_for_the_person(client, organization, agent, odette, provider):
    """The provider's pages live under /accounts/ (allauth), which the agent otherwise keeps as
    their own: the verification flow there is the person's, never connected to the agent."""
    _act(client, agent, odette)
    page = client.get("/verifications/oidc/?next=/processes/")
    assert page.status_code == 200
    to_provider = client.post(page.context["login_url"])
    assert to_provider.status_code == 302 and to_provider["Location"].startswith(provider.url + "/authorize")
    back = requests.get(to_provider["Location"], allow_redirects=False, timeout=5)
    callback = urlparse(back.headers["Location"])
    after_callback = client.get(callback.path, parse_qs(callback.query))
    assert after_callback.status_code == 302, after_callback.content[:500]
    done = client.get(after_callback["Location"])
    assert done.status_code == 302 and done["Location"] == "/processes/"
    verification = Verification.objects.get(method="oidc")
    assert verification.user == odette and verification.status == "active"
    assert not SocialAccount.objects.exists()  # neither the agent's nor hers: nothing kept
    assert client.session[SESSION_KEY] == odette.pk  # still acting for her
    assert client.session["_auth_user_id"] == str(agent.pk)  # the agent stays logged in as themself
