"""Staff tokens: created in the back-office (shown once, hashed at rest),
revocable, logged at each use; the write endpoints and their refusals."""

import hashlib
import json

import pytest
from django.urls import reverse

from agora.actionlog.models import ActionLog
from agora.api import services
from agora.api.models import ApiToken
from agora.components.accountability.models import Milestone, Result, Status
from agora.components.accountability.seeds import seed as seed_followup
from agora.components.proposals.models import Proposal
from agora.spaces.models import Role
from agora.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def followup(process):
    factories.PhaseFactory(space=process, is_active=True)
    component = factories.ComponentFactory(space=process, manifest_name="accountability")
    seed_followup(component)
    return component


@pytest.fixture
def leaf(followup):
    return Result.objects.filter(component=followup, children__isnull=True).order_by("pk").first()


def _token(user, organization, scopes=("accountability.write",)):
    return services.create_token(actor=user, organization=organization, name="Sync", scopes=list(scopes))


def _patch(client, path, data, raw=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
    return client.patch(path, json.dumps(data), content_type="application/json", **headers)


def test_a_token_is_kept_as_its_sha256_only(org_admin, organization):
    token, raw = _token(org_admin, organization)
    assert raw.startswith("agora_") and len(raw) > 40
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert raw not in json.dumps(stored, default=str)
    assert ActionLog.objects.filter(verb="api.token_created", target_id=str(token.pk)).exists()


def test_the_back_office_shows_a_new_token_once(client, org_admin, organization):
    client.force_login(org_admin)
    url = reverse("api_admin:tokens")
    response = client.post(url, {"name": "Project tracking", "scopes": ["accountability.write"]})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=org_admin)
    raw = response.context["created"]
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw in response.content.decode()
    again = client.get(url)
    assert raw not in again.content.decode() and token.prefix in again.content.decode()


def test_the_back_office_refuses_bad_input_and_people_who_are_not_staff(client, org_admin, participant):
    url = reverse("api_admin:tokens")
    client.force_login(org_admin)
    response = client.post(url, {"name": "", "scopes": ["nothing"]})
    assert response.status_code == 400 and not ApiToken.objects.exists()
    client.force_login(participant)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Mine", "scopes": ["accountability.write"]}).status_code == 403
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it(client, org_admin, organization, leaf):
    token, raw = _token(org_admin, organization)
    client.force_login(org_admin)
    response = client.post(reverse("api_admin:revoke", args=[token.pk]))
    assert response.status_code == 302
    client.logout()
    response = _patch(client, f"/api/v1/accountability/results/{leaf.pk}", {"progress": 40}, raw)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    assert "revoked" in response.json()["error"]["message"]


def test_someone_else_cannot_revoke_my_token(client, org_admin, organization):
    token, _raw = _token(org_admin, organization)
    other = factories.UserFactory()
    factories.member_of(other, organization)
    Role.objects.create(user=other, organization=organization, space=None, name=Role.Name.ORGANIZATION_ADMIN)
    client.force_login(other)
    assert client.post(reverse("api_admin:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_updates_the_followup_and_each_use_is_logged(client, org_admin, organization, leaf):
    _token_row, raw = _token(org_admin, organization)
    status = Status.objects.filter(component=leaf.component).exclude(pk=leaf.status_id).first()
    response = _patch(
        client, f"/api/v1/accountability/results/{leaf.pk}", {"progress": "42.5", "status": status.token}, raw
    )
    assert response.status_code == 200, response.content
    leaf.refresh_from_db()
    assert str(leaf.progress) == "42.50" and leaf.status == status
    assert response.json()["status"] == status.token
    use = ActionLog.objects.get(verb="api.token_used")
    assert use.actor == org_admin and use.data["scope"] == "accountability.write"
    assert ActionLog.objects.filter(verb="accountability.result_updated", actor=org_admin).exists()

    response = client.post(
        f"/api/v1/accountability/results/{leaf.pk}/milestones",
        json.dumps({"date": "2027-03-01", "title": {"fr": "Chantier lancé", "en": "Works started"}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content
    milestone = Milestone.objects.get(pk=response.json()["id"])
    assert milestone.title == {"fr": "Chantier lancé", "en": "Works started"}
    response = client.put(
        f"/api/v1/accountability/milestones/{milestone.pk}",
        json.dumps({"date": "2027-04-01", "title": {"fr": "Chantier commencé"}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.content
    milestone.refresh_from_db()
    assert str(milestone.date) == "2027-04-01"
    assert ActionLog.objects.filter(verb="api.token_used").count() == 3


def test_writes_are_refused_without_the_right_token(client, org_admin, organization, leaf):
    before = leaf.progress
    path = f"/api/v1/accountability/results/{leaf.pk}"
    no_token = _patch(client, path, {"progress": 10})
    assert no_token.status_code == 401 and no_token.json()["error"]["code"] == "unauthorized"
    assert _patch(client, path, {"progress": 10}, "agora_not-a-token").status_code == 401
    _row, paper_only = _token(org_admin, organization, scopes=("proposals.paper",))
    wrong_scope = _patch(client, path, {"progress": 10}, paper_only)
    assert wrong_scope.status_code == 403 and wrong_scope.json()["error"]["code"] == "forbidden"
    # A token of someone who is no longer staff stops working.
    _row, raw = _token(org_admin, organization)
    Role.objects.filter(user=org_admin).delete()
    no_longer_staff = _patch(client, path, {"progress": 10}, raw)
    assert no_longer_staff.status_code == 403
    leaf.refresh_from_db()
    assert leaf.progress == before
    assert not ActionLog.objects.filter(verb="api.token_used").exists()


def test_a_token_of_another_organization_does_not_work_here(client, org_admin, organization, other_organization, leaf):
    Role.objects.create(user=org_admin, organization=other_organization, name=Role.Name.ORGANIZATION_ADMIN)
    _row, raw = _token(org_admin, other_organization)
    response = _patch(client, f"/api/v1/accountability/results/{leaf.pk}", {"progress": 10}, raw)
    assert response.status_code == 401


def test_a_collaborator_token_is_refused_by_the_service_permissions(client, organization, process, leaf):
    """Staff of another space: the token works, the follow-up's own permission says no."""
    other_space = factories.SpaceFactory(organization=organization)
    person = factories.UserFactory()
    factories.member_of(person, organization)
    Role.objects.create(user=person, organization=organization, space=other_space, name=Role.Name.SPACE_ADMIN)
    _row, raw = _token(person, organization)
    response = _patch(client, f"/api/v1/accountability/results/{leaf.pk}", {"progress": 10}, raw)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_invalid_updates_are_structured_errors(client, org_admin, organization, leaf):
    _row, raw = _token(org_admin, organization)
    path = f"/api/v1/accountability/results/{leaf.pk}"
    assert _patch(client, path, {}, raw).json()["error"]["code"] == "invalid"
    response = _patch(client, path, {"progress": 150}, raw)
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"] == "progress"
    response = _patch(client, path, {"status": "nope"}, raw)
    assert response.status_code == 400 and "status" in response.json()["error"]["details"]
    assert _patch(client, "/api/v1/accountability/results/999999", {"progress": 1}, raw).status_code == 404


def test_ideas_from_a_paper_campaign(client, org_admin, organization, process):
    factories.PhaseFactory(space=process, is_active=True)
    component = factories.ComponentFactory(space=process, manifest_name="proposals")
    _row, raw = _token(org_admin, organization, scopes=("proposals.paper",))
    ideas = [
        {
            "title": "Un banc place du marché",
            "body": "Pour les anciens qui attendent le bus.",
            "author_name": "M. Durand",
        },
        {"title": "Des arceaux vélo", "body": "Devant la médiathèque, il n'y en a aucun.", "author_name": "Léa P."},
    ]
    send = lambda data: client.post(  # noqa: E731
        "/api/v1/proposals/ideas/paper",
        json.dumps(data),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    response = send({"component": component.pk, "ideas": ideas})
    assert response.status_code == 201, response.content
    created = Proposal.objects.filter(pk__in=response.json()["ids"])
    assert {p.channel for p in created} == {"paper"} and {p.author_name for p in created} == {"M. Durand", "Léa P."}
    # All or nothing: the second idea has no author, so neither is kept.
    response = send({"component": component.pk, "ideas": [ideas[0], {**ideas[1], "author_name": ""}]})
    assert response.status_code == 400 and response.json()["error"]["details"]["index"] == 1
    assert Proposal.objects.filter(component=component).count() == 2
    # The follow-up's scope does not import ideas.
    _row, followup_only = _token(org_admin, organization)
    response = client.post(
        "/api/v1/proposals/ideas/paper",
        json.dumps({"component": component.pk, "ideas": ideas}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {followup_only}",
    )
    assert response.status_code == 403
    assert Proposal.objects.filter(component=component).count() == 2


def test_reads_carry_cors_etags_and_answer_304(client, organization):
    response = client.get("/api/v1/organization")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    etag = response["ETag"]
    again = client.get("/api/v1/organization", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    head = client.head("/api/v1/organization")
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == etag
    wrong = client.delete("/api/v1/organization")
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"
    preflight = client.options("/api/v1/organization", HTTP_ORIGIN="https://example.net")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_writes_get_no_cors(client, org_admin, organization, leaf):
    _row, raw = _token(org_admin, organization)
    response = _patch(client, f"/api/v1/accountability/results/{leaf.pk}", {"progress": 10}, raw)
    assert response.status_code == 200 and "Access-Control-Allow-Origin" not in response


def test_reads_are_rate_limited_per_address(client, organization, settings):
    settings.AGORA_API_RATE_PER_MINUTE = 3
    statuses = [client.get("/api/v1/organization").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/organization")
    assert refused.json()["error"]["code"] == "rate_limited" and int(refused["Retry-After"]) <= 60
    other = client.get("/api/v1/organization", REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200


def test_a_cached_read_follows_the_content(client, organization, process):
    """Reads come from the page cache for the content version: a change shows at once."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from agora.moderation.models import Moderation

    factories.PhaseFactory(space=process, is_active=True)
    component = factories.ComponentFactory(space=process, manifest_name="proposals")
    idea = Proposal.objects.create(
        component=component,
        author_name="Léa",
        title="Un verger",
        body="Ici",
        status="published",
        published_at=timezone.now(),
    )
    first = client.get("/api/v1/proposals/ideas").json()
    assert [item["id"] for item in first["items"]] == [idea.pk]
    assert client.get("/api/v1/proposals/ideas").json() == first
    Moderation.objects.create(
        organization=organization,
        content_type=ContentType.objects.get_for_model(idea),
        object_id=idea.pk,
        hidden_at=timezone.now(),
        hidden_by=Moderation.HiddenBy.MODERATOR,
    )
    assert client.get("/api/v1/proposals/ideas").json()["items"] == []
