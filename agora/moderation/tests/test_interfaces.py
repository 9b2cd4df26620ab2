"""The interfaces other apps call: registry, hidden_ids/is_hidden, report
button, posting limits."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from agora.components.news.models import Post
from agora.moderation import registry, selectors, services
from agora.moderation.limits import PostingLimitReached, check_posting_rate, posting_rate_decision
from agora.moderation.models import PostingCounter

from .conftest import make_participant
from .factories import post_in


def test_registry_knows_registered_models(post):
    assert registry.is_reportable(post)
    assert registry.adapter_for(Post).organization(post) == post.component.space.organization
    with pytest.raises(ValueError):
        registry.register(Post, registry.adapter_for(Post))


def test_hidden_ids_in_one_query(django_assert_num_queries, process, moderator):
    posts = [post_in(process) for _ in range(3)]
    services.hide_content(actor=moderator, obj=posts[1])
    ids = [p.pk for p in posts]
    with django_assert_num_queries(1):
        # the content type is cached after its first lookup
        selectors.hidden_ids(Post, ids)
    assert selectors.hidden_ids(Post, ids) == {posts[1].pk}
    assert selectors.is_hidden(posts[1]) and not selectors.is_hidden(posts[0])
    assert selectors.hidden_ids(Post, []) == set()


def test_report_button_links_to_the_form(client, post, participant):
    request = RequestFactory().get("/x/")
    request.user = participant
    html = Template('{% include "moderation/_report_button.html" with object=post %}').render(
        Context({"post": post, "request": request})
    )
    assert "/moderation/report/" in html and "Report" in html or "Signaler" in html
    # the author does not see it
    request.user = post.author
    html = Template('{% include "moderation/_report_button.html" with object=post %}').render(
        Context({"post": post, "request": request})
    )
    assert "/moderation/report/" not in html


def test_hidden_template(post, moderator):
    services.hide_content(actor=moderator, obj=post)
    html = Template(
        '{% load moderation %}{% if post|is_hidden %}{% include "moderation/_hidden.html" %}{% endif %}'
    ).render(Context({"post": post}))
    assert "moderation-hidden" in html


@pytest.mark.django_db
def test_posting_limit_refuses_with_the_time_to_wait(settings):
    from agora.testing.factories import UserFactory

    settings.AGORA_POSTING_LIMITS = {"comment": [(2, 60)]}
    user = UserFactory()
    now = timezone.now().replace(second=10, microsecond=0)
    check_posting_rate(user, "comment", now=now)
    check_posting_rate(user, "comment", now=now)
    assert not posting_rate_decision(user, "comment", now=now)
    with pytest.raises(PostingLimitReached) as raised:
        check_posting_rate(user, "comment", now=now)
    assert isinstance(raised.value, ValidationError)
    assert raised.value.retry_at == now.replace(second=0) + timedelta(seconds=60)
    assert "again" in raised.value.messages[0] or "nouveau" in raised.value.messages[0]
    # the refused attempt was not counted; the next window is open
    assert PostingCounter.objects.get(user=user).count == 2
    check_posting_rate(user, "comment", now=now + timedelta(seconds=60))
    assert PostingCounter.objects.filter(user=user).count() == 1  # the old window was deleted


@pytest.mark.django_db
def test_posting_limits_are_per_person_and_kind(settings):
    from agora.testing.factories import UserFactory

    settings.AGORA_POSTING_LIMITS = {"comment": [(1, 3600)], "idea": []}
    first, second = UserFactory(), UserFactory()
    check_posting_rate(first, "comment")
    check_posting_rate(second, "comment")
    for _ in range(5):
        check_posting_rate(first, "idea")  # not limited
    with pytest.raises(PostingLimitReached):
        check_posting_rate(first, "comment")


def test_reports_are_rate_limited(settings, process):
    settings.AGORA_POSTING_LIMITS = {"report": [(1, 600)]}
    reporter = make_participant(process.organization)
    services.report_content(actor=reporter, obj=post_in(process), reason="spam")
    with pytest.raises(PostingLimitReached):
        services.report_content(actor=reporter, obj=post_in(process), reason="spam")
