"""THE acceptance test of the back-office: every URL pattern under /admin/
(the "backoffice" namespace, every "<component>_admin" namespace and the
cross-cutting back-offices: moderation, verifications, desk, outbox, newsletters, open data, privacy) is walked for
each role."""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agora.components.registry import registry
from agora.core.models import HomeBlock
from agora.spaces.models import ProcessGroup, Role
from agora.testing import factories

from .factories import AssemblyFactory, AssemblyMemberFactory, SpaceMemberFactory, staff

MISSING = 999_999_999  # an id nothing has


def _walk_resolver(resolver, namespace=None, converters=()):
    namespace = resolver.namespace or namespace
    converters = (*converters, *getattr(resolver.pattern, "converters", {}).keys())
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk_resolver(entry, namespace, converters)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace, entry, (*converters, *getattr(entry.pattern, "converters", {}).keys())


def admin_patterns():
    """(namespace, URLPattern, kwarg names) of everything mounted under /admin/."""
    found = []
    for entry in get_resolver().url_patterns:
        if not isinstance(entry, URLResolver) or not str(entry.pattern).startswith("admin/"):
            continue
        for namespace, pattern, kwargs in _walk_resolver(entry):
            if namespace in ("backoffice", "desk") or (namespace or "").endswith("_admin"):
                found.append((namespace, pattern, kwargs))
    return found


def _component_object_id(component, kwarg):
    """An object of the component app for a kwarg such as page_id / post_id."""
    manifest = component.manifest
    module = manifest.admin_urls.rsplit(".", 1)[0]
    app_config = next((c for c in apps.get_app_configs() if c.name == module), None)
    if app_config is None:
        return None
    model_name = kwarg.removesuffix("_id")
    try:
        model = app_config.get_model(model_name)
    except LookupError:
        return None
    field_names = {f.name for f in model._meta.get_fields()}
    if "component" not in field_names:
        return None
    obj = model.objects.filter(component=component).first()
    return obj.pk if obj else None


@pytest.fixture
def world(organization, other_organization, process):
    """Objects of organization A for every kind of URL argument."""
    assembly = AssemblyFactory(organization=organization, private=True)
    phase = factories.PhaseFactory(space=process)
    component = factories.ComponentFactory(space=process)
    components = {}
    for manifest in registry.all():
        instance = factories.ComponentFactory(space=process, manifest_name=manifest.name)
        if manifest.seed:
            manifest.hook(manifest.seed)(instance)
        components[manifest.name] = instance
    category = factories.CategoryFactory(organization=organization)
    scope_type = factories.ScopeTypeFactory(organization=organization)
    scope = factories.ScopeFactory(organization=organization, scope_type=scope_type)
    group = process.group = ProcessGroup.objects.create(organization=organization, title={"fr": "Groupe"})
    process.save()
    role = Role.objects.create(
        user=factories.UserFactory(), organization=organization, space=process, name=Role.Name.MODERATOR
    )
    return {
        "process": process,
        "assembly": assembly,
        "phase": phase,
        "component": component,
        "components": components,
        "category": category,
        "scope_type": scope_type,
        "scope": scope,
        "group": group,
        "role": role,
        "assembly_member": AssemblyMemberFactory(space=assembly),
        "home_block": HomeBlock.objects.create(
            organization=organization, kind="text", settings={"title": {"fr": "Bloc"}, "text": {"fr": "<p>Texte</p>"}}
        ),
        "space_member": SpaceMemberFactory(space=assembly),
    }


def _moderation_item(world):
    """A reported news post of the process (for moderation_id / user_id)."""
    if "moderation_item" not in world:
        from agora.moderation.tests.factories import moderated_item

        world["moderation_item"] = moderated_item(world["process"])
    return world["moderation_item"]


def _newsletter(world):
    """A draft newsletter of organization A with one block (for newsletter_id / block_id)."""
    if "newsletter" not in world:
        from agora.newsletters.models import Block, Newsletter

        newsletter = Newsletter.objects.create(organization=world["process"].organization, subject={"fr": "Lettre"})
        Block.objects.create(newsletter=newsletter, kind=Block.Kind.TEXT, text={"fr": "<p>Bonjour</p>"})
        world["newsletter"] = newsletter
    return world["newsletter"]


def _kwargs_for(namespace, pattern, names, world):
    if namespace == "moderation_admin":
        item = _moderation_item(world)
        values = {"space_id": world["process"].pk, "moderation_id": item.pk, "user_id": item.author_id}
        return {name: values[name] for name in names}, (world["process"] if "space_id" in names else None)
    if namespace == "verifications_admin":  # organization screens + one screen per component
        values = {
            "space_id": world["process"].pk,
            "component_id": world["component"].pk,
            "verification_id": MISSING,
            "upload_id": MISSING,
        }
        return {name: values[name] for name in names}, (world["process"] if "space_id" in names else None)
    if namespace == "desk":
        values = {"agent_id": MISSING, "person_id": MISSING}
        return {name: values[name] for name in names}, None
    if namespace in ("outbox_admin", "opendata_admin", "privacy_admin"):  # organization screens
        return {name: MISSING for name in names}, None
    if namespace == "api_admin":  # one's own API tokens: the list, a token that does not exist
        return {name: MISSING for name in names}, None
    if namespace == "statistics_admin":  # organization screens, a space's, a component's
        component = world["component"]
        values = {"space_id": component.space_id, "component_id": component.pk}
        return {name: values[name] for name in names}, (component.space if "space_id" in names else None)
    if namespace == "newsletters_admin":  # organization screens about a draft newsletter and its blocks
        newsletter = _newsletter(world)
        values = {"newsletter_id": newsletter.pk, "block_id": newsletter.blocks.get().pk, "language": "fr"}
        return {name: values[name] for name in names}, None
    if namespace != "backoffice":
        component = world["components"][namespace.removesuffix("_admin")]
        kwargs = {"space_id": component.space_id, "component_id": component.pk}
        for name in names:
            if name == "export_format":
                kwargs[name] = "json"
            elif name not in kwargs:
                kwargs[name] = _component_object_id(component, name) or MISSING
        return kwargs, component.space
    url_name = pattern.name
    space = world["assembly"] if "member" in url_name else world["process"]
    values = {
        "space_id": space.pk,
        "phase_id": world["phase"].pk,
        "component_id": world["component"].pk,
        "member_id": (world["assembly_member"] if url_name.startswith("assembly_member") else world["space_member"]).pk,
        "group_id": world["group"].pk,
        "category_id": world["category"].pk,
        "scope_type_id": world["scope_type"].pk,
        "scope_id": world["scope"].pk,
        "role_id": world["role"].pk,
        "user_id": world["role"].user_id,
        "export_format": "json",
        "block_id": world["home_block"].pk,
    }
    missing = [name for name in names if name not in values]
    assert not missing, f"The walk does not know how to fill {missing} of backoffice:{url_name}"
    return {name: values[name] for name in names}, (space if "space_id" in names else None)


# Open to anyone on purpose: leaving "acting for someone" must work even for
# an agent who lost the desk role meanwhile (agora/desk tests cover it).
OPEN_TO_ANYONE = {("desk", "stop")}


def all_urls(world):
    urls = []
    for namespace, pattern, names in admin_patterns():
        if (namespace, pattern.name) in OPEN_TO_ANYONE:
            continue
        kwargs, space = _kwargs_for(namespace, pattern, names, world)
        url = reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)
        post_only = getattr(pattern.callback, "post_only", False)
        urls.append((namespace, pattern.name, url, space, post_only, MISSING in kwargs.values()))
    return urls


def test_the_walk_covers_the_backoffice_and_every_component(world):
    urls = all_urls(world)
    namespaces = {namespace for namespace, *_rest in urls}
    assert "backoffice" in namespaces
    for manifest in registry.all():
        if manifest.admin_urls:
            assert f"{manifest.name}_admin" in namespaces
    assert len(urls) > 40


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for namespace, name, url, *_rest in all_urls(world):
        response = client.get(url)
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith(reverse("account_login")), url


def test_plain_participants_are_refused(client, participant, world):
    client.force_login(participant)
    for namespace, name, url, *_rest in all_urls(world):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 403, (method.__name__, url, response.status_code)


def test_a_collaborator_of_another_space_is_refused_on_space_screens(client, organization, world):
    elsewhere = factories.SpaceFactory(organization=organization)
    collaborator = staff(organization, Role.Name.COLLABORATOR, elsewhere)
    client.force_login(collaborator)
    checked = 0
    for namespace, name, url, space, *_rest in all_urls(world):
        if space is None:
            continue
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 403, (method.__name__, url, response.status_code)
        checked += 1
    assert checked > 20


def test_the_admin_of_another_organization_gets_nothing(client, other_org_admin, world):
    client.force_login(other_org_admin)
    # On organization A's site, where B's admin is a plain participant.
    for namespace, name, url, *_rest in all_urls(world):
        for method in (client.get, client.post):
            response = method(url)
            # Plain participant there: the refusal page, whatever the URL names (ids of A are found).
            assert response.status_code == 403, (method.__name__, url, response.status_code)
    # On organization B's own site, A's objects do not exist.
    for namespace, name, url, space, post_only, has_missing in all_urls(world):
        if not any(char.isdigit() for char in url):
            continue  # B's own screens
        response = client.post(url, HTTP_HOST="other.example.org")
        assert response.status_code == 404, ("post", url, response.status_code)
        response = client.get(url, HTTP_HOST="other.example.org")
        expected = (404, 405) if post_only else (404,)  # 405 only for a POST-only URL of B's own screens
        assert response.status_code in expected, ("get", url, response.status_code)


def test_the_admin_of_the_organization_opens_every_page(client, org_admin, world):
    client.force_login(org_admin)
    for namespace, name, url, space, post_only, has_missing in all_urls(world):
        response = client.get(url)
        if post_only:
            assert response.status_code == 405, (url, response.status_code)
        elif has_missing:  # an id nothing has
            assert response.status_code == 404, (url, response.status_code)
        elif namespace != "backoffice" and response.status_code == 405:  # POST-only without the flag
            assert "GET" not in response["Allow"], (url, response["Allow"])
        elif namespace != "backoffice":
            assert response.status_code == 200, (url, response.status_code)
        else:
            assert response.status_code == 200, (url, response.status_code)
            if response["Content-Type"].startswith("text/html"):  # exports are files
                assert response.content.count(b"<h1") == 1, url


# --- people across organizations -----------------------------------------------------------

B_HOST = "other.example.org"


def _without_echo(html: str, *typed: str) -> str:
    """A page without its per-response tokens and what was typed, to compare two answers."""
    import re

    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    html = re.sub(r'nonce="[^"]*"', "", html)  # Content-Security-Policy nonces change with every response
    for text in typed:
        html = html.replace(text, "TYPED")
    return html


def test_people_of_another_organization_are_out_of_reach(client, organization, other_organization, other_org_admin):
    """Profiles, e-mail look-ups and desk agents: on organization B's site,
    a person who belongs only to A is not found, with the same answer as an
    address nobody has (no enumeration)."""
    from django.core.exceptions import ValidationError

    from agora.desk.models import DeskAgent
    from agora.desk.services import grant_agent

    only_a = factories.UserFactory(email="only-a@example.org")
    factories.member_of(only_a, organization)
    profile = reverse("accounts:profile", args=[only_a.nickname])
    assert client.get(profile).status_code == 200  # A's site
    assert client.get(profile, HTTP_HOST=B_HOST).status_code == 404
    staff_of_a = staff(organization, Role.Name.MODERATOR, factories.SpaceFactory(organization=organization))
    assert client.get(reverse("accounts:profile", args=[staff_of_a.nickname]), HTTP_HOST=B_HOST).status_code == 404

    client.force_login(other_org_admin)
    checks = {
        "desk agents": (reverse("desk:agents"), lambda email: {"email": email}),
        "desk in-person check": (
            reverse("desk:check"),
            lambda email: {"email": email, "last_name": "Martin", "first_name": "Jean", "birth_date": "1980-01-02"},
        ),
        "staff roles": (reverse("backoffice:roles"), lambda email: {"person": email, "name": "org_admin"}),
    }
    for what, (url, data) in checks.items():
        elsewhere = client.post(url, data(only_a.email), HTTP_HOST=B_HOST)
        nobody = client.post(url, data("nobody-anywhere@example.org"), HTTP_HOST=B_HOST)
        assert elsewhere.status_code == nobody.status_code == 200, (what, elsewhere.status_code, nobody.status_code)
        assert _without_echo(elsewhere.content.decode(), only_a.email) == _without_echo(
            nobody.content.decode(), "nobody-anywhere@example.org"
        ), what
        assert "error" in elsewhere.content.decode(), what
    assert not DeskAgent.objects.filter(user=only_a).exists()
    assert not Role.objects.filter(user=only_a, organization=other_organization).exists()
    with pytest.raises(ValidationError):
        grant_agent(actor=other_org_admin, organization=other_organization, user=only_a)
    assert not DeskAgent.objects.filter(user=only_a).exists()

    # B's own member is found (the look-up works at all).
    only_b = factories.UserFactory()
    factories.member_of(only_b, other_organization)
    assert client.get(reverse("accounts:profile", args=[only_b.nickname]), HTTP_HOST=B_HOST).status_code == 200
    response = client.post(reverse("desk:agents"), {"email": only_b.email}, HTTP_HOST=B_HOST)
    assert (
        response.status_code == 302 and DeskAgent.objects.filter(user=only_b, organization=other_organization).exists()
    )
