"""Every endpoint of the public API, walked as an anonymous client (from the
OpenAPI description, so a new component's endpoints are walked without editing
this file), against the demo seeds of every component in a public space, a
private one, an unpublished one and unpublished components, plus drafts,
hidden and unpublished content marked SECRET in the public components."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from agora.api.build import build_api
from agora.components.registry import ComponentManifest, registry
from agora.moderation.models import Moderation
from agora.testing import factories

MARK = "SECRET"
TYPES_WITHOUT_API: set[str] = set()


def hide(obj, organization):
    """What moderation hiding leaves: a Moderation row with hidden_at."""
    Moderation.objects.create(
        organization=organization,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        hidden_at=timezone.now(),
        hidden_by=Moderation.HiddenBy.MODERATOR,
    )


def _seed(space, manifest, *, published=True):
    component = factories.ComponentFactory(
        space=space,
        manifest_name=manifest.name,
        settings=manifest.default_settings(),
        published_at=timezone.now() if published else None,
    )
    if manifest.seed:
        manifest.hook(manifest.seed)(component)
    return component


# Secret content in public components, per component type: a function(component, organization)
# making drafts, hidden or unpublished resources whose texts carry MARK.
SECRETS: dict = {}


def secret(name):
    def register(function):
        SECRETS[name] = function
        return function

    return register


@secret("proposals")
def _secret_ideas(component, organization):
    from agora.components.proposals.models import Proposal

    Proposal.objects.create(
        component=component, author_name="x", title=f"{MARK} draft", body=MARK, status=Proposal.Status.DRAFT
    )
    hidden = Proposal.objects.create(
        component=component,
        author_name="x",
        title=f"{MARK} hidden",
        body=MARK,
        status=Proposal.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    hide(hidden, organization)
    # A comment on the hidden idea, and a hidden comment on a public idea.
    public_idea = Proposal.objects.filter(component=component, status=Proposal.Status.PUBLISHED).exclude(pk=hidden.pk)
    _comment(hidden, component, f"{MARK} on a hidden idea")
    hide(_comment(public_idea.first(), component, f"{MARK} hidden comment"), organization)


def _comment(target, component, body):
    from agora.comments.models import Comment

    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        organization=component.space.organization,
        space=component.space,
        component=component,
        body=body,
    )


@secret("news")
def _secret_news(component, organization):
    from agora.components.news.models import Post

    Post.objects.create(component=component, title={"fr": f"{MARK} draft"}, body={"fr": MARK}, published_at=None)
    Post.objects.create(
        component=component,
        title={"fr": f"{MARK} scheduled"},
        body={"fr": MARK},
        published_at=timezone.now() + timezone.timedelta(days=3),
    )


@pytest.fixture
def world(organization):
    public = factories.SpaceFactory(organization=organization, slug="public-space")
    factories.PhaseFactory(space=public, is_active=True)
    private = factories.SpaceFactory(organization=organization, slug="private-space", private=True)
    factories.PhaseFactory(space=private, is_active=True)
    unpublished = factories.SpaceFactory(organization=organization, slug="unpublished-space", published_at=None)
    factories.PhaseFactory(space=unpublished, is_active=True)
    factories.member_of(factories.UserFactory(), organization)
    public_components, hidden_components = [], []
    for manifest in registry.all():
        public_components.append(_seed(public, manifest))
        hidden_components.append(_seed(public, manifest, published=False))
        hidden_components.append(_seed(private, manifest))
        hidden_components.append(_seed(unpublished, manifest))
    for component in public_components:
        if component.manifest_name in SECRETS:
            SECRETS[component.manifest_name](component, organization)
    return {"public": public_components, "hidden": hidden_components}


def _schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _get(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, (path, params, response.content[:500])
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def _walk_list(client, path, bodies):
    """Every page of a list (following the cursors); its items."""
    items, cursor, pages = [], None, 0
    while True:
        params = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        response = _get(client, path, **params)
        bodies.append((path, response.content.decode()))
        data = response.json()
        items.extend(data["items"])
        cursor = data["next_cursor"]
        pages += 1
        if not cursor or pages > 200:
            break
    ids = [item["id"] for item in items if "id" in item]
    assert len(ids) == len(set(ids)), f"{path}: an item twice across pages"
    return items


@pytest.mark.django_db
def test_every_endpoint_shows_only_public_content(client, world):
    schema = _schema(client)
    bodies = []
    lists = {}
    details = []
    for path, operations in schema["paths"].items():
        if "get" not in operations or path.endswith("openapi.json"):
            continue
        if "{" in path:
            details.append(path)
        elif any(parameter["name"] == "cursor" for parameter in operations["get"].get("parameters", ())):
            lists[path] = _walk_list(client, path, bodies)
        else:
            bodies.append((path, _get(client, path).content.decode()))
    for path in details:
        parent = path[: path.rindex("/{")]
        key = "slug" if path.endswith("{slug}") else "id"
        found = [item[key] for item in lists.get(parent, [])]
        assert found, f"{path}: its list {parent} gave nothing to walk"
        for value in found:
            bodies.append((path, _get(client, re.sub(r"\{[^}]+\}", str(value), path)).content.decode()))

    hidden_paths = [component.get_absolute_url() for component in world["hidden"]]
    hidden_slugs = ["private-space", "unpublished-space"]
    for path, body in bodies:
        assert MARK not in body, f"{path} shows secret content"
        for slug in hidden_slugs:
            assert slug not in body, f"{path} shows something of {slug}"
        for url in re.findall(r'"url": ?"([^"]+)"', body):
            assert not any(url.startswith(hidden) for hidden in hidden_paths), f"{path}: {url}"
    # Every component type with an API gives something of its seeded public component.
    served = {path.split("/")[3] for path, items in lists.items() if items}
    assert lists["/api/v1/comments"], "the seeds' discussions are served"
    for manifest in registry.all():
        if manifest.api:
            assert manifest.name in served, f"{manifest.name}: no list gave anything"


def test_every_component_type_brings_its_resources():
    missing = {m.name for m in registry.all() if not m.api} - TYPES_WITHOUT_API
    assert not missing, f"components without a public API: {sorted(missing)}"


def extra_router():
    from ninja import Router

    router = Router()

    @router.get("/things")
    def things(request):
        return {"items": [], "next_cursor": None}

    return router


def test_a_component_added_to_the_registry_appears_in_the_api(settings):
    settings.NINJA_SKIP_REGISTRY = True
    manifest = registry.register(ComponentManifest(name="test_api", label="Test", api=f"{__name__}.extra_router"))
    try:
        schema = build_api(urls_namespace="test_api_extra").get_openapi_schema(path_prefix="/api/v1/")
    finally:
        registry.unregister(manifest.name)
    assert "/api/v1/test_api/things" in schema["paths"]
    assert "/api/v1/proposals/ideas" in schema["paths"]


def test_an_unknown_path_is_a_json_404(client, organization):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_bad_cursor_is_a_structured_error(client, organization):
    response = client.get("/api/v1/spaces", {"cursor": "garbage!"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_cursor"
    response = client.get("/api/v1/spaces", {"limit": 1000})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "limit"


@pytest.mark.parametrize("language, title", [("fr", "API publique"), ("en", "Public API")])
def test_the_documentation_page_lists_every_endpoint_without_scripts(client, organization, language, title):
    client.cookies["agora_language"] = language
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    schema = client.get("/api/v1/openapi.json").json()
    for path in schema["paths"]:
        assert path in html, path
    assert "cdn" not in html.lower()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    scripts = re.findall(r"<script[^>]*>", html)
    assert all(f'nonce="{nonce.group(1)}"' in tag or "src=" in tag for tag in scripts), scripts
