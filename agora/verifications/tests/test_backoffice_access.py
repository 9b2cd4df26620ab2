"""Every back-office screen of verifications is refused to people without the right."""

import pytest
from django.urls import get_resolver, reverse

from agora.backoffice.tests.test_url_walk import _walk_resolver
from agora.spaces.models import Role
from agora.testing import factories

MISSING = 999_999_999


@pytest.fixture
def urls(process):
    component = factories.ComponentFactory(space=process)
    values = {"space_id": process.pk, "component_id": component.pk, "verification_id": MISSING, "upload_id": MISSING}
    found = []
    resolvers = [
        entry for entry in get_resolver().url_patterns if str(getattr(entry, "pattern", "")) == "admin/verifications/"
    ]
    for namespace, pattern, names in _walk_resolver(resolvers[0]):
        if namespace == "verifications_admin":
            url = reverse(f"{namespace}:{pattern.name}", kwargs={name: values[name] for name in names})
            found.append(
                (
                    url,
                    getattr(pattern.callback, "post_only", False),
                    bool({"verification_id", "upload_id"} & set(names)),
                )
            )
    assert len(found) >= 12
    return found


def test_anonymous(client, urls):
    for url, *_rest in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("who", ["participant", "collaborator", "desk_agent"])
def test_refused_without_the_right(client, organization, participant, process, urls, who):
    user = participant
    if who == "collaborator":
        Role.objects.create(
            user=user,
            organization=organization,
            space=factories.SpaceFactory(organization=organization),
            name=Role.Name.COLLABORATOR,
        )
    if who == "desk_agent":
        from agora.desk.models import DeskAgent

        DeskAgent.objects.create(organization=organization, user=user)
    client.force_login(user)
    for url, *_rest in urls:
        for method in (client.get, client.post):
            assert method(url).status_code == 403, (who, method.__name__, url)


def test_the_admin_of_the_organization_opens_every_page(client, org_admin, urls):
    client.force_login(org_admin)
    for url, post_only, has_missing in urls:
        status = client.get(url).status_code
        expected = 405 if post_only else 404 if has_missing else 200
        assert status == expected, (url, status)


def test_the_admin_of_another_organization_gets_nothing(client, other_organization, urls):
    admin = factories.UserFactory()
    Role.objects.create(user=admin, organization=other_organization, name=Role.Name.ORGANIZATION_ADMIN)
    client.force_login(admin)
    for url, *_rest in urls:
        assert client.post(url).status_code == 403, url  # GET first asks to accept the terms
