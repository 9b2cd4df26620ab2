"""Per-page memo of permission checks (agora.permissions.memoised_decisions)
and the queries a component page saves with it: nothing is kept outside a
block, so a change made between two checks is always seen there."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora import permissions
from agora.components.models import Component
from agora.spaces.selectors import visible_components
from agora.testing import factories


def queries(function):
    with CaptureQueriesContext(connection) as captured:
        result = function()
    return result, len(captured)


def test_participation_is_checked_once_inside_a_page(participant, organization):
    with permissions.memoised_decisions():
        first, asked = queries(lambda: permissions.can(participant, "participate", organization))
        again, asked_again = queries(lambda: permissions.can(participant, "participate", organization))
    assert first and again and asked > 0 and asked_again == 0


def test_without_the_block_every_check_sees_changes(participant, organization):
    assert permissions.can(participant, "participate", organization)
    EmailAddress.objects.filter(user=participant).update(verified=False)
    assert not permissions.can(participant, "participate", organization)
    with permissions.memoised_decisions():
        assert not permissions.can(participant, "participate", organization)
    EmailAddress.objects.filter(user=participant).update(verified=True)
    with permissions.memoised_decisions():  # a new block asks again
        assert permissions.can(participant, "participate", organization)


def test_memo_is_per_person_and_organization(participant, organization, other_organization):
    stranger = factories.UserFactory()
    factories.TermsVersionFactory(organization=other_organization, version=1)
    with permissions.memoised_decisions():
        assert permissions.can(participant, "participate", organization)
        assert not permissions.can(stranger, "participate", organization)  # not a member: terms to accept
        assert not permissions.can(participant, "participate", other_organization)


def test_space_membership_is_memoised_inside_a_page(participant, process):
    process.private = True
    process.save()
    with permissions.memoised_decisions():
        assert not queries(lambda: permissions._is_space_member(participant, process))[0]
        assert queries(lambda: permissions._is_space_member(participant, process))[1] == 0


def test_component_tabs_cost_one_query_whatever_their_number(process):
    def tabs():
        return [c.get_absolute_url() for c in visible_components(process, AnonymousUser())]

    factories.ComponentFactory(space=process, manifest_name="pages")
    one = queries(tabs)[1]
    for _ in range(3):
        factories.ComponentFactory(space=process, manifest_name="pages")
    urls, many = queries(tabs)
    assert len(urls) == Component.objects.filter(space=process).count() == 4
    assert many == one


def test_component_page_reads_the_active_phase_once(client, process):
    """The phase settings are read several times per page (supports, creation)."""
    from django.urls import reverse

    factories.PhaseFactory(space=process, is_active=True)
    component = factories.ComponentFactory(space=process, manifest_name="proposals")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("proposals:index", kwargs=component.url_kwargs())).status_code == 200
    assert sum('FROM "spaces_phase"' in q["sql"] for q in captured.captured_queries) == 1
