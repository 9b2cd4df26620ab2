"""The per-process organization cache (agora.core.selectors) is keyed by the
content version: after a change made on another server, a page rendered here
and stored in the page cache under the new version shows the new organization
(it showed the old name for the page cache's 300 s)."""

from django.test import Client

from agora.components.proposals.tests.factories import ProposalFactory
from agora.core import pagecache, selectors
from agora.core.models import Organization


def visitor():
    client = Client(HTTP_HOST="testserver")
    client.cookies["django_language"] = "en"
    return client


def renamed_on_another_server(organization, name):
    # QuerySet.update sends no post_save: this process's cache is not told,
    # as it is not when another app server saves the organization.
    Organization.objects.filter(pk=organization.pk).update(name=name)


def test_a_cached_page_never_shows_an_organization_older_than_its_version(process):
    idea = ProposalFactory(component__space=process)
    url = idea.get_absolute_url()
    client = visitor()
    assert "Ville de Test" in client.get(url).content.decode()
    assert "Ville de Test" in client.get(url).content.decode()  # stored, and served from the cache
    renamed_on_another_server(process.organization, "Ville de Test-sur-Mer")
    page = client.get(url).content.decode()
    assert "Ville de Test-sur-Mer" in page
    assert "Ville de Test-sur-Mer" in visitor().get(url).content.decode()  # what was stored


def test_the_organization_is_looked_up_again_only_when_the_version_moves(organization, django_assert_num_queries):
    version = pagecache.current_version()
    selectors.organization_for_host("testserver", version)
    with django_assert_num_queries(0):
        assert selectors.organization_for_host("testserver:8000", version).name == "Ville de Test"
    renamed_on_another_server(organization, "Ville de Test-sur-Mer")
    assert selectors.organization_for_host("testserver", version).name == "Ville de Test"
    assert selectors.organization_for_host("testserver", pagecache.current_version()).name == "Ville de Test-sur-Mer"
