import json

import pytest
from django.urls import reverse

from agora.actionlog.models import ActionLog
from agora.components.pages import services
from agora.components.pages.models import Page
from agora.components.pages.tests.factories import PageFactory
from agora.components.registry import registry
from agora.core.translations import tr
from agora.permissions import PermissionDenied
from agora.spaces.models import Role
from agora.testing import factories


@pytest.fixture
def component(process):
    return factories.ComponentFactory(space=process, manifest_name="pages")


@pytest.fixture
def page(component):
    return PageFactory(component=component, title=tr("Règlement"))


def admin_url(component, name="index", **kwargs):
    return reverse(
        f"pages_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def staff(space, role=Role.Name.SPACE_ADMIN):
    user = factories.RoleFactory(space=space, name=role).user
    factories.member_of(user, space.organization)
    return user


def all_urls(component, page):
    return [
        ("get", admin_url(component)),
        ("get", admin_url(component, "create")),
        ("get", admin_url(component, "edit", page_id=page.pk)),
        ("get", admin_url(component, "delete", page_id=page.pk)),
        ("post", admin_url(component, "delete", page_id=page.pk)),
        ("post", admin_url(component, "move", page_id=page.pk)),
    ]


def test_anonymous_visitors_are_sent_to_login(client, component, page):
    for method, url in all_urls(component, page):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    assert Page.objects.filter(pk=page.pk).exists()


@pytest.mark.parametrize("who", ["participant", "other_space_admin", "collaborator", "other_org_admin"])
def test_people_without_the_right_are_refused(client, component, page, participant, other_organization, who):
    if who == "participant":
        user = participant
    elif who == "other_space_admin":
        user = staff(factories.SpaceFactory(organization=component.space.organization))
    elif who == "collaborator":
        user = staff(component.space, Role.Name.COLLABORATOR)
    else:
        user = factories.UserFactory()
        Role.objects.create(user=user, organization=other_organization, name=Role.Name.ORGANIZATION_ADMIN)
        factories.member_of(user, component.space.organization)  # also a participant here
    client.force_login(user)
    for method, url in all_urls(component, page):
        response = getattr(client, method)(url, {"title__fr": "Piraté", "direction": "up"})
        assert response.status_code == 403, (who, url)
    page.refresh_from_db()
    assert page.title == tr("Règlement")
    with pytest.raises(PermissionDenied):
        services.create_page(actor=user, component=component, title=tr("X"), body={})
    with pytest.raises(PermissionDenied):
        services.update_page(actor=user, page=page, title=tr("X"), body={})
    with pytest.raises(PermissionDenied):
        services.delete_page(actor=user, page=page)


def test_component_of_another_organization_is_not_managed_from_this_host(client, org_admin, other_organization):
    other = factories.ComponentFactory(
        space=factories.SpaceFactory(organization=other_organization), manifest_name="pages"
    )
    client.force_login(org_admin)
    assert client.get(admin_url(other)).status_code == 404
    # Wrong space id for a component of this organization is refused too.
    mine = factories.ComponentFactory(
        space=factories.SpaceFactory(organization=org_admin.memberships.first().organization)
    )
    url = reverse("pages_admin:index", kwargs={"space_id": other.space_id, "component_id": mine.pk})
    assert client.get(url).status_code == 404


def test_space_admin_creates_edits_moves_and_deletes_a_page(client, component):
    user = staff(component.space)
    client.force_login(user)
    assert client.get(admin_url(component)).status_code == 200
    response = client.post(
        admin_url(component, "create"),
        {
            "title__fr": "Questions fréquentes",
            "title__en": "FAQ",
            "body__fr": "<p>Réponses</p><script>alert(1)</script>",
            "body__en": "",
            "slug": "",
        },
    )
    assert response.status_code == 302
    faq = Page.objects.get(component=component)
    assert faq.slug == "questions-frequentes"
    assert faq.title == {"fr": "Questions fréquentes", "en": "FAQ"}
    assert faq.body == {"fr": "<p>Réponses</p>"}
    rules = services.create_page(actor=user, component=component, title=tr("Règlement"), body={})
    assert [p.pk for p in Page.objects.filter(component=component)] == [faq.pk, rules.pk]

    response = client.post(admin_url(component, "move", page_id=rules.pk), {"direction": "up"})
    assert response.status_code == 302
    assert [p.pk for p in Page.objects.filter(component=component)] == [rules.pk, faq.pk]

    response = client.post(
        admin_url(component, "edit", page_id=faq.pk),
        {
            "title__fr": "FAQ",
            "body__fr": "<p>Nouveau</p>",
            "slug": "faq",
        },
    )
    assert response.status_code == 302
    faq.refresh_from_db()
    assert (faq.slug, faq.body) == ("faq", {"fr": "<p>Nouveau</p>"})

    assert client.get(admin_url(component, "delete", page_id=faq.pk)).status_code == 200
    assert client.post(admin_url(component, "delete", page_id=faq.pk)).status_code == 302
    assert not Page.objects.filter(pk=faq.pk).exists()
    verbs = list(ActionLog.objects.filter(component=component).values_list("verb", flat=True))
    assert sorted(verbs) == sorted(
        ["pages.page_created", "pages.page_created", "pages.page_moved", "pages.page_updated", "pages.page_deleted"]
    )


def test_invalid_form_keeps_what_was_typed_and_lists_errors(client, component, page, org_admin):
    client.force_login(org_admin)
    client.cookies["agora_language"] = "en"
    response = client.post(
        admin_url(component, "create"),
        {
            "title__fr": "",
            "body__fr": "<p>Mon long texte</p>",
            "slug": page.slug,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Another page of this component already uses this address." in html
    assert "Mon long texte" in html
    assert Page.objects.filter(component=component).count() == 1


def test_page_of_another_component_cannot_be_edited_through_this_one(client, component, org_admin):
    elsewhere = PageFactory(component=factories.ComponentFactory(space=component.space))
    client.force_login(org_admin)
    assert client.get(admin_url(component, "edit", page_id=elsewhere.pk)).status_code == 404


def test_exports_search_and_stats_contain_only_public_pages(component, page):
    manifest = registry["pages"]
    export = manifest.hook(manifest.exports["json"])
    data = json.loads(export(component).content)
    assert [p["title"] for p in data["pages"]] == [tr("Règlement")]
    assert set(data["pages"][0]) == {"slug", "title", "body", "url", "updated_at"}
    results = list(manifest.hook(manifest.search)(component))
    assert results == [("Règlement", "Texte de la page", page.get_absolute_url())]
    assert manifest.hook(manifest.stats)(component)[0][1] == 1

    component.published_at = None
    component.save()
    assert json.loads(export(component).content)["pages"] == []
    assert list(manifest.hook(manifest.search)(component)) == []
    component.published_at = page.created_at
    component.save()
    component.space.private = True
    component.space.save()
    assert json.loads(export(component).content)["pages"] == []


def test_seed_creates_rules_and_faq_in_french_and_english(client, component):
    registry["pages"].hook(registry["pages"].seed)(component)
    pages = list(Page.objects.filter(component=component))
    assert [p.slug for p in pages] == ["reglement", "faq"]
    rules, faq = pages
    assert "100 000 €" in rules.body["fr"] and "€100,000" in rules.body["en"]
    for text in ("16 ans", "5 idées", "3 projets", "Dépôt des idées", "Étude de faisabilité", "Suivi des réalisations"):
        assert text in rules.body["fr"], text
    assert "aged 16 and over" in rules.body["en"]
    assert faq.title["en"] == "Frequently asked questions"
    component.refresh_from_db()
    assert component.settings_of().show_table_of_contents is True
    html = client.get(rules.get_absolute_url()).content.decode()
    assert 'href="#section-1"' in html


def test_rich_text_hint_shows_the_markdown_to_type(client, component, org_admin):
    client.force_login(org_admin)
    client.cookies["agora_language"] = "en"
    html = client.get(admin_url(component, "create")).content.decode()
    assert "Markdown: **bold**, *italic*" in html and "[text of the link](https://…)" in html
