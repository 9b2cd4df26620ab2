"""Component pages keep the component, its phases, budgets and eligibility
rules per process for the content version (agora.core.pagecache.memo): one
query less per page while nothing changes, and a change is seen at once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.components.access import _component_for
from agora.core import pagecache
from agora.testing import factories


def test_memo_loads_once_per_version(db):
    loads = []

    def load():
        loads.append(1)
        return len(loads)

    assert pagecache.memo("k", load) == 1 and pagecache.memo("k", load) == 2  # no scope: always loads
    with pagecache.memo_scope():
        assert pagecache.memo("k", load) == 3
        assert pagecache.memo("k", load) == 3
    factories.OrganizationFactory()  # a write: the version moves
    with pagecache.memo_scope():
        assert pagecache.memo("k", load) == 4


def test_each_page_gets_its_own_copy_of_the_component(process):
    component = factories.ComponentFactory(space=process)
    factories.PhaseFactory(space=process, is_active=True)
    organization, kind, slug = process.organization, process.kind, process.slug
    with pagecache.memo_scope():
        first = _component_for(organization, kind, slug, component.pk)
        first.space.title = {"fr": "Changé sur cette page"}
        first.custom_attribute = "only here"
        with CaptureQueriesContext(connection) as queries:
            second = _component_for(organization, kind, slug, component.pk)
            assert second.space.active_phase is not None
    assert len(queries) == 0
    assert second is not first and second.space is not first.space
    assert second.space.title != {"fr": "Changé sur cette page"}
    assert not hasattr(second, "custom_attribute")


def test_a_change_of_the_component_is_seen_by_the_next_page(client, process, settings):
    component = factories.ComponentFactory(space=process, manifest_name="pages")
    organization, kind, slug = process.organization, process.kind, process.slug
    with pagecache.memo_scope():
        assert _component_for(organization, kind, slug, component.pk).name == component.name
    component.name = {"fr": "Nouveau nom"}
    component.save()
    with pagecache.memo_scope():
        assert _component_for(organization, kind, slug, component.pk).name == {"fr": "Nouveau nom"}
