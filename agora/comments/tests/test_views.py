import json
from urllib.parse import quote

from django.utils import timezone

from agora.accounts.models import Membership
from agora.comments import services
from agora.comments.models import Comment, CommentVote
from agora.testing import factories


def _url(post):
    return f"/comments/on/news.post/{post.pk}/"


def test_post_a_comment_without_javascript(client, participant, post):
    client.force_login(participant)
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'action="/comments/on/news.post/' in html and "csrfmiddlewaretoken" in html
    response = client.post(_url(post), {"body": "Très bien", "next": post.get_absolute_url()})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Très bien" in html and f'id="comment-{comment.pk}"' in html


def test_errors_rerender_with_the_input_kept(client, participant, post, news):
    news.settings = {"comments_max_length": 100}
    news.save()
    client.force_login(participant)
    response = client.post(_url(post), {"body": "y" * 150})
    assert response.status_code == 400
    html = response.content.decode()
    assert "y" * 150 in html and 'aria-invalid="true"' in html and "errorlist" in html
    assert not Comment.objects.exists()


def test_rate_limit_message_shown(client, settings, participant, post):
    settings.AGORA_POSTING_LIMITS = {"comment": [(1, 60)]}
    client.force_login(participant)
    client.post(_url(post), {"body": "one"})
    response = client.post(_url(post), {"body": "two"})
    assert response.status_code == 400 and "two" in response.content.decode()
    assert Comment.objects.count() == 1


def test_anonymous_sees_comments_and_a_login_link_but_cannot_post(client, participant, post):
    services.create_comment(actor=participant, target=post, body="Visible")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Visible" in html and 'class="comment-form"' not in html and "/accounts/login/" in html
    response = client.post(_url(post), {"body": "Anonymous"})
    assert response.status_code == 302  # log in, then back to the page with the thread
    assert response["Location"] == f"/accounts/login/?next={quote(post.get_absolute_url())}"
    assert Comment.objects.count() == 1


def test_blocked_member_and_blocked_phase_get_no_form_and_are_refused(client, participant, post, news, process):
    Membership.objects.filter(user=participant).update(blocked_at=timezone.now())
    client.force_login(participant)
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'class="comment-form"' not in html
    assert client.post(_url(post), {"body": "x"}).status_code == 403
    Membership.objects.filter(user=participant).update(blocked_at=None)
    phase = factories.PhaseFactory(space=process, is_active=True)
    news.phase_settings = {str(phase.pk): {"comments_blocked": True}}
    news.save()
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'class="comment-form"' not in html
    assert client.post(_url(post), {"body": "x"}).status_code == 403
    assert not Comment.objects.exists()


def test_unknown_or_foreign_targets_are_404(client, participant, post, other_organization):
    from agora.components.news.tests.factories import PostFactory

    client.force_login(participant)
    assert client.post("/comments/on/accounts.user/1/", {"body": "x"}).status_code == 404
    assert client.post("/comments/on/news.post/999999/", {"body": "x"}).status_code == 404
    foreign = PostFactory(component__space__organization=other_organization)
    assert client.post(_url(foreign), {"body": "x"}).status_code == 404


def test_edit_delete_vote_views_and_refusals(client, participant, post, member):
    other = member()
    comment = services.create_comment(actor=participant, target=post, body="Mine")
    client.force_login(other)
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "Hacked"}).status_code == 403
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 403
    response = client.post(f"/comments/{comment.pk}/vote/", {"value": "up"})
    assert response.status_code == 302 and CommentVote.objects.get().value == 1
    response = client.post(f"/comments/{comment.pk}/vote/", {"value": "down"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'aria-pressed="true"' in response.content.decode()
    assert CommentVote.objects.get().value == -1
    assert client.post(f"/comments/{comment.pk}/vote/", {"value": "sideways"}).status_code == 400
    client.force_login(participant)
    assert client.post(f"/comments/{comment.pk}/vote/", {"value": "up"}).status_code == 403
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": ""}).status_code == 400
    client.post(f"/comments/{comment.pk}/edit/", {"body": "Mine, edited"})
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Mine, edited" in html and "(edited)" in html or "(modifié)" in html
    client.post(f"/comments/{comment.pk}/delete/")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Mine, edited" not in html and (
        "This comment was deleted." in html or "Ce commentaire a été supprimé." in html
    )
    client.logout()
    fresh = services.create_comment(actor=other, target=post, body="Fresh")
    response = client.post(f"/comments/{fresh.pk}/vote/", {"value": "up"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert CommentVote.objects.count() == 1


def test_replies_and_official_answers_show_distinctly(client, participant, post, process, member):
    staff = member()
    from agora.spaces.models import Role

    Role.objects.create(user=staff, organization=process.organization, space=process, name="space_admin")
    top = services.create_comment(actor=participant, target=post, body="Question")
    client.force_login(staff)
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'name="official"' in html
    client.post(_url(post), {"body": "Answer", "parent": top.pk, "official": "on"})
    reply = Comment.objects.get(parent=top)
    assert reply.official and reply.depth == 1
    html = client.get(post.get_absolute_url()).content.decode()
    assert "comment-official" in html and ("Official answer" in html or "Réponse officielle" in html)
    client.force_login(participant)
    assert 'name="official"' not in client.get(post.get_absolute_url()).content.decode()


def test_more_comments_pages_without_and_with_htmx(client, participant, post):
    from agora.comments.templatetags.comments import PER_PAGE

    for n in range(PER_PAGE + 5):
        services.create_comment(actor=participant, target=post, body=f"Comment number {n:02d}")
    html = client.get(post.get_absolute_url()).content.decode()
    last, first_of_next = f"Comment number {PER_PAGE - 1:02d}", f"Comment number {PER_PAGE:02d}"
    assert last in html and first_of_next not in html and "comments_page=2" in html
    html = client.get(post.get_absolute_url() + "?comments_page=2").content.decode()
    assert first_of_next in html and last not in html
    fragment = client.get(f"{_url(post)}thread/?page=2", HTTP_HX_REQUEST="true").content.decode()
    assert f"Comment number {PER_PAGE + 4:02d}" in fragment and "<html" not in fragment


def test_hidden_comments_show_as_hidden_by_moderation(client, participant, post, process, member):
    from agora.moderation.services import hide_content
    from agora.spaces.models import Role

    moderator = member()
    Role.objects.create(user=moderator, organization=process.organization, space=process, name="moderator")
    comment = services.create_comment(actor=participant, target=post, body="Rude words")
    hide_content(actor=moderator, obj=comment)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Rude words" not in html and "moderation-hidden" in html


def test_report_button_on_other_peoples_comments(client, participant, post, member):
    services.create_comment(actor=participant, target=post, body="Report me")
    client.force_login(member())
    assert "report-link" in client.get(post.get_absolute_url()).content.decode()
    client.force_login(participant)
    assert "report-link" not in client.get(post.get_absolute_url()).content.decode()


def test_mention_autocomplete_lists_public_nicknames_of_members_only(
    client, participant, organization, other_organization, member
):
    member(nickname="marie_curie", name="Marie Curie", email="marie@example.org")
    stranger = factories.UserFactory(nickname="marie_outside")
    factories.member_of(stranger, other_organization)
    from agora.accounts.services import delete_account

    gone = member(nickname="marie_gone")
    delete_account(user=gone)
    assert client.get("/comments/mentions/?q=mar").status_code == 403
    client.force_login(participant)
    data = json.loads(client.get("/comments/mentions/?q=@MAR").content)
    assert data == {"results": [{"nickname": "marie_curie", "name": "Marie Curie"}]}
    assert "@" not in json.dumps(data).replace("@", "", 0) or "example.org" not in json.dumps(data)
    assert json.loads(client.get("/comments/mentions/?q=").content) == {"results": []}


def test_mentions_link_to_profiles(client, participant, post, member):
    member(nickname="paul_l")
    services.create_comment(actor=participant, target=post, body="Hello @paul_l and @nobody_here")
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<a class="mention" href="/profiles/paul_l/">@paul_l</a>' in html
    assert "@nobody_here" in html and 'href="/profiles/nobody_here/"' not in html


def test_deleted_account_keeps_the_thread_readable(client, participant, post, member):
    from agora.accounts.services import delete_account

    other = member()
    top = services.create_comment(actor=participant, target=post, body="My opinion")
    services.create_comment(actor=other, target=post, body="My answer", parent=top)
    nickname = participant.nickname
    delete_account(user=participant)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "My opinion" in html and "My answer" in html
    assert "Deleted participant" in html or "Participant supprimé" in html or "Participante supprimée" in html
    assert f"/profiles/{nickname}/" not in html and "deleted-" not in html
