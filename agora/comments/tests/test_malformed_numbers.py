"""Page numbers and ids of the comment layer that are not numbers: never a 500."""

import pytest

from agora.comments import services
from agora.comments.models import Comment


@pytest.mark.parametrize("page", ["9" * 25, "²", "-3", "abc"])
def test_a_page_number_past_any_range_gives_a_page(client, post, member, page):
    services.create_comment(actor=member(), target=post, body="Un banc sous le tilleul")
    response = client.get(f"/comments/on/news.post/{post.pk}/thread/", {"page": page})
    assert response.status_code == 200
    assert "Un banc sous le tilleul" in response.content.decode()
    response = client.get(post.get_absolute_url(), {"comments_page": page})
    assert response.status_code == 200
    assert "Un banc sous le tilleul" in response.content.decode()


@pytest.mark.parametrize("parent", ["abc", "²", "9" * 30])
def test_a_reply_to_a_parent_that_is_not_an_id_is_a_bad_request(client, participant, post, parent):
    client.force_login(participant)
    response = client.post(f"/comments/on/news.post/{post.pk}/", {"body": "Oui", "parent": parent})
    assert response.status_code == 400
    assert not Comment.objects.exists()
