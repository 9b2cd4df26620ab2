from django.utils import timezone

from agora.spaces.models import Space, SpaceMember
from agora.testing import factories


def test_home_is_french_by_default_and_english_on_request(client, organization):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr" dir="ltr">' in response.content.decode()
    client.cookies["agora_language"] = "en"
    assert '<html lang="en" dir="ltr">' in client.get("/").content.decode()


def test_unknown_host_gets_a_clear_404(client, db):
    response = client.get("/", HTTP_HOST="nowhere.example.org")
    assert response.status_code == 404
    assert "nowhere.example.org" in response.content.decode()


def test_process_page_shows_phases_with_the_active_one_marked(client, organization):
    process = factories.SpaceFactory(organization=organization, slug="bp-2026")
    factories.PhaseFactory(space=process, title={"fr": "Dépôt des idées"}, position=1)
    factories.PhaseFactory(space=process, title={"fr": "Vote"}, position=2, is_active=True)
    html = client.get("/processes/bp-2026/").content.decode()
    assert "Dépôt des idées" in html
    assert 'aria-current="step"' in html
    assert html.index('aria-current="step"') > html.index("Dépôt des idées")


def test_unpublished_process_is_hidden_from_public_and_lists(client, organization):
    factories.SpaceFactory(organization=organization, slug="draft", published_at=None, title={"fr": "Brouillon"})
    assert client.get("/processes/draft/").status_code == 404
    assert "Brouillon" not in client.get("/processes/").content.decode()


def test_collaborator_previews_unpublished_process(client, organization):
    process = factories.SpaceFactory(
        organization=organization, slug="draft", published_at=None, title={"fr": "Budget en préparation"}
    )
    role = factories.RoleFactory(space=process, name="collaborator")
    factories.member_of(role.user, organization)
    client.force_login(role.user)
    response = client.get("/processes/draft/")
    assert response.status_code == 200
    assert "Budget en préparation" in response.content.decode()


def test_private_process_only_for_members(client, organization, participant):
    process = factories.SpaceFactory(organization=organization, slug="secret", private=True)
    response = client.get("/processes/secret/")  # a member may be among the visitors: log in first
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/processes/secret/"
    client.force_login(participant)
    assert client.get("/processes/secret/").status_code == 403
    SpaceMember.objects.create(space=process, user=participant)
    assert client.get("/processes/secret/").status_code == 200


def test_process_of_another_organization_is_invisible(client, organization, other_organization):
    factories.SpaceFactory(organization=other_organization, slug="elsewhere")
    assert client.get("/processes/elsewhere/").status_code == 404


def test_process_list_sorts_by_period(client, organization):
    today = timezone.localdate()
    factories.SpaceFactory(
        organization=organization,
        title={"fr": "Passé"},
        start_date=today.replace(year=today.year - 2),
        end_date=today.replace(year=today.year - 1),
    )
    factories.SpaceFactory(
        organization=organization, title={"fr": "À venir"}, start_date=today.replace(year=today.year + 1)
    )
    periods = client.get("/processes/").context["periods"]
    assert [str(s) for s in periods["past"]] == ["Passé"]
    assert [str(s) for s in periods["upcoming"]] == ["À venir"]


def test_assembly_page_lists_members_with_positions(client, organization):
    assembly = factories.SpaceFactory(organization=organization, kind=Space.Kind.ASSEMBLY, slug="conseil-nord")
    assembly.assembly_members.create(full_name="Awa Diallo", position="president")
    html = client.get("/assemblies/conseil-nord/").content.decode()
    assert "Awa Diallo" in html and ("Présidente" in html or "Président" in html or "President" in html)


def test_process_group_page_lists_what_the_visitor_may_see(
    client, organization, other_organization, participant, org_admin
):
    from agora.spaces.models import ProcessGroup
    from agora.spaces.services import create_process_group

    group = create_process_group(
        actor=org_admin,
        organization=organization,
        title={"fr": "Budgets participatifs"},
        description={"fr": "<p>Toutes les éditions</p><script>alert(1)</script>"},
    )
    factories.SpaceFactory(organization=organization, group=group, slug="bp-2025", title={"fr": "BP 2025"})
    factories.SpaceFactory(
        organization=organization, group=group, slug="bp-2027", title={"fr": "BP brouillon"}, published_at=None
    )
    secret = factories.SpaceFactory(
        organization=organization, group=group, slug="bp-secret", title={"fr": "BP secret"}, private=True
    )
    factories.SpaceFactory(organization=organization, slug="autre", title={"fr": "Hors groupe"})
    url = group.get_absolute_url()
    html = client.get(url).content.decode()
    assert "Budgets participatifs" in html and "Toutes les éditions" in html and "<script>alert" not in html
    assert "BP 2025" in html
    for hidden in ("BP brouillon", "BP secret", "Hors groupe"):
        assert hidden not in html
    # The list of processes shows the group with the number the visitor sees.
    listing = client.get("/processes/")
    assert [(g.pk, g.listed) for g in listing.context["groups"]] == [(group.pk, 1)]
    assert url in listing.content.decode()
    # A member of the private process sees it in the group.
    SpaceMember.objects.create(space=secret, user=participant)
    client.force_login(participant)
    assert "BP secret" in client.get(url).content.decode()
    # The process page leads back to its group.
    assert url in client.get("/processes/bp-2025/").content.decode()
    # Another organization's group does not exist here.
    elsewhere = ProcessGroup.objects.create(organization=other_organization, title={"fr": "Ailleurs"})
    assert client.get(elsewhere.get_absolute_url()).status_code == 404


def test_a_component_page_of_a_grouped_process_costs_no_query_for_the_group(client, organization, participant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agora.spaces.models import ProcessGroup

    group = ProcessGroup.objects.create(organization=organization, title={"fr": "Groupe"})
    process = factories.SpaceFactory(organization=organization, group=group, slug="bp")
    component = factories.ComponentFactory(space=process, manifest_name="pages", name={"fr": "Page"})
    client.force_login(participant)  # (no page cache)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(component.get_absolute_url()).content.decode()
    assert group.get_absolute_url() in html and "Groupe" in html
    # the group comes with the component (a join), never in a query of its own
    assert not [q["sql"] for q in queries.captured_queries if 'FROM "spaces_processgroup"' in q["sql"]]


def test_home_page_shows_each_process_once_with_the_call_to_action_on_its_promoted_card(client, organization):
    """A promoted process with an open phase used to appear twice: in
    "Highlighted processes" and again in "Take part now"."""
    promoted = factories.SpaceFactory(
        organization=organization, slug="bp", promoted=True, title={"fr": "Budget participatif 2026"}
    )
    factories.PhaseFactory(
        space=promoted,
        title={"fr": "Dépôt des idées"},
        is_active=True,
        cta_text={"fr": "Déposer une idée"},
        cta_url="/processes/bp/f/1/new/",
    )
    other = factories.SpaceFactory(organization=organization, slug="consultation", title={"fr": "Consultation"})
    factories.PhaseFactory(space=other, title={"fr": "Questionnaire"}, is_active=True)
    html = client.get("/").content.decode()
    assert html.count("Budget participatif 2026</a>") == 1
    assert html.count('href="/processes/bp/f/1/new/"') == 1 and "Déposer une idée" in html
    assert html.count("Consultation</a>") == 1
    assert (
        html.index('id="promoted-heading"')
        < html.index("Budget participatif 2026</a>")
        < html.index('id="open-heading"')
        < html.index("Consultation</a>")
    )


def test_home_page_without_other_open_process_has_no_empty_take_part_section(client, organization):
    promoted = factories.SpaceFactory(organization=organization, promoted=True)
    factories.PhaseFactory(space=promoted, is_active=True)
    html = client.get("/").content.decode()
    assert 'id="open-heading"' not in html
    assert "Aucune phase" not in html
