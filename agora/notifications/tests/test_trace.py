"""agora.actionlog.services.trace: the log row and the notifications of an
action in one call, written with the change or not at all."""

import pytest
from django.db import transaction

from agora.actionlog.models import ActionLog
from agora.actionlog.services import Notice, trace
from agora.follows.services import follow
from agora.notifications.models import Notification
from agora.testing import factories


@pytest.fixture
def news(process):
    return factories.ComponentFactory(space=process, manifest_name="news")


def _member(organization):
    person = factories.UserFactory()
    factories.member_of(person, organization)
    return person


def test_trace_logs_with_the_component_space_and_organization_and_notifies(organization, process, news, participant):
    told, follower, about = _member(organization), _member(organization), _member(organization)
    follow(user=follower, target=news)
    entry = trace(
        participant,
        "comments.created",
        news,
        component=news,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"reply": False},
        notify=[
            Notice("comments.mention", to=[told], url="/here/"),
            Notice("comments.new_comment", followers=True, to=[about], about=[about], space_followers=False),
        ],
    )
    entry.refresh_from_db()
    assert (entry.organization, entry.space, entry.component) == (organization, process, news)
    assert (entry.actor, entry.verb, entry.visibility, entry.data) == (
        participant,
        "comments.created",
        "public",
        {"reply": False},
    )
    mention = Notification.objects.get(event="comments.mention")
    assert (mention.recipient, mention.actor, mention.url, mention.space) == (told, participant, "/here/", process)
    fanned = Notification.objects.filter(event="comments.new_comment")
    assert {n.recipient_id for n in fanned} == {follower.pk, about.pk}
    assert fanned.get(recipient=about).personal and not fanned.get(recipient=follower).personal


def test_a_notice_may_name_another_target_or_no_actor(organization, process, news, participant, org_admin):
    author = _member(organization)
    trace(
        org_admin,
        "news.post_published",
        news,
        component=news,
        notify=[Notice("comments.reply", to=[author.pk], actor=None, target=process)],
    )
    notification = Notification.objects.get()
    assert notification.actor is None and notification.target_id == str(process.pk)
    assert ActionLog.objects.get().actor == org_admin


def test_nothing_is_logged_nor_notified_when_the_change_rolls_back(organization, news, participant):
    told = _member(organization)
    with pytest.raises(RuntimeError), transaction.atomic():
        trace(participant, "comments.created", news, component=news, notify=[Notice("comments.mention", to=[told])])
        raise RuntimeError("the service failed after tracing")
    assert not ActionLog.objects.exists() and not Notification.objects.exists()


def test_trace_needs_an_organization(participant):
    with pytest.raises(TypeError):
        trace(participant, "comments.created", None)
