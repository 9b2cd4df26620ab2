import pytest
from django.urls import reverse

from agora.actionlog.models import ActionLog
from agora.components.debates.models import Debate
from agora.components.debates.tests.conftest import other_participant
from agora.core.translations import tr
from agora.spaces.models import Role
from agora.testing import factories


def admin_url(component, name="index", **kwargs):
    return reverse(
        f"debates_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def form_data(**extra):
    return {
        "title__fr": "Des arceaux ?",
        "title__en": "",
        "description__fr": "Une place sur vingt.",
        "description__en": "",
        "instructions__fr": "",
        "instructions__en": "",
        "category": "",
        "scope": "",
        "starts_at": "",
        "ends_at": "",
        **extra,
    }


def all_urls(component, debate):
    update = debate.updates.create(body=tr("<p>Info</p>"))
    return [
        ("get", admin_url(component)),
        ("get", admin_url(component, "create")),
        ("post", admin_url(component, "create")),
        ("get", admin_url(component, "edit", debate_id=debate.pk)),
        ("post", admin_url(component, "edit", debate_id=debate.pk)),
        ("get", admin_url(component, "debate", debate_id=debate.pk)),
        ("get", admin_url(component, "information", debate_id=debate.pk)),
        ("post", admin_url(component, "information", debate_id=debate.pk)),
        ("post", admin_url(component, "information_delete", debate_id=debate.pk, update_id=update.pk)),
        ("get", admin_url(component, "close", debate_id=debate.pk)),
        ("post", admin_url(component, "close", debate_id=debate.pk)),
    ]


def test_anonymous_visitors_are_sent_to_login(client, component, debate):
    for method, target in all_urls(component, debate):
        response = getattr(client, method)(target)
        assert response.status_code == 302 and "/login" in response["Location"], target


@pytest.mark.parametrize("who", ["participant", "moderator", "other_space_admin"])
def test_people_without_the_right_are_refused(client, component, debate, organization, who):
    if who == "participant":
        user = other_participant(organization)
    else:
        space = factories.SpaceFactory(organization=organization) if who == "other_space_admin" else component.space
        name = Role.Name.SPACE_ADMIN if who == "other_space_admin" else Role.Name.MODERATOR
        user = factories.RoleFactory(space=space, name=name).user
        factories.member_of(user, organization)
    client.force_login(user)
    for method, target in all_urls(component, debate):
        data = form_data(title__fr="Piraté", body__fr="Piraté", conclusions__fr="Piraté")
        assert getattr(client, method)(target, data).status_code == 403, (who, target)
    debate.refresh_from_db()
    assert debate.title["fr"] == "Faut-il une rue piétonne ?" and debate.closed_at is None
    assert Debate.objects.count() == 1 and debate.updates.count() == 1


def test_the_officer_opens_edits_informs_and_closes_an_official_debate(client, component, space_admin):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    response = client.post(
        admin_url(component, "create"), form_data(starts_at="2030-05-02T10:00", ends_at="2030-05-01T10:00")
    )
    assert response.status_code == 200 and 'class="error-summary"' in response.content.decode()
    assert 'value="Des arceaux ?"' in response.content.decode()
    assert client.post(admin_url(component, "create"), form_data()).status_code == 302
    debate = Debate.objects.get()
    assert debate.official and debate.description["fr"] == "<p>Une place sur vingt.</p>"
    assert "Des arceaux ?" in client.get(admin_url(component)).content.decode()
    assert (
        client.post(
            admin_url(component, "edit", debate_id=debate.pk), form_data(title__fr="Des arceaux devant les écoles ?")
        ).status_code
        == 302
    )
    debate.refresh_from_db()
    assert debate.title["fr"] == "Des arceaux devant les écoles ?"
    page = admin_url(component, "debate", debate_id=debate.pk)
    assert client.get(page).status_code == 200
    assert client.post(admin_url(component, "information", debate_id=debate.pk), {"body__fr": ""}).status_code == 400
    assert (
        client.post(
            admin_url(component, "information", debate_id=debate.pk), {"body__fr": "Comptage : **1 240** vélos"}
        ).status_code
        == 302
    )
    assert "<strong>1 240</strong>" in debate.updates.get().body["fr"]
    assert client.post(admin_url(component, "close", debate_id=debate.pk), {"conclusions__fr": ""}).status_code == 400
    assert (
        client.post(
            admin_url(component, "close", debate_id=debate.pk), {"conclusions__fr": "Quarante arceaux d'ici juin."}
        ).status_code
        == 302
    )
    debate.refresh_from_db()
    assert debate.closed_at and "Quarante arceaux" in debate.conclusions["fr"]
    for verb in ("debate_created", "debate_updated", "information_added", "debate_closed"):
        assert ActionLog.objects.filter(verb=f"debates.{verb}", actor=space_admin).exists(), verb
    # A second close goes back to the debate's page.
    assert client.get(admin_url(component, "close", debate_id=debate.pk)).status_code == 302


def test_a_participant_debate_is_not_edited_by_the_officers(client, component, space_admin, participant):
    debate = Debate.objects.create(component=component, title=tr("Le mien"), official=False, author=participant)
    client.force_login(space_admin)
    response = client.post(admin_url(component, "edit", debate_id=debate.pk), form_data(title__fr="Réécrit"))
    assert response.status_code == 302
    debate.refresh_from_db()
    assert debate.title["fr"] == "Le mien"


def test_a_debate_of_another_component_is_not_managed_through_this_one(client, component, space_admin):
    elsewhere = Debate.objects.create(
        component=factories.ComponentFactory(space=component.space, manifest_name="debates"), title=tr("X")
    )
    client.force_login(space_admin)
    assert client.get(admin_url(component, "edit", debate_id=elsewhere.pk)).status_code == 404
    assert client.get(admin_url(component, "debate", debate_id=elsewhere.pk)).status_code == 404
    assert (
        client.post(admin_url(component, "close", debate_id=elsewhere.pk), {"conclusions__fr": "x"}).status_code == 404
    )
