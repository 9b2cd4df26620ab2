import pytest

from agora.testing import factories

from .factories import ProposalsComponentFactory


@pytest.fixture
def component(process):
    return ProposalsComponentFactory(space=process)


@pytest.fixture
def other_participant(organization):
    user = factories.UserFactory()
    factories.member_of(user, organization)
    return user


def configure(component, **settings):
    component.settings = {**(component.settings or {}), **settings}
    component.save(update_fields=["settings"])
    component.__dict__.pop("_proposals_memo", None)
    return component


def phase(component, **values):
    """Give the space an active phase with these phase settings."""
    active = factories.PhaseFactory(space=component.space, is_active=True)
    component.phase_settings = {str(active.pk): values}
    component.save(update_fields=["phase_settings"])
    component.space.__dict__.pop("_prefetched_objects_cache", None)
    return active


@pytest.fixture(autouse=True)
def _english():
    """Refusal reasons are asserted in English (the msgids)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
