"""Comments on budget projects and follow-up results: a setting of their
component (off by default), the same thread, rules, moderation and
notifications as ideas and news."""

import re

import pytest
from django.utils import timezone, translation

from agora.accounts.models import Membership
from agora.comments import services
from agora.comments.models import Comment
from agora.components.accountability.tests.factories import ResultFactory
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.follows.services import follow
from agora.notifications.models import Notification
from agora.permissions import PermissionDenied, can
from agora.spaces.models import Role
from agora.testing import factories


@pytest.fixture
def budgets(process):
    return factories.ComponentFactory(space=process, manifest_name="budgets", settings={})


@pytest.fixture
def project(budgets):
    return ProjectFactory(budget=BudgetFactory(component=budgets))


@pytest.fixture
def follow_up(process):
    return factories.ComponentFactory(space=process, manifest_name="accountability", settings={})


@pytest.fixture
def result(follow_up):
    return ResultFactory(component=follow_up)


def _turn_on(component):
    component.settings = {**component.settings, "comments_enabled": True}
    component.save()


def _url(target):
    return f"/comments/on/{target._meta.label_lower}/{target.pk}/"


@pytest.fixture(params=["project", "result"])
def target(request):
    return request.getfixturevalue(request.param)


def test_off_by_default_nothing_shown_and_posting_refused(client, participant, target):
    client.force_login(participant)
    html = client.get(target.get_absolute_url()).content.decode()
    assert 'id="comments"' not in html and "follow-form" not in html
    assert not can(participant, "comments.create", target)
    response = client.post(_url(target), {"body": "Bonne idée"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_turned_on_people_comment_follow_and_followers_are_told(client, participant, target, member):
    _turn_on(target.component)
    follower = member()
    follow(user=follower, target=target)
    client.force_login(participant)
    html = client.get(target.get_absolute_url()).content.decode()
    assert 'id="comments"' in html and f'action="{_url(target)}"' in html
    response = client.post(_url(target), {"body": "Et l'entretien ?", "next": target.get_absolute_url()})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{target.get_absolute_url()}#comment-{comment.pk}"
    assert (comment.component, comment.space) == (target.component, target.component.space)
    assert "Et l&#x27;entretien ?" in client.get(target.get_absolute_url()).content.decode()
    notification = Notification.objects.get(recipient=follower)
    assert notification.event == "comments.new_comment" and notification.url.endswith(f"#comment-{comment.pk}")
    # The author now follows the project or result: a reply reaches them.
    other = member()
    services.create_comment(actor=other, target=target, body="Réponse", parent=comment)
    assert Notification.objects.filter(recipient=participant, event="comments.reply").exists()


def test_comments_written_before_the_setting_was_turned_off_stay_readable(client, participant, target):
    _turn_on(target.component)
    services.create_comment(actor=participant, target=target, body="Écrit avant")
    target.component.settings = {"comments_enabled": False}
    target.component.save()
    client.force_login(participant)
    html = client.get(target.get_absolute_url()).content.decode()
    assert "Écrit avant" in html and "Les commentaires sont désactivés ici." in html
    assert client.post(_url(target), {"body": "Encore"}).status_code == 403
    assert Comment.objects.count() == 1


def test_people_without_the_right_are_refused(client, organization, other_organization, participant, target, member):
    _turn_on(target.component)
    # Anonymous: sent to log in.
    response = client.post(_url(target), {"body": "Anonyme"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # Blocked, e-mail not confirmed, not a member of this organization: refused.
    blocked = member()
    Membership.objects.filter(user=blocked).update(blocked_at=timezone.now())
    unconfirmed = factories.UserFactory(verified=False)
    factories.member_of(unconfirmed, organization)
    outsider = factories.UserFactory()
    factories.member_of(outsider, other_organization)
    for person in (blocked, unconfirmed, outsider):
        client.force_login(person)
        assert client.post(_url(target), {"body": "Refusé"}).status_code == 403, person
        with pytest.raises(PermissionDenied):
            services.create_comment(actor=person, target=target, body="Refusé")
    # Official answers are for the staff only.
    with pytest.raises(PermissionDenied):
        services.create_comment(actor=participant, target=target, body="Officiel", official=True)
    assert not Comment.objects.exists()


def test_blocked_during_a_phase(client, participant, target, process):
    _turn_on(target.component)
    phase = factories.PhaseFactory(space=process, is_active=True)
    target.component.phase_settings = {str(phase.pk): {"comments_blocked": True}}
    target.component.save()
    decision = can(participant, "comments.create", target)
    assert not decision and "phase" in decision.reason
    client.force_login(participant)
    assert client.post(_url(target), {"body": "Pendant la phase"}).status_code == 403


def test_an_eligibility_rule_on_comment_applies(participant, target):
    """ "comment" is a gated action of both components: the officer's rules apply."""
    from agora.verifications.models import EligibilityRule

    _turn_on(target.component)
    assert "comment" in target.component.manifest.actions
    EligibilityRule.objects.create(component=target.component, action="comment", min_age=16)
    with translation.override("en"):
        decision = can(participant, "comments.create", target)
    assert not decision and "date of birth" in decision.reason


def test_hidden_comments_are_hidden_on_the_page_and_the_profile(client, participant, target, process, member):
    from agora.moderation.services import hide_content

    _turn_on(target.component)
    moderator = member()
    Role.objects.create(user=moderator, organization=process.organization, space=process, name="moderator")
    comment = services.create_comment(actor=participant, target=target, body="Propos injurieux")
    profile = f"/profiles/{participant.nickname}/"
    assert "Propos injurieux" in client.get(profile).content.decode()
    hide_content(actor=moderator, obj=comment)
    html = client.get(target.get_absolute_url()).content.decode()
    assert "Propos injurieux" not in html and "moderation-hidden" in html
    assert "Propos injurieux" not in client.get(profile).content.decode()


def test_the_setting_is_offered_in_the_back_office(client, organization, org_admin, target):
    client.force_login(org_admin)
    component = target.component
    html = client.get(f"/admin/spaces/{component.space_id}/components/{component.pk}/configure/").content.decode()
    [box] = re.findall(r'<input[^>]*name="settings-comments_enabled"[^>]*>', html)
    assert "checked" not in box  # off until the officer turns it on
