"""The back-office screens through the test client: forms, actions, filters."""

from datetime import date

import pytest
from django.urls import reverse

from agora.actionlog.models import ActionLog
from agora.backoffice import services
from agora.components.models import Component
from agora.components.registry import registry
from agora.permissions import PermissionDenied
from agora.spaces.models import Phase, Role, Space
from agora.taxonomy.models import Scope
from agora.testing import factories

from .factories import AssemblyFactory, staff


def test_dashboard_counts_and_component_stats(admin_client, organization, process, participant):
    factories.ComponentFactory(space=process, manifest_name="pages")
    response = admin_client.get(reverse("backoffice:dashboard"))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts["processes"] == 1 and counts["participants"] == 2 and counts["components"] == 1
    if registry.get("pages") and registry["pages"].stats:
        assert response.context["stats"][0][1]  # the hook's (label, number) list


def test_dashboard_statistics_do_not_cost_a_query_per_component(admin_client, organization, process):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agora.components.proposals.models import Proposal
    from agora.components.proposals.tests.factories import ProposalFactory

    def add_components():
        for name in ("proposals", "budgets", "news", "pages"):
            component = factories.ComponentFactory(space=process, manifest_name=name)
            if name == "proposals":
                ProposalFactory(component=component)
                ProposalFactory(component=component, status=Proposal.Status.WITHDRAWN)

    def dashboard():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse("backoffice:dashboard"))
        return len(queries), response.context["stats"]

    add_components()
    admin_client.get(reverse("backoffice:dashboard"))
    before, stats = dashboard()
    ideas = [rows for component, rows in stats if component.manifest_name == "proposals"]
    assert [(rows[0][1], rows[1][1]) for rows in ideas] == [(1, 1)]  # published, withdrawn
    add_components()
    add_components()
    admin_client.get(reverse("backoffice:dashboard"))  # the organization read again after the change of settings
    after, stats = dashboard()
    assert len(stats) == 12 and after == before, "the statistics of a type of component are read together"


def test_menu_shows_only_what_the_person_may_use(client, admin_client, process):
    page = admin_client.get(reverse("backoffice:dashboard")).content.decode()
    for name in ("organization", "roles", "participants", "categories", "log"):
        assert reverse(f"backoffice:{name}") in page
    collaborator = staff(process.organization, Role.Name.COLLABORATOR, process)
    client.force_login(collaborator)
    page = client.get(reverse("backoffice:dashboard")).content.decode()
    assert reverse("backoffice:spaces") in page
    for name in ("organization", "roles", "participants", "categories", "log"):
        assert reverse(f"backoffice:{name}") not in page


def test_create_a_process_then_publish_it(admin_client, organization):
    category = factories.CategoryFactory(organization=organization)
    response = admin_client.post(
        reverse("backoffice:process_create"),
        {
            "title__fr": "Budget participatif 2026",
            "title__en": "",
            "slug": "budget-2026",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "categories": [category.pk],
            "weight": 0,
            "description__fr": "<p>Un budget</p>",
        },
    )
    space = Space.objects.get(slug="budget-2026")
    assert response.status_code == 302 and response["Location"] == reverse("backoffice:space", args=[space.pk])
    assert space.kind == "process" and not space.is_published and list(space.categories.all()) == [category]
    admin_client.post(reverse("backoffice:space_publish", args=[space.pk]))
    space.refresh_from_db()
    assert space.is_published


def test_space_form_keeps_input_and_reports_errors(admin_client, organization, process):
    response = admin_client.post(
        reverse("backoffice:process_create"),
        {
            "title__fr": "Doublon",
            "slug": process.slug,
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
            "weight": 0,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and 'value="Doublon"' in html
    assert set(response.context["form"].errors) >= {"slug"}


def test_assembly_form_has_assembly_fields_only(admin_client):
    html = admin_client.get(reverse("backoffice:assembly_create")).content.decode()
    assert 'name="parent"' in html and 'name="transparent"' in html and 'name="group"' not in html
    html = admin_client.get(reverse("backoffice:process_create")).content.decode()
    assert 'name="parent"' not in html and 'name="group"' in html


def test_space_with_components_cannot_be_deleted(admin_client, process):
    factories.ComponentFactory(space=process)
    response = admin_client.post(reverse("backoffice:space_delete", args=[process.pk]), follow=True)
    assert Space.objects.filter(pk=process.pk).exists()
    assert "components" in response.content.decode() or response.context["messages"]


def test_collaborator_previews_but_cannot_edit(client, process):
    collaborator = staff(process.organization, Role.Name.COLLABORATOR, process)
    client.force_login(collaborator)
    published_at, members = process.published_at, process.members.count()
    assert client.get(reverse("backoffice:space", args=[process.pk])).status_code == 200
    assert client.get(reverse("backoffice:phases", args=[process.pk])).status_code == 200
    assert client.get(reverse("backoffice:space_edit", args=[process.pk])).status_code == 403
    assert client.post(reverse("backoffice:space_publish", args=[process.pk])).status_code == 403
    assert client.post(reverse("backoffice:space_members", args=[process.pk]), {"person": "x"}).status_code == 403
    process.refresh_from_db()
    assert process.published_at == published_at and process.members.count() == members


def test_phases_add_reorder_activate(admin_client, process):
    url = reverse("backoffice:phase_create", args=[process.pk])
    for title in ("Dépôt", "Vote"):
        assert (
            admin_client.post(
                url, {"title__fr": title, "start_date": "", "end_date": "", "cta_url": "/processes/"}
            ).status_code
            == 302
        )
    first, second = process.phases.order_by("position")
    admin_client.post(reverse("backoffice:phase_move", args=[process.pk, second.pk]), {"direction": "up"})
    assert list(process.phases.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]
    admin_client.post(reverse("backoffice:phase_activate", args=[process.pk, first.pk]))
    assert list(Phase.objects.filter(is_active=True)) == [first]
    response = admin_client.post(url, {"title__fr": "Lien", "cta_url": "javascript:alert(1)"})
    assert response.status_code == 200 and response.context["form"].errors["cta_url"]


def test_phases_of_an_assembly_do_not_exist(admin_client, organization):
    assembly = AssemblyFactory(organization=organization)
    assert admin_client.get(reverse("backoffice:phases", args=[assembly.pk])).status_code == 404


def test_assembly_members_by_nickname_or_name(admin_client, organization, participant, other_organization):
    assembly = AssemblyFactory(organization=organization)
    url = reverse("backoffice:assembly_members", args=[assembly.pk])
    assert (
        admin_client.post(url, {"person": participant.nickname, "position": "president", "weight": 0}).status_code
        == 302
    )
    assert admin_client.post(url, {"full_name": "Jeanne Martin", "position": "member", "weight": 1}).status_code == 302
    stranger = factories.UserFactory()
    factories.member_of(stranger, other_organization)
    response = admin_client.post(url, {"person": stranger.nickname, "position": "member", "weight": 2})
    assert response.status_code == 200 and response.context["form"].errors["person"]
    assert [m.display_name for m in assembly.assembly_members.all()] == [participant.public_name, "Jeanne Martin"]


def test_private_members_by_email(admin_client, process, participant):
    url = reverse("backoffice:space_members", args=[process.pk])
    assert admin_client.post(url, {"person": participant.email.upper()}).status_code == 302
    member = process.members.get()
    assert member.user == participant
    admin_client.post(reverse("backoffice:space_member_remove", args=[process.pk, member.pk]))
    assert not process.members.exists()


# --- components -----------------------------------------------------------------------------


def test_add_configure_publish_delete_a_component(admin_client, process):
    factories.PhaseFactory(space=process)
    manifest = registry.all()[0]
    response = admin_client.post(
        reverse("backoffice:component_add", args=[process.pk]), {"manifest_name": manifest.name, "name__fr": ""}
    )
    component = Component.objects.get(space=process)
    assert response.status_code == 302 and component.name["fr"]
    assert component.settings == manifest.default_settings()
    url = reverse("backoffice:component_configure", args=[process.pk, component.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    data = {"name__fr": "Renommé", "weight": 3}
    for setting in manifest.settings:
        if setting.type != "bool":
            data[f"settings-{setting.name}"] = setting.default
    assert admin_client.post(url, data).status_code == 302
    component.refresh_from_db()
    assert component.name["fr"] == "Renommé" and component.weight == 3
    admin_client.post(reverse("backoffice:component_publish", args=[process.pk, component.pk]))
    component.refresh_from_db()
    assert component.is_published
    admin_client.post(reverse("backoffice:component_delete", args=[process.pk, component.pk]))
    assert not Component.objects.exists()
    verbs = set(ActionLog.objects.filter(space=process).values_list("verb", flat=True))
    assert {"component.create", "component.update", "component.publish", "component.delete"} <= verbs


def test_component_settings_are_validated_by_the_manifest(organization, org_admin, process, monkeypatch):
    from agora.components.registry import ComponentManifest, Setting

    manifest = ComponentManifest(
        name="testing_votes",
        label="Votes",
        settings=(
            Setting("max_votes", "int", 3, "Maximum votes", min_value=1, max_value=10),
            Setting("mode", "choice", "simple", "Mode", choices=(("simple", "Simple"), ("rank", "Rank"))),
        ),
        phase_settings=(Setting("votes_enabled", "bool", False, "Votes enabled"),),
    )
    monkeypatch.setitem(registry._manifests, manifest.name, manifest)
    phase = factories.PhaseFactory(space=process)
    component = services.add_component(
        actor=org_admin, space=process, manifest_name="testing_votes", name={"fr": "Votes"}
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.update_component(
            actor=org_admin,
            component=component,
            name={"fr": "Votes"},
            weight=0,
            settings={"max_votes": 99, "mode": "simple"},
        )
    other_phase = factories.PhaseFactory(space=factories.SpaceFactory(organization=organization))
    with pytest.raises(ValidationError):
        services.update_component(
            actor=org_admin,
            component=component,
            name={"fr": "Votes"},
            weight=0,
            settings={},
            phase_settings={str(other_phase.pk): {"votes_enabled": True}},
        )
    services.update_component(
        actor=org_admin,
        component=component,
        name={"fr": "Votes"},
        weight=0,
        settings={"max_votes": "5", "mode": "rank"},
        phase_settings={str(phase.pk): {"votes_enabled": "on"}},
    )
    component.refresh_from_db()
    assert component.settings == {"max_votes": 5, "mode": "rank"}
    assert component.phase_settings == {str(phase.pk): {"votes_enabled": True}}

    # The generated form: one fieldset per phase, errors shown.
    client_url = reverse("backoffice:component_configure", args=[process.pk, component.pk])
    from django.test import Client

    client = Client()
    client.force_login(org_admin)
    html = client.get(client_url).content.decode()
    assert f'name="phase-{phase.pk}-votes_enabled"' in html and 'name="settings-max_votes"' in html
    response = client.post(
        client_url, {"name__fr": "Votes", "weight": 0, "settings-max_votes": "0", "settings-mode": "rank"}
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()


def test_component_services_refuse_without_the_right(organization, participant, process):
    component = factories.ComponentFactory(space=process)
    collaborator = factories.RoleFactory(space=process, name=Role.Name.COLLABORATOR).user
    other_admin = factories.RoleFactory(space=factories.SpaceFactory(organization=organization)).user
    for person in (participant, collaborator, other_admin):
        for call in (
            lambda: services.add_component(actor=person, space=process, manifest_name="pages", name={"fr": "x"}),
            lambda: services.update_component(actor=person, component=component, name={}, weight=0, settings={}),
            lambda: services.publish_component(actor=person, component=component),
            lambda: services.unpublish_component(actor=person, component=component),
            lambda: services.delete_component(actor=person, component=component),
        ):
            with pytest.raises(PermissionDenied):
                call()


def test_component_of_another_space_is_not_found(admin_client, organization, process):
    other = factories.SpaceFactory(organization=organization)
    component = factories.ComponentFactory(space=other)
    url = reverse("backoffice:component_configure", args=[process.pk, component.pk])
    assert admin_client.get(url).status_code == 404


# --- taxonomy -------------------------------------------------------------------------------


def test_scope_import_screen_reports_lines(admin_client, organization):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("s.csv", b"code,name_fr,name_en,type,parent_code\nA,A,,,\n,B,,,\n")
    response = admin_client.post(reverse("backoffice:scope_import"), {"file": bad})
    assert response.status_code == 200 and response.context["import_errors"][0][0] == 3
    assert not Scope.objects.exists()
    good = SimpleUploadedFile("s.csv", b"code,name_fr,name_en,type,parent_code\nA,A,,,\nB,B,,,A\n")
    assert admin_client.post(reverse("backoffice:scope_import"), {"file": good}).status_code == 302
    assert Scope.objects.get(code="B").parent.code == "A"


def test_sub_sub_category_is_refused_on_screen(admin_client, organization):
    main = factories.CategoryFactory(organization=organization)
    sub = factories.CategoryFactory(organization=organization, parent=main)
    response = admin_client.post(
        reverse("backoffice:category_create"), {"name__fr": "X", "parent": sub.pk, "weight": 0}
    )
    assert response.status_code == 200  # sub is not even offered as a parent
    assert response.context["form"].errors


# --- people and log --------------------------------------------------------------------------


def test_participants_search_and_pagination(admin_client, organization):
    for number in range(30):
        factories.member_of(
            factories.UserFactory(nickname=f"habitant{number}", name=f"Habitant {number}"), organization
        )
    response = admin_client.get(reverse("backoffice:participants"))
    assert response.context["page"].paginator.num_pages == 2
    response = admin_client.get(reverse("backoffice:participants"), {"q": "habitant12"})
    assert [m.user.nickname for m in response.context["page"]] == ["habitant12"]
    assert "@example.org" in response.content.decode()  # org admins see e-mails


def test_participants_of_another_organization_are_not_listed(admin_client, other_organization):
    stranger = factories.UserFactory(nickname="etranger")
    factories.member_of(stranger, other_organization)
    response = admin_client.get(reverse("backoffice:participants"), {"q": "etranger"})
    assert list(response.context["page"]) == []


def test_roles_screen_gives_and_removes_roles(admin_client, organization, participant, process):
    url = reverse("backoffice:roles")
    response = admin_client.post(url, {"person": participant.nickname, "name": "collaborator", "space": ""})
    assert response.status_code == 200 and response.context["form"].errors["space"]
    assert (
        admin_client.post(
            url, {"person": participant.nickname, "name": "collaborator", "space": process.pk}
        ).status_code
        == 302
    )
    role = Role.objects.get(user=participant)
    assert role.space == process
    admin_client.post(reverse("backoffice:role_revoke", args=[role.pk]))
    assert not Role.objects.filter(user=participant).exists()


def test_space_admin_cannot_manage_roles(client, process, participant):
    admin = staff(process.organization, Role.Name.SPACE_ADMIN, process)
    client.force_login(admin)
    response = client.post(reverse("backoffice:roles"), {"person": participant.nickname, "name": "org_admin"})
    assert response.status_code == 403
    assert not Role.objects.filter(user=participant).exists()


def test_log_is_readable_and_scoped(client, admin_client, organization, process, org_admin):
    other = factories.SpaceFactory(organization=organization)
    from agora.spaces import services as space_services

    space_services.publish_space(actor=org_admin, space=process)
    space_services.unpublish_space(actor=org_admin, space=other)
    response = admin_client.get(reverse("backoffice:log"))
    lines = [line for _entry, line in response.context["lines"]]
    assert len(lines) == 2 and all(org_admin.public_name in line for line in lines)
    response = admin_client.get(reverse("backoffice:log"), {"verb": "space.publish"})
    assert len(response.context["lines"]) == 1
    response = admin_client.get(reverse("backoffice:log"), {"space": other.pk})
    assert [entry.space for entry, _line in response.context["lines"]] == [other]

    space_admin = staff(organization, Role.Name.SPACE_ADMIN, process)
    client.force_login(space_admin)
    response = client.get(reverse("backoffice:log"))
    assert [entry.space for entry, _line in response.context["lines"]] == [process]
    response = client.get(reverse("backoffice:log"), {"space": other.pk})  # not theirs: ignored
    assert [entry.space for entry, _line in response.context["lines"]] == [process]


def test_sync_switches_phases_through_the_admin_screen_state(admin_client, process):
    from agora.spaces.services import sync_active_phases

    phase = factories.PhaseFactory(space=process, start_date=date(2026, 3, 1), end_date=date(2026, 3, 31))
    sync_active_phases(today=date(2026, 3, 2))
    page = admin_client.get(reverse("backoffice:phases", args=[process.pk])).content.decode()
    assert "badge-active" in page
    assert Phase.objects.get(pk=phase.pk).is_active


def test_component_export_downloads_the_manifest_export(client, organization, org_admin, participant):
    import json

    from agora.testing import factories

    space = factories.SpaceFactory(organization=organization)
    component = factories.ComponentFactory(space=space, manifest_name="news")
    url = f"/admin/spaces/{space.pk}/components/{component.pk}/export/json/"
    client.force_login(participant)
    assert client.get(url).status_code == 403
    client.force_login(org_admin)
    response = client.get(url)
    assert response.status_code == 200
    json.loads(response.content)
    assert client.get(f"/admin/spaces/{space.pk}/components/{component.pk}/export/xml/").status_code == 404
