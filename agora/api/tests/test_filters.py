"""The category and scope filters of every resource that has a category or a scope
(one helper, agora.api.kit.taxa): sub-categories count, another organization's
ids and ids of nothing are refused with a structured error, and so is bad input."""

import pytest
from django.apps import apps
from django.utils import timezone

from agora.components.registry import registry
from agora.testing import factories

# (endpoint, component type, model, whether it has a category besides its scope)
RESOURCES = [
    ("/api/v1/proposals/ideas", "proposals", "proposals.Proposal", True),
    ("/api/v1/meetings/meetings", "meetings", "meetings.Meeting", True),
    ("/api/v1/debates/debates", "debates", "debates.Debate", True),
    ("/api/v1/initiatives/initiatives", "initiatives", "initiatives.Initiative", False),
    ("/api/v1/budgets/projects", "budgets", "budgets.Project", True),
    ("/api/v1/budgets/budgets", "budgets", "budgets.Budget", False),
    ("/api/v1/accountability/results", "accountability", "accountability.Result", True),
]


def _seeded(space, name):
    manifest = registry[name]
    component = factories.ComponentFactory(
        space=space, manifest_name=name, settings=manifest.default_settings(), published_at=timezone.now()
    )
    manifest.hook(manifest.seed)(component)
    return component


def _ids(client, path, **params):
    response = client.get(path, {"limit": 100, **params})
    assert response.status_code == 200, response.content[:300]
    return {item["id"] for item in response.json()["items"]}


@pytest.fixture
def taxonomy(organization, other_organization):
    parent = factories.CategoryFactory(organization=organization)
    return {
        "parent": parent,
        "child": factories.CategoryFactory(organization=organization, parent=parent),
        "unused": factories.CategoryFactory(organization=organization),
        "scope": factories.ScopeFactory(organization=organization),
        "unused_scope": factories.ScopeFactory(organization=organization),
        "foreign": factories.CategoryFactory(organization=other_organization),
        "foreign_scope": factories.ScopeFactory(organization=other_organization),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path, name, model, has_category", RESOURCES, ids=[r[0].split("v1/")[1] for r in RESOURCES])
def test_category_and_scope_filters(client, process, taxonomy, path, name, model, has_category):
    factories.PhaseFactory(space=process, is_active=True)
    _seeded(process, name)
    every = _ids(client, path)
    if len(every) < 2:  # a seed with one budget: a second component
        _seeded(process, name)
        every = _ids(client, path)
    assert len(every) >= 2, f"{path}: the seed gives too little to filter"
    chosen = min(every)
    fields = {"scope": taxonomy["scope"]}
    if has_category:
        fields["category"] = taxonomy["child"]
    apps.get_model(model).objects.filter(pk=chosen).update(**fields)
    # The seeds may have used the organization's categories and scopes: only the chosen one has them.
    apps.get_model(model).objects.exclude(pk=chosen).update(**{field: None for field in fields})

    assert _ids(client, path, scope=taxonomy["scope"].pk) == {chosen}
    assert _ids(client, path, scope=taxonomy["unused_scope"].pk) == set()
    # Each item gives the ids the filters take (ideas: `category` and `scope`; the others: `..._id`).
    suffix = "" if name == "proposals" else "_id"
    items = {item["id"]: item for item in client.get(path, {"limit": 100}).json()["items"]}
    assert items[chosen][f"scope{suffix}"] == taxonomy["scope"].pk
    assert all(item[f"scope{suffix}"] is None for pk, item in items.items() if pk != chosen)
    if has_category:
        assert items[chosen][f"category{suffix}"] == taxonomy["child"].pk
    if has_category:
        assert _ids(client, path, category=taxonomy["parent"].pk) == {chosen}  # its sub-categories count
        assert _ids(client, path, category=taxonomy["child"].pk, scope=taxonomy["scope"].pk) == {chosen}
        assert _ids(client, path, category=taxonomy["unused"].pk) == set()
    else:
        assert _ids(client, path, category=taxonomy["unused"].pk) == every  # no category: not narrowed

    for field in ("category", "scope"):
        foreign = client.get(path, {field: taxonomy[f"foreign{'' if field == 'category' else '_scope'}"].pk})
        assert foreign.status_code == 400
        assert foreign.json()["error"]["code"] == "invalid"
        assert foreign.json()["error"]["details"] == [{"field": field, "message": f"Unknown {field}"}]
        bad = client.get(path, {field: "district-3"})
        assert bad.status_code == 422
        assert bad.json()["error"]["code"] == "invalid"
        assert bad.json()["error"]["details"][0]["field"] == field


@pytest.mark.django_db
def test_milestones_filter_on_their_result(client, process, taxonomy):
    from agora.components.accountability.models import Milestone, Result

    factories.PhaseFactory(space=process, is_active=True)
    _seeded(process, "accountability")
    milestones = list(Milestone.objects.select_related("result"))
    assert len({m.result_id for m in milestones}) >= 2, "the seed gives milestones of several results"
    chosen = milestones[0].result
    Result.objects.filter(pk=chosen.pk).update(category=taxonomy["child"], scope=taxonomy["scope"])
    Result.objects.exclude(pk=chosen.pk).update(category=None, scope=None)
    expected = {m.pk for m in milestones if m.result_id == chosen.pk}
    path = "/api/v1/accountability/milestones"
    assert _ids(client, path, category=taxonomy["parent"].pk) == expected
    assert _ids(client, path, scope=taxonomy["scope"].pk) == expected
    assert client.get(path, {"category": taxonomy["foreign"].pk}).status_code == 400


@pytest.mark.django_db
def test_spaces_and_resources_without_a_category_check_the_ids_too(client, process, taxonomy):
    process.scope = taxonomy["scope"]
    process.save()
    factories.PhaseFactory(space=process, is_active=True)
    response = client.get("/api/v1/spaces", {"scope": taxonomy["scope"].pk})
    assert [space["slug"] for space in response.json()["items"]] == [process.slug]
    assert client.get("/api/v1/spaces", {"scope": taxonomy["unused_scope"].pk}).json()["items"] == []
    for path in ("/api/v1/spaces", "/api/v1/surveys/results", "/api/v1/votations/votations", "/api/v1/comments"):
        refused = client.get(path, {"scope": taxonomy["foreign_scope"].pk})
        assert refused.status_code == 400, path
        assert refused.json()["error"]["details"][0]["field"] == "scope"


# (endpoint, component type, model, the fields the `since`/`until` filters read (the first one), a date field?)
DATED = [
    ("/api/v1/proposals/ideas", "proposals", "proposals.Proposal", ("published_at",), False),
    ("/api/v1/meetings/meetings", "meetings", "meetings.Meeting", ("starts_at", "ends_at"), False),
    ("/api/v1/initiatives/initiatives", "initiatives", "initiatives.Initiative", ("published_at",), False),
    ("/api/v1/accountability/results", "accountability", "accountability.Result", ("start_date",), True),
    ("/api/v1/news/posts", "news", "news.Post", ("published_at",), False),
]


@pytest.mark.django_db
@pytest.mark.parametrize("path, name, model, fields, is_date", DATED, ids=[r[0].split("v1/")[1] for r in DATED])
def test_since_and_until_keep_the_days_asked_both_included(client, process, path, name, model, fields, is_date):
    import datetime

    factories.PhaseFactory(space=process, is_active=True)
    _seeded(process, name)
    every = _ids(client, path)
    if len(every) < 2:
        _seeded(process, name)
        every = _ids(client, path)
    assert len(every) >= 2, f"{path}: the seed gives too little to filter"
    chosen = min(every)

    def when(day: datetime.date, hour: int, field: str):
        # Half past midnight in the site's time zone: the day is the site's, not UTC's
        # (a meeting ends 20 minutes after it starts).
        minute = 50 if field == "ends_at" else 30
        return day if is_date else timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    day = datetime.date(2024, 5, 10)
    rows = apps.get_model(model).objects
    rows.filter(pk=chosen).update(**{field: when(day, 0, field) for field in fields})
    rows.exclude(pk=chosen).update(**{field: when(datetime.date(2023, 1, 1), 12, field) for field in fields})

    assert _ids(client, path, since="2024-05-10") == {chosen}
    assert _ids(client, path, since="2024-05-11") == set()
    assert _ids(client, path, until="2024-05-10") == every
    assert _ids(client, path, until="2024-05-09") == every - {chosen}
    assert _ids(client, path, since="2024-05-10", until="2024-05-10") == {chosen}
    bad = client.get(path, {"since": "10/05/2024"})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "since"


@pytest.mark.django_db
def test_spaces_since_and_until_keep_those_running_on_those_days(client, organization):
    import datetime

    winter = factories.SpaceFactory(
        organization=organization, start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2024, 3, 31)
    )
    summer = factories.SpaceFactory(
        organization=organization, start_date=datetime.date(2024, 6, 1), end_date=datetime.date(2024, 12, 31)
    )

    def slugs(**params):
        return {space["slug"] for space in client.get("/api/v1/spaces", params).json()["items"]}

    assert slugs() == {winter.slug, summer.slug}
    assert slugs(since="2024-05-01") == {summer.slug}
    assert slugs(until="2024-04-30") == {winter.slug}
    assert slugs(since="2024-03-31", until="2024-03-31") == {winter.slug}
    assert slugs(since="2024-04-01", until="2024-05-31") == set()
