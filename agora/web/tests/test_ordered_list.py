"""The generic back-office ordered list (agora.web.ordered_list), through a
list made for these tests (things.py): who may use it, forms refused and
shown again, moves, pages of the list and the confirmation before deleting."""

import re

import pytest
from django.urls import reverse

from agora.actionlog.models import ActionLog
from agora.components.pages.models import Page
from agora.components.pages.tests.factories import PageFactory
from agora.core.translations import tr
from agora.spaces.models import Role
from agora.testing import factories

pytestmark = pytest.mark.urls("agora.web.tests.things")


@pytest.fixture
def component(process):
    return factories.ComponentFactory(space=process, manifest_name="pages")


@pytest.fixture
def things(component):
    return [PageFactory(component=component, title=tr(f"Chose {n}"), slug=f"chose-{n}", weight=n) for n in range(3)]


@pytest.fixture
def space_admin(component):
    user = factories.RoleFactory(space=component.space, name=Role.Name.SPACE_ADMIN).user
    factories.member_of(user, component.space.organization)
    return user


def url(component, name="index", **kwargs):
    return reverse(
        f"things_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def order(component):
    return list(Page.objects.filter(component=component).order_by("weight", "id").values_list("slug", flat=True))


def every_url(component, thing):
    return [
        url(component),
        url(component, "create"),
        url(component, "edit", thing_id=thing.pk),
        url(component, "delete", thing_id=thing.pk),
        url(component, "move", thing_id=thing.pk),
    ]


def test_the_urls_follow_the_declaration(component, things):
    base = f"/admin/test/{component.space_id}/{component.pk}/things/"
    assert [url(component), url(component, "create"), url(component, "move", thing_id=things[0].pk)] == [
        base,
        base + "new/",
        f"{base}{things[0].pk}/move/",
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, component, things):
    for address in every_url(component, things[0]):
        for method in (client.get, client.post):
            response = method(address)
            assert response.status_code == 302 and "/login" in response["Location"], address
    assert order(component) == ["chose-0", "chose-1", "chose-2"]


@pytest.mark.parametrize("who", ["participant", "collaborator", "admin_of_another_space"])
def test_people_without_the_right_are_refused_and_change_nothing(client, component, things, participant, who):
    if who == "participant":
        user = participant
    else:
        space = (
            component.space
            if who == "collaborator"
            else factories.SpaceFactory(organization=component.space.organization)
        )
        name = Role.Name.COLLABORATOR if who == "collaborator" else Role.Name.SPACE_ADMIN
        user = factories.RoleFactory(space=space, name=name).user
        factories.member_of(user, component.space.organization)
    client.force_login(user)
    data = {"title__fr": "Piraté", "slug": "pirate", "direction": "up"}
    for address in every_url(component, things[2]):
        assert client.get(address).status_code == 403, address
        assert client.post(address, data).status_code == 403, address
    assert order(component) == ["chose-0", "chose-1", "chose-2"]
    assert not ActionLog.objects.exists()


def test_an_item_of_another_component_is_not_found(client, component, things, space_admin):
    elsewhere = PageFactory(component=factories.ComponentFactory(space=component.space, manifest_name="pages"))
    client.force_login(space_admin)
    for name in ("edit", "delete"):
        assert client.get(url(component, name, thing_id=elsewhere.pk)).status_code == 404
    assert client.post(url(component, "delete", thing_id=elsewhere.pk)).status_code == 404
    assert client.post(url(component, "move", thing_id=elsewhere.pk), {"direction": "up"}).status_code == 404
    assert Page.objects.filter(pk=elsewhere.pk).exists()


def test_a_long_list_is_shown_in_pages(client, component, things, space_admin):
    client.force_login(space_admin)
    first = client.get(url(component)).content.decode()
    assert "Chose 0" in first and "Chose 1" in first and "Chose 2" not in first
    assert 'class="pagination"' in first and "?page=2" in first
    second = client.get(url(component), {"page": 2}).content.decode()
    assert "Chose 2" in second and "Chose 0" not in second


def test_the_list_offers_moves_as_buttons_except_at_the_ends(client, component, things, space_admin):
    client.force_login(space_admin)

    def buttons(html):
        return re.findall(
            r'<button type="submit" name="direction" value="(up|down)"[^>]*>[^<]*'
            r'<span class="visually-hidden"> — (Chose \d)</span>',
            html,
        )

    assert buttons(client.get(url(component)).content.decode()) == [
        ("down", "Chose 0"),
        ("up", "Chose 1"),
        ("down", "Chose 1"),
    ]
    # The first item of the second page can go up (onto the first page); the last cannot go down.
    assert buttons(client.get(url(component), {"page": 2}).content.decode()) == [("up", "Chose 2")]


def test_moves_change_the_order_through_the_service(client, component, things, space_admin):
    client.force_login(space_admin)
    response = client.post(url(component, "move", thing_id=things[2].pk), {"direction": "up"})
    # Back to the page of the list where the item now is, on its row.
    assert response.status_code == 302 and response["Location"] == url(component) + f"#row-{things[2].pk}"
    assert order(component) == ["chose-0", "chose-2", "chose-1"]
    response = client.post(url(component, "move", thing_id=things[0].pk), {"direction": "down"}, follow=True)
    assert order(component) == ["chose-2", "chose-0", "chose-1"]
    assert "Thing moved." in response.content.decode()
    response = client.post(url(component, "move", thing_id=things[0].pk), {"direction": "down"})
    assert response["Location"] == url(component) + f"?page=2#row-{things[0].pk}"
    assert order(component) == ["chose-2", "chose-1", "chose-0"]
    # Past the end, or a direction that means nothing: the order stays.
    client.post(url(component, "move", thing_id=things[0].pk), {"direction": "down"})
    client.post(url(component, "move", thing_id=things[1].pk), {"direction": "sideways"})
    assert order(component) == ["chose-2", "chose-1", "chose-0"]
    assert ActionLog.objects.filter(verb="pages.page_moved", actor=space_admin).count() == 3


def test_a_move_is_a_post(client, component, things, space_admin):
    client.force_login(space_admin)
    assert client.get(url(component, "move", thing_id=things[1].pk), {"direction": "up"}).status_code == 405
    assert order(component) == ["chose-0", "chose-1", "chose-2"]


def test_an_invalid_form_comes_back_with_the_error_summary_and_what_was_typed(client, component, space_admin):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    response = client.post(url(component, "create"), {"title__fr": "", "body__fr": "<p>Mon long texte</p>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html and "Mon long texte" in html
    assert not Page.objects.exists()


def test_what_the_service_refuses_goes_on_its_field_or_above_the_form(client, component, space_admin):
    client.force_login(space_admin)
    response = client.post(url(component, "create"), {"title__fr": "Refusé", "slug": "refuse"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_slug">' in html and "The service refuses this address." in html  # on its field
    assert "Not a field of the form." in html  # the form has no such field: above the form
    assert 'value="Refusé"' in html
    assert not Page.objects.exists()


def test_create_and_edit_go_through_the_services(client, component, space_admin):
    client.force_login(space_admin)
    response = client.post(url(component, "create"), {"title__fr": "Neuve", "body__fr": "<p>Texte</p>"}, follow=True)
    assert response.redirect_chain == [(url(component), 302)] and "Thing created." in response.content.decode()
    thing = Page.objects.get()
    edit = url(component, "edit", thing_id=thing.pk)
    assert "Neuve" in client.get(edit).content.decode()
    assert client.post(edit, {"title__fr": "Renommée", "slug": "renommee"}).status_code == 302
    thing.refresh_from_db()
    assert (thing.title, thing.slug) == ({"fr": "Renommée"}, "renommee")
    assert sorted(ActionLog.objects.values_list("verb", flat=True)) == ["pages.page_created", "pages.page_updated"]


def test_deleting_asks_first_and_deletes_only_on_post(client, component, things, space_admin):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    address = url(component, "delete", thing_id=things[1].pk)
    response = client.get(address)
    html = response.content.decode()
    assert response.status_code == 200 and Page.objects.filter(pk=things[1].pk).exists()
    assert "Delete “Chose 1”?" in html and '<form method="post">' in html
    assert f'href="{url(component)}"' in html  # "Cancel" goes back to the list
    response = client.post(address, follow=True)
    assert response.redirect_chain == [(url(component), 302)] and "Thing deleted." in response.content.decode()
    assert order(component) == ["chose-0", "chose-2"]
    assert ActionLog.objects.filter(verb="pages.page_deleted").count() == 1


def test_a_deletion_the_service_refuses_is_explained_on_the_confirmation_page(client, component, space_admin):
    kept = PageFactory(component=component, slug="kept")
    client.force_login(space_admin)
    response = client.post(url(component, "delete", thing_id=kept.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="alert alert-error" role="alert">' in html and "This thing is kept." in html
    assert Page.objects.filter(pk=kept.pk).exists()


def test_an_empty_list_says_so(client, component, space_admin):
    client.force_login(space_admin)
    html = client.get(url(component)).content.decode()
    assert "No thing yet." in html and "<table" not in html and url(component, "create") in html


def test_the_screens_are_made_of_the_page_parts(client, component, things, space_admin):
    client.force_login(space_admin)
    listing = client.get(url(component)).content.decode()
    # Breadcrumbs to the space and the component, the "new" button, each row's buttons naming their item.
    assert '<nav class="breadcrumbs" aria-label="' in listing
    assert f'<a class="button" href="{url(component, "create")}">' in listing
    first = things[0]
    assert (
        f'<a class="button button-secondary button-small" href="{url(component, "edit", thing_id=first.pk)}">'
        in listing
    )
    assert f'<span class="visually-hidden"> — {first.title["fr"]}</span>' in listing
    form = client.get(url(component, "create")).content.decode()
    assert '<button type="submit" class="button">' in form and 'class="button button-secondary"' in form
    confirmation = client.get(url(component, "delete", thing_id=first.pk)).content.decode()
    assert '<div class="alert alert-warning">' in confirmation
    assert '<button type="submit" class="button button-danger">' in confirmation


def test_an_empty_list_is_an_empty_state_with_the_way_to_add_one(client, component, space_admin):
    client.force_login(space_admin)
    html = client.get(url(component)).content.decode()
    assert '<div class="empty-state">' in html
    assert f'<a class="button button-secondary" href="{url(component, "create")}">' in html
