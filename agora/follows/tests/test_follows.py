from urllib.parse import quote

import pytest
from django.utils import timezone

from agora.accounts.models import Membership
from agora.actionlog.models import ActionLog
from agora.follows import selectors, services
from agora.follows.models import Follow
from agora.permissions import PermissionDenied
from agora.testing import factories


def test_follow_and_unfollow_a_space_are_logged_and_idempotent(participant, process, organization):
    assert services.follow(user=participant, target=process) is True
    assert services.follow(user=participant, target=process) is False
    assert selectors.is_following(participant, process)
    assert selectors.follower_ids(process) == {participant.pk}
    assert services.unfollow(user=participant, target=process) is True
    assert not selectors.is_following(participant, process)
    verbs = list(ActionLog.objects.filter(organization=organization).values_list("verb", flat=True))
    assert verbs.count("follows.followed") == 1 and verbs.count("follows.unfollowed") == 1


def test_follow_a_participant_needs_the_organization(participant, organization):
    other = factories.UserFactory()
    factories.member_of(other, organization)
    services.follow(user=participant, target=other, organization=organization)
    assert selectors.follower_ids(other) == {participant.pk}
    with pytest.raises(PermissionDenied):
        services.follow(user=participant, target=participant, organization=organization)


@pytest.mark.django_db
def test_refused_to_anonymous_unverified_and_blocked(organization, process, client):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.follow(user=AnonymousUser(), target=process)
    unverified = factories.UserFactory(verified=False)
    factories.member_of(unverified, organization)
    with pytest.raises(PermissionDenied):
        services.follow(user=unverified, target=process)
    blocked = factories.UserFactory()
    factories.member_of(blocked, organization)
    Membership.objects.filter(user=blocked).update(blocked_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.follow(user=blocked, target=process)
    assert not Follow.objects.exists()


def test_refused_on_a_private_space_for_non_members(participant, organization):
    private = factories.SpaceFactory(organization=organization, private=True)
    with pytest.raises(PermissionDenied):
        services.follow(user=participant, target=private)


def test_refused_on_another_organizations_space(participant, organization, other_organization):
    elsewhere = factories.SpaceFactory(organization=other_organization)
    with pytest.raises(PermissionDenied):
        services.follow(user=participant, target=elsewhere, organization=organization)


def test_unfollow_refused_to_anonymous(process):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.unfollow(user=AnonymousUser(), target=process)


def test_follower_ids_leave_out_deleted_accounts(participant, process):
    from agora.accounts.services import delete_account

    services.follow(user=participant, target=process)
    delete_account(user=participant)
    assert selectors.follower_ids(process) == set()


def test_button_and_toggle_view_without_javascript(client, participant, process):
    client.force_login(participant)
    html = client.get(process.get_absolute_url()).content.decode()
    url = "/follows/toggle/"
    response = client.post(
        url, {"model": "spaces.space", "object_id": process.pk, "action": "follow", "next": process.get_absolute_url()}
    )
    assert response.status_code == 302 and response["Location"] == process.get_absolute_url()
    assert selectors.is_following(participant, process)
    response = client.post(
        url,
        {"model": "spaces.space", "object_id": process.pk, "action": "unfollow", "next": "https://evil.example.com/"},
    )
    assert response.status_code == 302 and "evil" not in response["Location"]
    assert not selectors.is_following(participant, process)
    assert html  # the page renders with the button include


def test_toggle_view_refuses_unknown_models_anonymous_and_get(client, participant, process):
    assert client.get("/follows/toggle/").status_code == 405
    response = client.post("/follows/toggle/", {"model": "accounts.membership", "object_id": 1, "action": "follow"})
    assert response.status_code == 404
    response = client.post(
        "/follows/toggle/",
        {"model": "spaces.space", "object_id": process.pk, "action": "follow", "next": "/processes/?page=2"},
    )
    assert response.status_code == 302  # log in, then back to the page of the button
    assert response["Location"] == f"/accounts/login/?next={quote('/processes/?page=2')}"
    assert not Follow.objects.exists()


def test_the_toggle_refuses_logged_in_people_with_the_refusal_page(client, organization, process):
    unconfirmed = factories.UserFactory(verified=False)
    factories.member_of(unconfirmed, organization)
    client.force_login(unconfirmed)
    response = client.post(
        "/follows/toggle/",
        {"model": "spaces.space", "object_id": process.pk, "action": "follow", "next": process.get_absolute_url()},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert f'?next={process.get_absolute_url()}"' in html  # the way to lift it, then back
    assert not Follow.objects.exists()


def test_htmx_toggle_returns_the_button(client, participant, process):
    client.force_login(participant)
    response = client.post(
        "/follows/toggle/",
        {"model": "spaces.space", "object_id": process.pk, "action": "follow"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()


def test_follow_button_tag_renders_for_logged_in_and_anonymous(rf, participant, process):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    template = Template("{% load follows %}{% follow_button space %}")
    request = rf.get("/x/")
    request.user = participant
    html = template.render(Context({"request": request, "space": process}))
    assert 'name="action" value="follow"' in html and 'value="spaces.space"' in html
    request.user = AnonymousUser()
    html = template.render(Context({"request": request, "space": process}))
    assert "Log in to follow" in html or "Se connecter pour suivre" in html


def test_space_page_and_profile_show_follow_buttons(client, participant, process, organization):
    other = factories.UserFactory(nickname="someone")
    factories.member_of(other, organization)
    client.force_login(participant)
    html = client.get(process.get_absolute_url()).content.decode()
    assert 'value="spaces.space"' in html and f'name="object_id" value="{process.pk}"' in html
    html = client.get("/profiles/someone/").content.decode()
    assert 'value="accounts.user"' in html
    client.post("/follows/toggle/", {"model": "accounts.user", "object_id": other.pk, "action": "follow"})
    assert selectors.is_following(participant, other)
    html = client.get(f"/profiles/{participant.nickname}/").content.decode()
    assert 'value="accounts.user"' not in html  # not on one's own profile
    assert "/notifications/preferences/" in client.get("/account/settings/").content.decode()
