"""The administration menu: grouped by section, each entry shown only to those
who may use it, the current page marked, folding on a phone without JavaScript."""

from django.urls import reverse

from agora.spaces.models import Role
from agora.testing import factories

from .factories import staff
from .menu import menu_hrefs, menu_of

ORGANIZATION = ("organization", "accessibility_statement", "terms", "categories", "scopes")
PARTICIPANTS = ("participants", "invitations", "roles")


def _menu(client, url_name="backoffice:dashboard", language="en"):
    client.cookies["agora_language"] = language
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return response.content.decode()


def test_an_organization_admin_sees_every_group_of_the_organization(admin_client):
    html = _menu(admin_client)
    label, groups = menu_of(html)
    assert label == "Administration menu"
    assert list(groups) == [
        "",
        "Organization",
        "Spaces",
        "Participants",
        "Verifications",
        "Moderation",
        "Statistics and log",
        "Public API",
        "Newsletters",
        "Open and personal data",
        "Mail outbox",
    ]
    hrefs = menu_hrefs(html)
    for name in (*ORGANIZATION, *PARTICIPANTS, "spaces", "groups", "log"):
        assert reverse(f"backoffice:{name}") in hrefs, name
    assert {
        reverse("verifications_admin:overview"),
        reverse("moderation_admin:queue"),
        reverse("moderation_admin:blocked"),
        reverse("outbox_admin:list"),
    } <= hrefs
    assert reverse("system:organizations") not in hrefs
    # Every entry has words (the icon is decoration) and the dashboard comes first.
    assert all(link["text"] for links in groups.values() for link in links)
    assert groups[""] == [{"href": reverse("backoffice:dashboard"), "current": "page", "text": "Dashboard"}]


def test_a_collaborator_sees_only_the_entries_of_their_space_role(client, process):
    client.force_login(staff(process.organization, Role.Name.COLLABORATOR, process))
    html = _menu(client)
    _label, groups = menu_of(html)
    assert list(groups) == ["", "Spaces", "Statistics and log", "Public API"]
    assert [link["href"] for link in groups["Spaces"]] == [reverse("backoffice:spaces")]
    assert [link["href"] for link in groups["Statistics and log"]] == [reverse("backoffice:dashboard") + "#key-figures"]
    hrefs = menu_hrefs(html)
    for name in (*ORGANIZATION, *PARTICIPANTS, "groups", "log"):
        assert reverse(f"backoffice:{name}") not in hrefs, name
    assert reverse("moderation_admin:queue") not in hrefs and reverse("outbox_admin:list") not in hrefs


def test_a_space_admin_also_reads_the_action_log(client, process):
    client.force_login(staff(process.organization, Role.Name.SPACE_ADMIN, process))
    _label, groups = menu_of(_menu(client))
    assert list(groups) == ["", "Spaces", "Statistics and log", "Public API"]
    assert reverse("backoffice:log") in [link["href"] for link in groups["Statistics and log"]]


def test_a_desk_agent_sees_the_desk_under_participants(client, organization):
    from agora.desk.models import DeskAgent

    agent = factories.UserFactory()
    factories.member_of(agent, organization)
    DeskAgent.objects.create(organization=organization, user=agent)
    client.force_login(agent)
    _label, groups = menu_of(_menu(client, "desk:index"))
    assert [link["href"] for link in groups["Participants"]] == [reverse("desk:index")]
    assert groups["Participants"][0]["current"] == "page"
    assert "Organization" not in groups and "Spaces" not in groups


def test_platform_admins_see_the_platform_group(client, organization):
    superuser = factories.UserFactory(is_superuser=True)
    factories.member_of(superuser, organization)
    client.force_login(superuser)
    _label, groups = menu_of(_menu(client))
    assert [link["href"] for link in groups["Platform"]] == [
        reverse("system:organizations"),
        reverse("backoffice:styleguide"),
    ]


def test_the_current_page_is_marked_and_only_it(admin_client):
    for url_name, group in (
        ("backoffice:roles", "Participants"),
        ("backoffice:terms", "Organization"),
        ("backoffice:accessibility_statement", "Organization"),
        ("backoffice:scope_types", "Organization"),
        ("outbox_admin:list", "Mail outbox"),
    ):
        _label, groups = menu_of(_menu(admin_client, url_name))
        current = [(heading, link["href"]) for heading, links in groups.items() for link in links if link["current"]]
        expected = reverse("backoffice:scopes") if url_name == "backoffice:scope_types" else reverse(url_name)
        assert current == [(group, expected)], url_name


def test_the_menu_folds_behind_a_button_that_needs_no_script(admin_client):
    html = _menu(admin_client)
    # A <details> open by default (agora.js folds it on narrow screens), its <summary> the button.
    assert '<details class="backoffice-menu" open data-fold-narrow>' in html
    assert '<summary class="backoffice-menu-button">' in html
    assert html.index('<summary class="backoffice-menu-button">') < html.index('<nav class="backoffice-nav"')
    assert 'href="#bo-content"' in html and 'id="bo-content"' in html


def test_the_dashboard_is_refused_to_a_participant(client, participant):
    client.force_login(participant)
    client.cookies["agora_language"] = "en"
    response = client.get(reverse("backoffice:dashboard"))
    assert response.status_code == 403
    assert "The back-office is for the organization&#x27;s staff." in response.content.decode()
    assert 'class="backoffice-nav"' not in response.content.decode()


def test_the_menu_speaks_french(admin_client, organization):
    _label, groups = menu_of(_menu(admin_client, language="fr"))
    assert "Organisation" in groups and "Modération" in groups


def test_the_confirmation_and_the_refusal_are_made_of_the_page_parts(admin_client, participant, organization):
    from agora.spaces.models import ProcessGroup

    group = ProcessGroup.objects.create(organization=organization, title={"fr": "Éditions"})
    html = admin_client.get(reverse("backoffice:group_delete", args=[group.pk])).content.decode()
    assert '<button type="submit" class="button button-danger">' in html
    assert f'<a class="button button-secondary" href="{reverse("backoffice:groups")}">' in html
    admin_client.force_login(participant)
    refused = admin_client.get(reverse("backoffice:dashboard")).content.decode()
    assert '<div class="alert alert-error">' in refused
