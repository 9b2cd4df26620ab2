import pytest

from agora.components.registry import ComponentManifest, registry
from agora.testing import factories
from agora.verifications.models import EnabledMethod
from agora.verifications.sms import LocmemBackend

GATED = ComponentManifest(name="test_gated", label="Gated", actions=("create", "support", "vote"))


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    settings.AGORA_SMS_BACKEND = "agora.verifications.sms.LocmemBackend"
    LocmemBackend.outbox.clear()
    yield LocmemBackend.outbox
    LocmemBackend.outbox.clear()


@pytest.fixture
def outbox(_sms_outbox):
    return _sms_outbox


@pytest.fixture
def enable(organization):
    def enable(*names, **options):
        for name in names:
            EnabledMethod.objects.update_or_create(
                organization=organization, method=name, defaults={"options": options.get(name, {})}
            )

    return enable


@pytest.fixture
def gated_component(process):
    """A component type with gated actions, registered for the test only."""
    registry._manifests["test_gated"] = GATED
    yield factories.ComponentFactory(space=process, manifest_name="test_gated")
    registry._manifests.pop("test_gated", None)


@pytest.fixture
def district(organization):
    return factories.ScopeFactory(organization=organization, code="NORD", name={"fr": "Nord", "en": "North"})
