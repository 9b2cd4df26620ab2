import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agora.components.sortitions import services
from agora.components.sortitions.models import Draw, IdeaDraw, Sortition
from agora.components.sortitions.tests.conftest import POOL_CSV, QUOTAS
from agora.core.translations import tr
from agora.sortition import draw as engine_draw
from agora.spaces.models import Role
from agora.testing import factories


def admin_url(component, name="index", **kwargs):
    return reverse(
        f"sortitions_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def public_url(component, name="index", **kwargs):
    space = component.space
    return reverse(
        f"sortitions:{name}",
        kwargs={"space_kind": space.url_prefix, "space_slug": space.slug, "component_id": component.pk, **kwargs},
    )


@pytest.fixture
def ready(component, space_admin, django_capture_on_commit_callbacks):
    sortition = services.create_sortition(
        actor=space_admin, component=component, title="Panel", panel_size=8, one_per_household=True, algorithm="leximin"
    )
    services.import_volunteers(actor=space_admin, sortition=sortition, text=POOL_CSV)
    services.set_quotas(actor=space_admin, sortition=sortition, text=QUOTAS)
    with django_capture_on_commit_callbacks(execute=True):
        draw = services.start_selection(actor=space_admin, sortition=sortition)
    draw.refresh_from_db()
    party = services.add_party(
        actor=space_admin, draw=draw, name="city", commitment=engine_draw.commitment("city", "s")
    )
    return sortition, draw, party


def all_urls(component, sortition, draw, party):
    return [
        ("get", admin_url(component)),
        ("post", admin_url(component)),
        ("get", admin_url(component, "sortition", sortition_id=sortition.pk)),
        ("post", admin_url(component, "pool", sortition_id=sortition.pk)),
        ("post", admin_url(component, "quotas", sortition_id=sortition.pk)),
        ("post", admin_url(component, "select", sortition_id=sortition.pk)),
        ("post", admin_url(component, "replace", sortition_id=sortition.pk)),
        ("post", admin_url(component, "seat", sortition_id=sortition.pk)),
        ("get", admin_url(component, "draw", draw_id=draw.pk)),
        ("post", admin_url(component, "commit", draw_id=draw.pk)),
        ("post", admin_url(component, "reveal", draw_id=draw.pk, party_id=party.pk)),
        ("post", admin_url(component, "perform", draw_id=draw.pk)),
        ("post", admin_url(component, "decline", draw_id=draw.pk)),
    ]


def test_anonymous_visitors_are_sent_to_login(client, component, ready):
    for method, target in all_urls(component, *ready):
        response = getattr(client, method)(target)
        assert response.status_code == 302 and "/login" in response["Location"], target


@pytest.mark.parametrize("who", ["participant", "moderator", "other_space_admin"])
def test_people_without_the_right_are_refused(client, component, ready, organization, who):
    if who == "participant":
        user = factories.UserFactory()
    else:
        space = factories.SpaceFactory(organization=organization) if who == "other_space_admin" else component.space
        name = Role.Name.SPACE_ADMIN if who == "other_space_admin" else Role.Name.MODERATOR
        user = factories.RoleFactory(space=space, name=name).user
    factories.member_of(user, organization)
    client.force_login(user)
    data = {"title": "x", "panel_size": "3", "algorithm": "leximin", "lines": QUOTAS, "name": "intruder",
            "commitment": "a" * 64, "secret": "s", "public_value": "mine", "refs": "P001"}  # fmt: skip
    for method, target in all_urls(component, *ready):
        assert getattr(client, method)(target, data).status_code == 403, (who, target)
    sortition, draw, party = ready
    draw.refresh_from_db()
    party.refresh_from_db()
    assert Sortition.objects.count() == 1 and draw.state == Draw.State.READY and party.secret is None
    assert draw.parties.count() == 1


def test_the_officer_runs_a_sortition_through_the_screens(
    client, component, space_admin, django_capture_on_commit_callbacks
):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    assert (
        client.post(admin_url(component), {"title": "", "panel_size": "0", "algorithm": "leximin"}).status_code == 400
    )
    response = client.post(
        admin_url(component),
        {"title": "Climate panel", "panel_size": "8", "algorithm": "leximin", "one_per_household": "on"},
    )
    sortition = Sortition.objects.get()
    assert response.status_code == 302
    upload = SimpleUploadedFile("pool.csv", POOL_CSV.encode(), content_type="text/csv")
    assert client.post(admin_url(component, "pool", sortition_id=sortition.pk), {"file": upload}).status_code == 302
    bad = SimpleUploadedFile("pool.csv", b"\xff\xfe\x00bad", content_type="text/csv")
    assert client.post(admin_url(component, "pool", sortition_id=sortition.pk), {"file": bad}).status_code == 400
    response = client.post(
        admin_url(component, "quotas", sortition_id=sortition.pk), {"lines": "gender,f,30,40\ngender,m,0,8"}
    )
    assert response.status_code == 302
    page = client.get(admin_url(component, "sortition", sortition_id=sortition.pk)).content.decode()
    assert "At least 30 people with gender “f” are required but only 20 volunteers have it." in page
    assert "Lower the minimum of gender “f” from 30 to" in page
    assert (
        client.post(admin_url(component, "quotas", sortition_id=sortition.pk), {"lines": "nonsense"}).status_code == 400
    )
    client.post(admin_url(component, "quotas", sortition_id=sortition.pk), {"lines": QUOTAS})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url(component, "select", sortition_id=sortition.pk))
    draw = Draw.objects.get()
    assert response.status_code == 302 and response["Location"] == admin_url(component, "draw", draw_id=draw.pk)
    page = client.get(admin_url(component, "draw", draw_id=draw.pk)).content.decode()
    assert draw.distribution_sha256 in page and "<meter" in page and "Every volunteer" in page
    assert (
        client.post(admin_url(component, "commit", draw_id=draw.pk), {"name": "city", "commitment": "zz"}).status_code
        == 400
    )
    commitment = engine_draw.commitment("city", "secret words")
    assert (
        client.post(
            admin_url(component, "commit", draw_id=draw.pk), {"name": "city", "commitment": commitment}
        ).status_code
        == 302
    )
    party = draw.parties.get()
    assert (
        client.post(admin_url(component, "reveal", draw_id=draw.pk, party_id=party.pk), {"secret": "wrong"}).status_code
        == 400
    )
    assert (
        client.post(
            admin_url(component, "reveal", draw_id=draw.pk, party_id=party.pk), {"secret": "secret words"}
        ).status_code
        == 302
    )
    assert client.post(admin_url(component, "perform", draw_id=draw.pk), {"public_value": "42"}).status_code == 302
    draw.refresh_from_db()
    assert draw.state == Draw.State.DRAWN and len(draw.panel) == 8
    # public: the page and the bundle, pseudonymous ids only, never names or contacts
    client.logout()
    page = client.get(public_url(component, "detail", sortition_id=sortition.pk)).content.decode()
    assert draw.distribution_sha256 in page and draw.panel[0] in page
    response = client.get(public_url(component, "bundle", sortition_id=sortition.pk))
    text = response.content.decode()
    assert "Person 1" not in text and "@example.org" not in text and "Person 1" not in page
    assert engine_draw.verify(json.loads(text))
    assert client.get(public_url(component)).status_code == 200


def test_the_progress_of_a_running_draw_is_polled_and_works_without_javascript(
    client, component, ready, organization, space_admin
):
    sortition, draw, party = ready
    Draw.objects.filter(pk=draw.pk).update(state=Draw.State.RUNNING, progress="round 3: 40 of 120 types", percent=37)
    target = admin_url(component, "draw", draw_id=draw.pk)
    # refused to those without the right, the fragment too
    intruder = factories.UserFactory()
    factories.member_of(intruder, organization)
    client.force_login(intruder)
    assert client.get(target, headers={"HX-Request": "true"}).status_code == 403
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    page = client.get(target).content.decode()
    assert '<progress id="draw-bar" max="100" value="37">' in page
    assert 'hx-trigger="every 2s"' in page and f'hx-get="{target}"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page  # without JavaScript
    assert f'<a href="{target}">Reload</a>' in page
    fragment = client.get(target, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in text and "round 3: 40 of 120 types" in text
    assert 'value="37"' in text
    # once computed, htmx reloads the whole page, which no longer polls
    Draw.objects.filter(pk=draw.pk).update(state=Draw.State.READY, percent=100)
    done = client.get(target, headers={"HX-Request": "true"})
    assert done.status_code == 286 or done.headers.get("HX-Refresh") == "true"
    page = client.get(target).content.decode()
    assert "hx-trigger" not in page and "http-equiv" not in page


def test_the_worker_writes_its_progress(component, space_admin, django_capture_on_commit_callbacks):
    sortition = services.create_sortition(
        actor=space_admin, component=component, title="Panel", panel_size=8, one_per_household=True, algorithm="leximin"
    )
    services.import_volunteers(actor=space_admin, sortition=sortition, text=POOL_CSV)
    services.set_quotas(actor=space_admin, sortition=sortition, text=QUOTAS)
    seen = []
    from agora.components.sortitions import tasks

    original = tasks.Draw.objects.filter

    def spy(*args, **kwargs):
        query = original(*args, **kwargs)
        update = query.update

        def recording(**values):
            if "percent" in values:
                seen.append(values["percent"])
            return update(**values)

        query.update = recording
        return query

    tasks.Draw.objects.filter = spy
    try:
        with django_capture_on_commit_callbacks(execute=True):
            draw = services.start_selection(actor=space_admin, sortition=sortition)
    finally:
        tasks.Draw.objects.filter = original
    draw.refresh_from_db()
    assert draw.state == Draw.State.READY and draw.percent == 100
    assert seen[0] == 0 and seen[-1] == 100 and seen == sorted(seen)


@pytest.fixture
def ideas(component, space_admin):
    from agora.components.proposals.models import Proposal, ProposalState

    source = factories.ComponentFactory(space=component.space, manifest_name="proposals", name=tr("Idées", "Ideas"))
    nature = factories.CategoryFactory(organization=component.space.organization, name=tr("Nature", "Nature"))
    retained = ProposalState.objects.create(component=source, token="retenu", name=tr("Retenue", "Retained"))
    made = []
    for i in range(12):
        made.append(
            Proposal.objects.create(
                component=source,
                official=True,
                title=f"Idée {i}",
                body="…",
                status=Proposal.Status.PUBLISHED if i != 11 else Proposal.Status.WITHDRAWN,
                category=nature if i % 2 == 0 else None,
                published_state=retained if i % 3 == 0 else None,
            )
        )
    Proposal.objects.create(
        component=source, official=True, title="Brouillon", body="…", category=nature, published_state=retained
    )
    return source, nature, made


def test_drawing_ideas_among_those_matching_the_filters_is_published_and_checkable(
    client, component, space_admin, ideas, organization
):
    source, nature, made = ideas
    target = admin_url(component, "idea_draws")
    data = {"title": "Idées à étudier en premier", "source": source.pk, "category": nature.pk,
            "state": "retenu", "count": "2"}  # fmt: skip
    # refused without the right
    for who in ("participant", "moderator"):
        user = (
            factories.UserFactory()
            if who == "participant"
            else factories.RoleFactory(space=component.space, name=Role.Name.MODERATOR).user
        )
        factories.member_of(user, organization)
        client.force_login(user)
        assert client.get(target).status_code == 403
        assert client.post(target, data).status_code == 403
    assert not IdeaDraw.objects.exists()
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    assert client.get(target).status_code == 200
    # more than match: the form comes back with the reason
    response = client.post(target, {**data, "count": "9"})
    assert response.status_code == 400 and "2 ideas match the filters" in response.content.decode()
    response = client.post(target, data)
    assert response.status_code == 302
    created = IdeaDraw.objects.get()
    # ideas 0 and 6: nature and retained (not 12 the draft, not withdrawn ones)
    assert [c[0] for c in created.candidates["candidates"]] == sorted([str(made[0].pk), str(made[6].pk)])
    assert created.candidates["filters"] == {"category": "Nature", "state": "retenu"}
    page_url = admin_url(component, "idea_draw", idea_draw_id=created.pk)
    outsider = factories.UserFactory()
    factories.member_of(outsider, organization)
    client.force_login(outsider)
    assert client.post(page_url, {"public_value": "mine"}).status_code == 403
    client.force_login(space_admin)
    assert client.post(page_url, {"public_value": "  "}).status_code == 400
    assert client.post(page_url, {"public_value": "Loto 3 14 15 92"}).status_code == 302
    created.refresh_from_db()
    assert created.drawn_at is not None and len(created.drawn) == 2
    assert client.post(page_url, {"public_value": "again"}).status_code in (302, 400)
    created.refresh_from_db()
    assert created.public_value == "Loto 3 14 15 92"
    client.logout()
    page = client.get(public_url(component, "idea_draw", idea_draw_id=created.pk)).content.decode()
    assert created.candidates_sha256 in page and "Idée 0" in page and "Idée 6" in page
    bundle = client.get(public_url(component, "idea_bundle", idea_draw_id=created.pk))
    assert engine_draw.verify(json.loads(bundle.content.decode())) == ["draw 0 (ideas): OK, 2 of 2 ideas"]
    assert "Idées à étudier en premier" in client.get(public_url(component)).content.decode()


def test_drawing_ideas_refuses_an_ideas_component_of_another_space(component, space_admin, ideas):
    from django.core.exceptions import ValidationError

    elsewhere = factories.ComponentFactory(manifest_name="proposals")
    with pytest.raises(ValidationError):
        services.create_idea_draw(actor=space_admin, component=component, title="x", source=elsewhere, count=1)
