"""The component contract: what every registered manifest declares is found by
the layers that read it (comments, follows, moderation, notifications), and
those layers learn a new component from its manifest alone. A new component is
checked here without editing this file."""

from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone, translation

from agora.comments import registry as comments_registry
from agora.components.models import Component
from agora.components.registry import ComponentManifest, NotificationEvent, Resource, UpcomingItem, registry
from agora.core import attention, home
from agora.core.models import HomeBlock
from agora.follows import registry as follows_registry
from agora.moderation import registry as moderation_registry
from agora.notifications import events
from agora.notifications.forms import PreferencesForm
from agora.notifications.models import Preference
from agora.spaces.models import Phase, Role
from agora.statistics import api as statistics
from agora.testing import factories

MANIFESTS = [pytest.param(manifest, id=manifest.name) for manifest in registry.all()]


def test_every_component_type_is_checked():
    assert {"pages", "news", "proposals", "budgets", "accountability"} <= {m.name for m in registry.all()}


@pytest.mark.parametrize("manifest", MANIFESTS)
def test_declared_resources_are_accepted_by_the_layers(manifest):
    for resource in manifest.resources:
        model = apps.get_model(resource.model)
        assert model._meta.app_label == manifest.name or model.__module__.startswith(
            f"agora.components.{manifest.name}."
        ), f"{resource.model} is not a model of {manifest.name}"
        if resource.commentable:
            assert isinstance(comments_registry.adapter_for(model), comments_registry.Commentable)
            assert comments_registry.model_for_label(resource.model) is model
        if resource.commentable or resource.followable:
            assert follows_registry.model_for_label(resource.model) is model
        if resource.reportable:
            adapter = moderation_registry.adapter_for(model)
            assert isinstance(adapter, moderation_registry.ReportableAdapter)
            assert model in moderation_registry.reportable_models()
            # A resource names itself for the moderators (the base class says "content").
            assert str(adapter.label) != moderation_registry.ReportableAdapter.label


@pytest.mark.parametrize("manifest", MANIFESTS)
def test_declared_events_are_known_to_notifications(manifest):
    for event in manifest.events:
        assert event.name.startswith(f"{manifest.name}."), f"{event.name}: name it after the component"
        assert events.get(event.name) == event
        assert events.require_event(event.name) == event
        with translation.override("en"):
            assert str(event.label) and str(event.message)


def test_no_event_is_declared_twice():
    declared = [event.name for event in registry.events()]
    assert len(declared) == len(set(declared))
    assert not set(declared) & set(events._events), "declared in a manifest and registered by an app"


@pytest.mark.django_db
def test_the_preferences_page_lists_the_declared_events():
    listed = dict(PreferencesForm(preference=Preference()).fields["events"].choices)
    for event in registry.events():
        assert (listed.get(event.name) == event.label) is event.mutable, event.name


class CategoryReports(moderation_registry.ReportableAdapter):
    label = "category"

    def organization(self, obj):
        return obj.organization


@pytest.fixture
def extra_component():
    """A component type registered for the test only, whose resource (a
    category, which no layer accepts otherwise) and event no layer names."""
    manifest = ComponentManifest(
        name="test_contract",
        label="Contract",
        resources=(Resource("taxonomy.Category", commentable=True, reportable=f"{__name__}.CategoryReports"),),
        events=(NotificationEvent("test_contract.happened", label="Something happened", message="It happened"),),
    )
    registry.register(manifest)
    yield manifest
    registry.unregister(manifest.name)


def test_the_layers_learn_a_new_component_from_its_manifest(extra_component):
    category = apps.get_model("taxonomy.Category")
    assert comments_registry.adapter_for(category) is not None
    assert follows_registry.model_for_label("taxonomy.category") is category
    assert moderation_registry.adapter_for(category) is not None
    assert events.get("test_contract.happened").label == "Something happened"
    assert "test_contract.happened" in {event.name for event in events.all_events()}


def test_an_unregistered_component_leaves_the_layers(extra_component):
    registry.unregister(extra_component.name)
    category = apps.get_model("taxonomy.Category")
    assert comments_registry.adapter_for(category) is None
    assert follows_registry.model_for_label("taxonomy.category") is None
    assert moderation_registry.adapter_for(category) is None
    assert events.get("test_contract.happened") is None


@pytest.mark.parametrize("manifest", MANIFESTS)
def test_settings_are_typed_and_fall_back_to_their_defaults(manifest):
    """A setting's default is a valid value; what was never stored, or is
    stored wrong (edited by hand, a type changed since), reads as the default."""
    for per_phase, definitions in ((False, manifest.settings), (True, manifest.phase_settings)):
        for definition in definitions:
            assert definition.clean(definition.default) == definition.default, definition.name
        component = Component(
            manifest_name=manifest.name, settings={}, phase_settings={"1": {d.name: object() for d in definitions}}
        )
        phase = Phase(pk=1)
        empty = manifest.phase_settings_for(component, None) if per_phase else component.settings_of()
        assert dict(empty) == {d.name: d.default for d in definitions}
        if per_phase:
            broken = manifest.phase_settings_for(component, phase)
        else:
            component.settings = {d.name: "not a valid value" for d in definitions}
            broken = component.settings_of()
        for definition in definitions:
            value = getattr(broken, definition.name)
            if definition.type in ("int", "choice"):
                assert value == definition.default, definition.name
            assert isinstance(value, type(definition.default)), definition.name


def test_settings_are_read_only_and_refuse_unknown_names():
    component = Component(manifest_name="news", settings={"posts_per_page": "20"})
    settings = component.settings_of()
    assert settings.posts_per_page == 20 and settings["posts_per_page"] == 20
    assert settings.get("not_declared", "fallback") == "fallback"
    with pytest.raises(AttributeError):
        settings.not_declared  # noqa: B018
    with pytest.raises(AttributeError):
        settings.posts_per_page = 5
    component.settings = {"posts_per_page": 500}  # out of range: the default
    assert component.settings_of().posts_per_page == 10


def _seeded(manifest, organization):
    """A published component of this type in a published process with an
    active phase, filled by its demo seed (as the demo city and the action
    matrix make them)."""
    space = factories.SpaceFactory(organization=organization)
    factories.PhaseFactory(space=space, is_active=True)
    factories.member_of(factories.UserFactory(), organization)
    component = factories.ComponentFactory(
        space=space, manifest_name=manifest.name, settings=manifest.default_settings()
    )
    if manifest.seed:
        manifest.hook(manifest.seed)(component)
    return Component.objects.select_related("space__organization").get(pk=component.pk)


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _is_open_value(value) -> bool:
    """What an open-data cell may hold: a scalar, a list of ids, or a translated text."""
    if value is None or isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list):
        return all(isinstance(item, int) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and isinstance(text, str) for key, text in value.items())
    return False


@pytest.mark.parametrize("manifest", MANIFESTS)
def test_every_hook_imports_and_returns_its_declared_shape(manifest, organization, rf):
    component = _seeded(manifest, organization)
    for dotted in (manifest.public_urls, manifest.admin_urls):
        if dotted:
            assert isinstance(import_module(dotted).urlpatterns, list), dotted
    if manifest.stats:
        stats = manifest.hook(manifest.stats)(component)
        assert stats and all(str(label) and _is_number(number) for label, number in stats), stats
    if manifest.participation:
        # What the statistics' rebuild reads: events of known kinds and channels.
        events = list(manifest.hook(manifest.participation)(component))
        for event in events:
            assert isinstance(event, statistics.Event) and event.kind in statistics.KINDS, event
            assert event.channel in statistics.CHANNELS and event.day is not None, event
    if manifest.search:
        entries = list(manifest.hook(manifest.search)(component))
        assert entries, "the seed makes something to find"
        for title, text, url in entries:
            assert isinstance(title, str) and isinstance(text, str) and url.startswith("/"), (title, url)
    for export_format, dotted in manifest.exports.items():
        response = manifest.hook(dotted)(component)
        assert isinstance(response, HttpResponse) and response.status_code == 200, export_format
        assert "attachment" in response["Content-Disposition"], export_format
    for dotted in (manifest.seed, manifest.copy):
        if dotted:
            assert callable(manifest.hook(dotted)), dotted
    if manifest.open_data_files:
        # Files given as they are (the pabulib files of published counts): a plain name and their content.
        for filename, content in manifest.hook(manifest.open_data_files)(component):
            assert filename and "/" not in filename and not filename.startswith("."), filename
            assert isinstance(content, str | bytes), filename
    if manifest.personal_data:
        # What the component keeps about a person ("download my data"): named files of dict rows, for
        # anyone (here someone who took part in nothing: every file is empty, none fails).
        someone = factories.UserFactory()
        for name, rows in manifest.hook(manifest.personal_data)(someone):
            assert name and "/" not in name, name
            assert [dict(row) for row in rows] == [], name
    if manifest.upcoming:
        # Public items still to come, each named, titled and linked.
        items = manifest.hook(manifest.upcoming)([component])
        assert isinstance(items, list), items
        for item in items:
            assert isinstance(item, UpcomingItem) and ":" in item.key and item.url.startswith("/"), item
            assert item.starts_at > timezone.now(), item
    if manifest.participant_ids:
        # User ids, as a queryset a newsletter audience filters people with (`pk__in`).
        ids = manifest.hook(manifest.participant_ids)(Component.objects.filter(pk=component.pk))
        assert isinstance(ids, QuerySet), ids
        found = list(get_user_model().objects.filter(pk__in=ids).values_list("pk", flat=True))
        assert all(isinstance(pk, int) for pk in found), found
    if manifest.attention:
        # The dashboard's cards, for an organization admin, from the list of the type's components.
        admin = factories.UserFactory()
        Role.objects.create(user=admin, organization=organization, name=Role.Name.ORGANIZATION_ADMIN)
        items = manifest.hook(manifest.attention)([component], admin)
        assert items and all(
            isinstance(item, attention.Item) and str(item.label) and item.count >= 0 and item.url.startswith("/")
            for item in items
        ), items
    for kind in manifest.home_blocks:
        # Each kind of home-page block draws itself from its default settings, and is known to the home page.
        request = rf.get("/")
        request.organization, request.user = organization, AnonymousUser()
        block = HomeBlock(
            organization=organization, kind=kind.name, settings=kind.check(kind.default_settings, organization)
        )
        assert isinstance(kind.renderer()(request, block, False), str), kind.name
        assert home.kind_of(kind.name) is kind, kind.name


@pytest.mark.parametrize("manifest", MANIFESTS)
def test_open_data_tables_give_their_declared_columns_and_only_public_data(manifest, organization):
    assert manifest.open_data, f"{manifest.name} publishes no open data: declare its tables"
    component = _seeded(manifest, organization)
    names = [table.name for table in registry_tables()]
    assert len(names) == len(set(names)), "two components publish a table of the same name"
    for table in manifest.open_data:
        with translation.override("en"):
            assert str(table.label) and all(str(meaning) for _name, meaning in table.columns)
        assert len(set(table.column_names)) == len(table.columns), table.name
        rows = list(manifest.hook(table.rows)(component))
        assert rows, f"{table.name}: the seed makes public resources"
        assert set(table.translated) <= set(table.column_names), table.name
        if table.model:
            assert "id" in table.column_names and apps.get_model(table.model), table.name
        for row in rows:
            assert set(row) == set(table.column_names), table.name  # the writer orders them as declared
            assert all(_is_open_value(value) for value in row.values()), (table.name, row)
            # A translated text only in a column declared translated (the writer makes one column per language).
            dicts = {name for name, value in row.items() if isinstance(value, dict)}
            assert dicts <= set(table.translated), (table.name, sorted(dicts - set(table.translated)))
    # An unpublished component publishes nothing.
    Component.objects.filter(pk=component.pk).update(published_at=None)
    component.refresh_from_db()
    for table in manifest.open_data:
        assert list(manifest.hook(table.rows)(component)) == [], table.name


def registry_tables():
    return [table for manifest in registry.all() for table in manifest.open_data]
